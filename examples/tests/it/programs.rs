//! Every program runs, prints JSON with `--json`, and names a bad argument.

use std::process::Command;

fn run(bin: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new(bin)
        .args(args)
        .output()
        .expect("the program starts");
    assert!(
        out.status.success(),
        "{bin} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("--json prints one JSON document")
}

fn fails_naming(bin: &str, args: &[&str], name: &str) {
    let out = Command::new(bin)
        .args(args)
        .output()
        .expect("the program starts");
    assert!(!out.status.success(), "{bin} {args:?} should fail");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(name),
        "{bin} {args:?}: '{err}' should name {name}"
    );
}

#[test]
fn a_program_piped_into_a_reader_that_has_gone_ends_quietly() {
    // The read end is closed before the program has computed its figures,
    // so its first write meets a closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_tour_newton"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tour_newton starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("tour_newton ends");
    assert!(out.status.success(), "{:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn tour_programs_print_their_figures_as_json() {
    let tour = run(env!("CARGO_BIN_EXE_tour"), &["--json"]);
    let top = tour["hvp"]["power_iteration"]["top_eigenvalue"]
        .as_f64()
        .expect("a number");
    assert!((top - 200.0).abs() < 1e-8 * 200.0);
    let step = &tour["newton"]["quadratic"]["newton_step"];
    assert_eq!(step[0].as_f64(), Some(-1.0));
    for (bin, key) in [
        (env!("CARGO_BIN_EXE_tour_gradient_descent"), "scaling"),
        (env!("CARGO_BIN_EXE_tour_newton"), "rosenbrock"),
        (env!("CARGO_BIN_EXE_tour_quasi_newton"), "runs"),
        (env!("CARGO_BIN_EXE_tour_natural_gradient"), "mle"),
        (env!("CARGO_BIN_EXE_tour_hvp"), "cg"),
        (env!("CARGO_BIN_EXE_tour_kfac"), "rows"),
        (env!("CARGO_BIN_EXE_kfac_classic"), "reference"),
    ] {
        assert!(!run(bin, &["--json"])[key].is_null(), "{bin}: {key}");
    }
    let land = run(
        env!("CARGO_BIN_EXE_tour_landscape"),
        &["--json", "--n", "10", "--cap", "2000"],
    );
    assert_eq!(land["dim"].as_u64(), Some(10));
    fails_naming(env!("CARGO_BIN_EXE_tour_landscape"), &["--n", "7"], "--n");
    let race = run(env!("CARGO_BIN_EXE_kfac_vs_adam"), &["--json", "--quick"]);
    assert_eq!(race["budgets"].as_array().map(Vec::len), Some(4));
    assert_eq!(race["generalisation"].as_array().map(Vec::len), Some(4));
    fails_naming(env!("CARGO_BIN_EXE_tour"), &["--verbose"], "--verbose");
}

#[test]
fn picture_programs_write_svg_files() {
    let dir = std::env::temp_dir().join(format!("examples-programs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let arena_svg = dir.join("arena.svg");
    let arena_out = arena_svg.to_string_lossy().to_string();
    let arena = run(
        env!("CARGO_BIN_EXE_arena"),
        &[
            "--json",
            "--function",
            "himmelblau",
            "--start",
            "1,1",
            "--optimizers",
            "newton,bfgs",
            "--max-iter",
            "100",
            "--out",
            &arena_out,
        ],
    );
    assert_eq!(arena["optimizers"].as_array().map(Vec::len), Some(2));
    let text = std::fs::read_to_string(&arena_svg).expect("the SVG was written");
    roxmltree::Document::parse(&text).expect("valid XML");
    let curv_svg = dir.join("curvature.svg");
    let curv_out = curv_svg.to_string_lossy().to_string();
    let curv = run(
        env!("CARGO_BIN_EXE_curvature_viz"),
        &["--json", "--train-steps", "10", "--out", &curv_out],
    );
    assert_eq!(curv["models"].as_array().map(Vec::len), Some(6));
    let text = std::fs::read_to_string(&curv_svg).expect("the SVG was written");
    roxmltree::Document::parse(&text).expect("valid XML");
    std::fs::remove_dir_all(&dir).ok();

    let arena_bin = env!("CARGO_BIN_EXE_arena");
    fails_naming(arena_bin, &["--start", "1;2"], "--start");
    fails_naming(arena_bin, &["--function", "sphere"], "--function");
    fails_naming(arena_bin, &["--optimizers", "gd,sgd"], "--optimizers");
    fails_naming(arena_bin, &["--step", "-1"], "--step");
    fails_naming(arena_bin, &["--max-iter", "many"], "--max-iter");
    fails_naming(
        env!("CARGO_BIN_EXE_curvature_viz"),
        &["--points", "1,2;3"],
        "--points",
    );
}

#[test]
fn the_second_order_race_lowers_every_training_loss() {
    let out = std::env::temp_dir().join(format!("race-{}.svg", std::process::id()));
    let race = run(
        env!("CARGO_BIN_EXE_second_order_race"),
        &[
            "--quick",
            "--json",
            "--out",
            out.to_str().expect("a UTF-8 temp path"),
        ],
    );
    let problems = race["problems"].as_array().expect("a list of problems");
    assert_eq!(problems.len(), 2);
    for problem in problems {
        for method in problem["methods"].as_array().expect("a list of methods") {
            let curve = method["curve"].as_array().expect("a loss curve");
            let start = curve[0][2].as_f64().expect("the initial loss");
            let end = method["train_loss"].as_f64().expect("the final loss");
            assert!(end < start, "{}: {start} → {end}", method["method"]);
        }
    }
    let svg = std::fs::read_to_string(&out).expect("the plot was written");
    assert!(
        roxmltree::Document::parse(&svg).is_ok(),
        "the plot is valid XML"
    );
    std::fs::remove_file(&out).ok();
}

/// The scipy far-start record that `mgh_table --scale` prints beside ours
/// covers the problem collection as it is now, at the scales the README
/// reports, for every scipy method the table pairs with ours.
#[test]
fn the_scipy_far_start_record_matches_the_problem_collection() {
    let record: serde_json::Value =
        serde_json::from_str(include_str!("../../../benches/results/scipy_scale.json"))
            .expect("scipy_scale.json is JSON");
    assert_eq!(
        record["problems"].as_u64(),
        Some(optim::problems::all().len() as u64)
    );
    assert_eq!(record["scales"], serde_json::json!([1, 10, 100]));
    for method in ["BFGS", "L-BFGS-B", "Newton-CG", "trust-ncg", "trust-exact"] {
        let counts = record["solved"][method].as_array().expect(method);
        assert_eq!(counts.len(), 3, "{method}");
        let total = optim::problems::all().len() as u64;
        assert!(counts
            .iter()
            .all(|c| c.as_u64().is_some_and(|c| c <= total)));
    }
}

#[test]
fn the_engine_tour_shows_finite_differences_losing_far_more_in_f32_than_the_exact_product() {
    let v = run(env!("CARGO_BIN_EXE_engine_tour"), &["--json"]);
    let best = |sweep: &serde_json::Value| {
        sweep
            .as_array()
            .expect("a sweep")
            .iter()
            .map(|r| r["central_rel"].as_f64().expect("a number"))
            .fold(f64::INFINITY, f64::min)
    };
    let (best64, best32) = (best(&v["sweep"]), best(&v["f32"]["sweep"]));
    let exact32 = v["f32"]["hvp_rel_to_f64"].as_f64().expect("a number");
    // Central differences at their best step err like ε^(2/3): f32's ε is
    // 5e8 times f64's, so their best errors differ by about 6e5. The exact
    // product in f32 differs from f64's by rounding alone, a few f32 ε.
    assert!(best32 > 1e3 * best64, "f32 {best32:e} vs f64 {best64:e}");
    assert!(exact32 < 1e-5, "{exact32:e}");
    assert!(
        exact32 < best32,
        "exact {exact32:e} vs differences {best32:e}"
    );
}
