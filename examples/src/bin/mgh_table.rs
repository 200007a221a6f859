//! Our deterministic solvers on the standard test problems, next to
//! scipy.optimize 1.17 on the same problems (figures from
//! `shared/reference/scipy-mgh.md`: exact derivatives, gtol 1e-10).
//!
//! Run: `cargo run --release -p examples --bin mgh_table` (add `--json` for
//! one JSON object per run on stdout instead of the tables, `--large` to
//! also solve extended Rosenbrock with n = 100 000 by L-BFGS and Newton-CG,
//! `--bases K` to also run the κ = 1000 quadratic in K random bases, with
//! each basis's Hessian among the JSON lines so that
//! `benches/compare_scipy.sh` can give scipy the very same matrices).
//!
//! `--scale 1,10,100` instead runs every problem of the collection from its
//! standard start times each factor (Moré, Garbow & Hillstrom's far
//! starts) and prints, per method and factor, how many runs ended at
//! ‖∇f‖∞ ≤ 1e-8 at a published minimum, then every run that did not; `--bounds` runs
//! L-BFGS-B and TRON on the bounded problems of scipy's fixture
//! (`optim/tests/it/fixtures/scipy_bounds.json`, written by
//! `benches/compare_scipy_bounds.sh`) next to scipy's L-BFGS-B; `--convex` runs Newton and
//! L-BFGS on softmax regression (iris, red wine; L2 1e-2 and 0). Every
//! mode takes `--json` (one JSON object per line); `--help` lists the
//! options and their limits, each checked before any work starts.
//!
//! Pairs compared: BFGS ↔ BFGS, L-BFGS ↔ L-BFGS-B, Newton-CG ↔ Newton-CG,
//! trust-region Newton-CG (Steihaug) ↔ trust-ncg, Newton (exact Hessian,
//! modified Cholesky, line search) and trust-region Newton with the exact
//! Hessian (Moré–Sorensen) ↔ trust-exact. Counts: nf function values, ng
//! gradients, nh H·v products (Newton-CG, trust region) or Hessians (Newton).

use std::error::Error;
use std::process::ExitCode;
use std::time::Instant;

use examples::cli::json_line;
use examples::cli::programs::MghTableArgs;

use optim::bounds::Bounds;
use optim::objective::Objective;
use optim::problems::{self, Problem};
use optim::solvers::{
    Bfgs, Lbfgs, Lbfgsb, Minimizer, Newton, NewtonCg, Options, Report, Status, Tron, TrustRegion,
    TrustRegionExact,
};
use serde_json::{json, Value};

/// scipy's solved counts from the same far starts, written by
/// `benches/compare_scipy_scale.sh`.
const SCIPY_SCALE: &str = include_str!("../../../benches/results/scipy_scale.json");

/// scipy's solved counts per method at `factors`, with a line saying which
/// run they come from; `None` when that run used other factors.
fn scipy_far_starts(factors: &[f64]) -> Result<Option<(String, Value)>, Box<dyn Error>> {
    let record: Value = serde_json::from_str(SCIPY_SCALE)?;
    if numbers(&record["scales"])? != factors {
        return Ok(None);
    }
    let source = format!(
        "scipy {} from the same starts (`benches/compare_scipy_scale.sh`, {}, {}, {} problems)",
        record["scipy"].as_str().unwrap_or("?"),
        record["date"].as_str().unwrap_or("?"),
        record["cpu"].as_str().unwrap_or("?"),
        record["problems"]
    );
    Ok(Some((source, record["solved"].clone())))
}

/// scipy's L-BFGS-B on the bounded MGH problems: the bounded solvers' test fixture.
const SCIPY_BOUNDS: &str = include_str!("../../../optim/tests/it/fixtures/scipy_bounds.json");

/// scipy's figures: problem, method, iterations, nf, ng, nh, final |g|∞.
const SCIPY: &[(&str, &str, usize, usize, usize, usize, f64)] = &[
    ("rosenbrock", "BFGS", 34, 41, 41, 0, 1.4e-11),
    ("rosenbrock", "L-BFGS-B", 39, 47, 47, 0, 1.8e-13),
    ("rosenbrock", "Newton-CG", 86, 107, 107, 147, 2.9e-10),
    ("rosenbrock", "trust-ncg", 30, 31, 28, 85, 3.7e-11),
    ("rosenbrock", "trust-exact", 26, 27, 24, 27, 0.0),
    ("rosenbrock_seed", "BFGS", 33, 42, 42, 0, 5.3e-12),
    ("rosenbrock_seed", "L-BFGS-B", 38, 50, 50, 0, 5.6e-12),
    ("rosenbrock_seed", "Newton-CG", 62, 78, 78, 98, 1.7e-12),
    ("rosenbrock_seed", "trust-ncg", 35, 36, 31, 99, 0.0),
    ("rosenbrock_seed", "trust-exact", 24, 25, 22, 25, 0.0),
    ("beale", "BFGS", 17, 19, 19, 0, 5.2e-13),
    ("beale", "L-BFGS-B", 17, 18, 18, 0, 3.7e-12),
    ("beale", "Newton-CG", 15, 15, 15, 24, 6.5e-13),
    ("beale", "trust-ncg", 12, 13, 13, 32, 2.5e-14),
    ("beale", "trust-exact", 8, 9, 8, 9, 1.9e-11),
    ("powell_singular", "BFGS", 69, 74, 74, 0, 3.6e-11),
    ("powell_singular", "L-BFGS-B", 69, 78, 78, 0, 6.9e-11),
    (
        "powell_singular",
        "Newton-CG",
        20000,
        20006,
        20006,
        60008,
        1.6e-07,
    ),
    ("powell_singular", "trust-ncg", 30, 31, 30, 134, 4.3e-11),
    ("powell_singular", "trust-exact", 24, 25, 25, 25, 6.9e-11),
    ("wood", "BFGS", 92, 110, 110, 0, 1.2e-11),
    ("wood", "L-BFGS-B", 91, 122, 122, 0, 1.9e-11),
    ("wood", "Newton-CG", 2498, 2532, 2532, 4650, 3.1e-10),
    ("wood", "trust-ncg", 109, 110, 100, 372, 0.0),
    ("wood", "trust-exact", 44, 45, 39, 45, 0.0),
    ("helical_valley", "BFGS", 34, 38, 38, 0, 4.4e-12),
    ("helical_valley", "L-BFGS-B", 31, 35, 35, 0, 4.8e-11),
    ("helical_valley", "Newton-CG", 23, 24, 24, 49, 6.2e-11),
    ("helical_valley", "trust-ncg", 24, 25, 23, 77, 8.9e-14),
    ("helical_valley", "trust-exact", 9, 10, 9, 10, 5.2e-11),
    ("brown_badly_scaled", "BFGS", 17, 28, 28, 0, 1.8e-10),
    ("brown_badly_scaled", "L-BFGS-B", 16, 30, 30, 0, 1.8e-10),
    ("brown_badly_scaled", "Newton-CG", 5, 6, 6, 6, 1.8e-10),
    (
        "brown_badly_scaled",
        "trust-ncg",
        2079,
        2011,
        2011,
        5165,
        1.8e-10,
    ),
    (
        "brown_badly_scaled",
        "trust-exact",
        1010,
        1011,
        1011,
        1011,
        1.8e-10,
    ),
    ("ext_rosenbrock_100", "BFGS", 606, 632, 632, 0, 9.0e-11),
    ("ext_rosenbrock_100", "L-BFGS-B", 38, 50, 50, 0, 1.7e-13),
    (
        "ext_rosenbrock_100",
        "Newton-CG",
        86,
        107,
        107,
        146,
        2.9e-10,
    ),
    ("ext_rosenbrock_100", "trust-ncg", 43, 44, 38, 111, 4.5e-14),
    ("ext_rosenbrock_100", "trust-exact", 27, 28, 25, 28, 0.0),
    ("ext_rosenbrock_1000", "BFGS", 2342, 2555, 2555, 0, 9.4e-11),
    ("ext_rosenbrock_1000", "L-BFGS-B", 37, 46, 46, 0, 1.2e-11),
    (
        "ext_rosenbrock_1000",
        "Newton-CG",
        86,
        107,
        107,
        146,
        2.9e-10,
    ),
    ("ext_rosenbrock_1000", "trust-ncg", 52, 53, 48, 124, 0.0),
    (
        "ext_rosenbrock_1000",
        "trust-exact",
        27,
        28,
        25,
        28,
        8.1e-14,
    ),
    ("quad_kappa1000_n10", "BFGS", 18, 22, 22, 0, 1.1e-12),
    ("quad_kappa1000_n10", "L-BFGS-B", 98, 111, 111, 0, 7.6e-11),
    ("quad_kappa1000_n10", "Newton-CG", 13, 13, 13, 73, 1.4e-13),
    ("quad_kappa1000_n10", "trust-ncg", 10, 11, 11, 62, 4.8e-11),
    ("quad_kappa1000_n10", "trust-exact", 3, 4, 4, 4, 1.8e-14),
];

/// Our solvers, each with the scipy method it is compared with.
fn solvers() -> Vec<(&'static str, &'static str, Box<dyn Minimizer>)> {
    vec![
        ("BFGS", "BFGS", Box::new(Bfgs::default())),
        ("L-BFGS", "L-BFGS-B", Box::new(Lbfgs::default())),
        ("Newton-CG", "Newton-CG", Box::new(NewtonCg::default())),
        ("TR-Steihaug", "trust-ncg", Box::new(TrustRegion::default())),
        ("Newton", "trust-exact", Box::new(Newton::default())),
        (
            "TR-exact",
            "trust-exact",
            Box::new(TrustRegionExact::default()),
        ),
    ]
}

/// The problems of scipy's table, by its names.
fn scipy_problems() -> Vec<Problem> {
    let mut seed = problems::rosenbrock();
    seed.name = "rosenbrock_seed".into();
    seed.x0 = vec![-1.0, 1.0];
    vec![
        problems::rosenbrock(),
        seed,
        problems::beale(),
        problems::powell_singular(),
        problems::wood(),
        problems::helical_valley(),
        problems::brown_badly_scaled(),
        problems::extended_rosenbrock(100),
        problems::extended_rosenbrock(1000),
        problems::quadratic_kappa1000(),
    ]
}

fn nh(report: &Report) -> usize {
    report.counts.hvp + report.counts.hessian
}

/// One run as a JSON object.
fn json(problem: &Problem, method: &str, options: &Options, r: &Report, seconds: f64) -> Value {
    json!({
        "problem": problem.name,
        "n": problem.dim,
        "method": method,
        "gtol": options.gtol,
        "status": format!("{:?}", r.status),
        "iterations": r.iterations,
        "nf": r.counts.f,
        "ng": r.counts.grad,
        "nhvp": r.counts.hvp,
        "nhess": r.counts.hessian,
        "f": r.f,
        "grad_inf": r.grad_norm_inf,
        "seconds": seconds,
    })
}

/// A quadratic's Hessian (at the origin; it is constant) as JSON.
fn hessian_json(problem: &Problem) -> Value {
    let hessian = problem.objective().hessian(&vec![0.0; problem.dim]);
    json!({"problem": problem.name, "hessian": hessian.data()})
}

/// Our solvers on the κ = 1000 quadratic in `bases` random bases (seeds
/// 0, 1, …): JSON lines (each basis's Hessian, then the runs) or the mean
/// counts per solver.
fn quadratic_bases(
    out: &mut dyn std::io::Write,
    bases: u64,
    options: &Options,
    as_json: bool,
) -> Result<(), Box<dyn Error>> {
    let mut totals = vec![(0usize, 0usize, 0usize); solvers().len()];
    for seed in 0..bases {
        let problem =
            problems::quadratic_kappa1000_in_basis(&format!("quad_kappa1000_n10@{seed}"), seed);
        let objective = problem.objective();
        if as_json {
            json_line(out, &hessian_json(&problem))?;
        }
        for ((ours, _, solver), total) in solvers().iter().zip(&mut totals) {
            let start = Instant::now();
            let r = solver.minimize(&objective, &problem.x0, options);
            let seconds = start.elapsed().as_secs_f64();
            if as_json {
                json_line(out, &json(&problem, ours, options, &r, seconds))?;
            }
            total.0 += r.counts.f + r.counts.grad;
            total.1 += nh(&r);
            total.2 += usize::from(r.status != Status::GradientTolerance);
        }
    }
    if !as_json {
        writeln!(
            out,
            "\n## The κ = 1000 quadratic in {bases} random bases (gtol {:e}; means)\n",
            options.gtol
        )?;
        writeln!(out, "| method | nf+ng | nh | runs not at gtol |")?;
        writeln!(out, "|---|---|---|---|")?;
        for ((ours, _, _), (fg, h, failed)) in solvers().iter().zip(totals) {
            let mean = |v: usize| v as f64 / bases as f64;
            writeln!(
                out,
                "| {ours} | {:.1} | {:.1} | {failed} |",
                mean(fg),
                mean(h)
            )?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    examples::cli::main(run)
}

/// Every problem from `factor × x0` for each factor: solved counts per
/// method (runs that ended with `GradientTolerance`), then the other runs.
fn far_starts(
    out: &mut dyn std::io::Write,
    factors: &[f64],
    as_json: bool,
) -> Result<(), Box<dyn Error>> {
    let options = Options {
        gtol: 1e-8,
        max_iter: 20000,
        ..Options::default()
    };
    let problems = problems::all();
    let mut solved = vec![vec![0usize; factors.len()]; solvers().len()];
    let mut iterations = vec![vec![0usize; factors.len()]; solvers().len()];
    let mut unsolved = Vec::new();
    for (k, &factor) in factors.iter().enumerate() {
        for problem in &problems {
            let objective = problem.objective();
            let x0: Vec<f64> = problem.x0.iter().map(|v| v * factor).collect();
            if as_json {
                // What scipy needs to run from the same start and to judge
                // its runs by the same published minima.
                json_line(
                    out,
                    &json!({
                        "problem": problem.name,
                        "scale": factor,
                        "x0": x0,
                        "f_min": problem.f_min,
                        "local_minima": problem.local_minima,
                    }),
                )?;
                if problem.name.starts_with("quad") && k == 0 {
                    json_line(out, &hessian_json(problem))?;
                }
            }
            for (m, (ours, _, solver)) in solvers().iter().enumerate() {
                let start = Instant::now();
                let r = solver.minimize(&objective, &x0, &options);
                let seconds = start.elapsed().as_secs_f64();
                if as_json {
                    let mut line = json(problem, ours, &options, &r, seconds);
                    line["scale"] = json!(factor);
                    json_line(out, &line)?;
                }
                // Solved: the gradient test met at a published minimum (a
                // tiny gradient far out on a valley to infinity is not).
                if r.status == Status::GradientTolerance
                    && problem.is_known_minimum(r.f, 1e-5, 1e-8)
                {
                    solved[m][k] += 1;
                    iterations[m][k] += r.iterations;
                } else {
                    unsolved.push(format!(
                        "| {} | {factor} | {ours} | {:?} | {} | {:.3e} | {:.1e} |",
                        problem.name, r.status, r.iterations, r.f, r.grad_norm_inf
                    ));
                }
            }
        }
    }
    if as_json {
        return Ok(());
    }
    writeln!(
        out,
        "## {} problems from x0 × {factors:?} (gtol 1e-8, at most 20 000 iterations)\n",
        problems.len()
    )?;
    let scipy = scipy_far_starts(factors)?;
    if let Some((source, _)) = &scipy {
        writeln!(out, "Each cell: ours \\| {source}.\n")?;
    }
    let head: Vec<String> = factors.iter().map(|f| format!("× {f}")).collect();
    writeln!(
        out,
        "| method | scipy | {} | all | iterations of solved runs |",
        head.join(" | ")
    )?;
    writeln!(out, "|---|---|{}---|---|", "---|".repeat(factors.len()))?;
    for (m, (ours, theirs, _)) in solvers().iter().enumerate() {
        let their_counts = scipy.as_ref().map(|(_, solved)| numbers(&solved[*theirs]));
        let cells: Vec<String> = match their_counts {
            Some(Ok(counts)) => solved[m]
                .iter()
                .zip(counts)
                .map(|(a, b)| format!("{a} \\| {b}"))
                .collect(),
            _ => solved[m].iter().map(|c| c.to_string()).collect(),
        };
        let total: usize = solved[m].iter().sum();
        let its: Vec<String> = iterations[m].iter().map(|c| c.to_string()).collect();
        writeln!(
            out,
            "| {ours} | {theirs} | {} | {total} of {} | {} |",
            cells.join(" | "),
            problems.len() * factors.len(),
            its.join(" / ")
        )?;
    }
    writeln!(out, "\nRuns not solved:\n")?;
    writeln!(out, "| problem | scale | method | status | it | f | ‖g‖∞ |")?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for line in unsolved {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Newton and L-BFGS on softmax regression, with and without L2: the
/// iterations each needs (no L2 on iris has no minimiser: the gradient
/// only tends to zero as the separating weights grow).
fn convex(out: &mut dyn std::io::Write, as_json: bool) -> Result<(), Box<dyn Error>> {
    use models::{data, softmax_regression, Standardizer};
    use optim::objective::AutodiffObjective;
    let options = Options {
        gtol: 1e-8,
        max_iter: 20000,
        ..Options::default()
    };
    if !as_json {
        writeln!(out, "## Softmax regression (gtol 1e-8)\n")?;
        writeln!(
            out,
            "| data | L2 | method | status | it | nf | nh | f | ‖g‖∞ |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
    }
    for (name, set) in [("iris", data::iris()), ("red wine", data::wine_quality())] {
        let set = Standardizer::fit(&set).apply(&set);
        for l2 in [1e-2, 0.0] {
            let (problem, params) = softmax_regression(set.clone(), l2)?;
            let objective =
                AutodiffObjective::new(params.num_values(), problem.flat_closure(&params));
            let x0 = params.flatten();
            let methods: Vec<(&str, Box<dyn Minimizer>)> = vec![
                ("Newton", Box::new(Newton::default())),
                ("L-BFGS", Box::new(Lbfgs::default())),
            ];
            for (method, solver) in methods {
                let r = solver.minimize(&objective, &x0, &options);
                if as_json {
                    json_line(
                        out,
                        &json!({
                            "data": name,
                            "l2": l2,
                            "method": method,
                            "status": format!("{:?}", r.status),
                            "iterations": r.iterations,
                            "nf": r.counts.f,
                            "nh": nh(&r),
                            "f": r.f,
                            "grad_inf": r.grad_norm_inf,
                        }),
                    )?;
                    continue;
                }
                writeln!(
                    out,
                    "| {name} | {l2:e} | {method} | {:?} | {} | {} | {} | {:.6e} | {:.1e} |",
                    r.status,
                    r.iterations,
                    r.counts.f,
                    nh(&r),
                    r.f,
                    r.grad_norm_inf
                )?;
            }
        }
    }
    Ok(())
}

/// The numbers of a JSON array.
fn numbers(v: &serde_json::Value) -> Result<Vec<f64>, String> {
    v.as_array()
        .ok_or("scipy_bounds.json: expected an array")?
        .iter()
        .map(|x| {
            x.as_f64()
                .ok_or_else(|| "scipy_bounds.json: expected a number".to_string())
        })
        .collect()
}

/// L-BFGS-B and TRON on each bounded case of scipy's fixture, to
/// `‖P(x − ∇f) − x‖∞ ≤ 1e-10`, next to scipy's L-BFGS-B (whose `nfev`
/// counts value-and-gradient calls, like our L-BFGS-B's nf).
fn bounds_table(out: &mut dyn std::io::Write, as_json: bool) -> Result<(), Box<dyn Error>> {
    let fixture: serde_json::Value = serde_json::from_str(SCIPY_BOUNDS)?;
    let cases = fixture["cases"]
        .as_array()
        .ok_or("scipy_bounds.json: no cases")?;
    let options = Options {
        gtol: 1e-10,
        max_iter: 20000,
        ..Options::default()
    };
    let all = problems::all();
    if !as_json {
        bounds_table_head(out, &fixture)?;
    }
    let (mut ours_nf, mut scipy_nf, mut tron_nf) = (0, 0, 0);
    for case in cases {
        let name = case["problem"]
            .as_str()
            .ok_or("scipy_bounds.json: no problem")?;
        let problem = all
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| format!("scipy_bounds.json: no problem named {name}"))?;
        let bounds = Bounds::new(numbers(&case["lo"])?, numbers(&case["hi"])?)?;
        let f = problem.objective();
        let lbfgsb = Lbfgsb::new(bounds.clone()).minimize(&f, &problem.x0, &options);
        let tron = Tron::new(bounds).minimize(&f, &problem.x0, &options);
        let (nit, nfev) = (
            case["nit"].as_u64().unwrap_or(0),
            case["nfev"].as_u64().unwrap_or(0),
        );
        ours_nf += lbfgsb.counts.f;
        scipy_nf += nfev as usize;
        tron_nf += tron.counts.f;
        if as_json {
            let run = |r: &Report| {
                json!({"status": format!("{:?}", r.status), "iterations": r.iterations,
                       "nf": r.counts.f, "ng": r.counts.grad, "nhv": r.counts.hvp,
                       "f": r.f, "projected_gradient_inf": r.grad_norm_inf})
            };
            json_line(
                out,
                &json!({"problem": name, "n": problem.dim, "box": case["kind"],
                "lbfgsb": run(&lbfgsb), "tron": run(&tron),
                "scipy": {"iterations": nit, "nfev": nfev, "f": case["f"]}}),
            )?;
            continue;
        }
        writeln!(
            out,
            "| {name} | {} | {} | {} / {} | {nit} / {nfev} | {} / {} / {} / {} | {:.6e} \\| {:.6e} | {:.1e} \\| {:.1e} |",
            problem.dim,
            case["kind"].as_str().unwrap_or("?"),
            lbfgsb.iterations,
            lbfgsb.counts.f,
            tron.iterations,
            tron.counts.f,
            tron.counts.grad,
            tron.counts.hvp,
            lbfgsb.f,
            case["f"].as_f64().unwrap_or(f64::NAN),
            lbfgsb.grad_norm_inf,
            tron.grad_norm_inf,
        )?;
    }
    if !as_json {
        writeln!(
            out,
            "\nTotal function evaluations: L-BFGS-B {ours_nf}, scipy {scipy_nf}, TRON {tron_nf} (plus its H·v)."
        )?;
    }
    Ok(())
}

/// The bounded table's title and header.
fn bounds_table_head(out: &mut dyn std::io::Write, fixture: &Value) -> Result<(), Box<dyn Error>> {
    writeln!(
        out,
        "## Bounded problems against scipy {} L-BFGS-B (gtol 1e-10 on the projected gradient)\n",
        fixture["scipy"].as_str().unwrap_or("?")
    )?;
    writeln!(
        out,
        "| problem | n | box | L-BFGS-B it / nf | scipy it / nfev | TRON it / nf / ng / H·v | f, ours \\| scipy | ‖P(x−g)−x‖∞ L-BFGS-B \\| TRON |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    Ok(())
}

fn run(args: MghTableArgs, out: &mut dyn std::io::Write) -> Result<(), Box<dyn Error>> {
    let as_json = args.output.json;
    if let Some(factors) = &args.scale {
        return far_starts(out, factors, as_json);
    }
    if args.bounds {
        return bounds_table(out, as_json);
    }
    if args.convex {
        return convex(out, as_json);
    }
    // scipy was asked for gtol 1e-10; ask the same.
    let options = Options {
        gtol: 1e-10,
        max_iter: 20000,
        ..Options::default()
    };

    if !as_json {
        writeln!(
            out,
            "## Against scipy.optimize 1.17 (gtol 1e-10; ours | scipy)\n"
        )?;
        writeln!(
            out,
            "| problem | n | ours | scipy | it | nf+ng | nh | final ‖g‖∞ | status |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
    }
    for problem in scipy_problems() {
        let objective = problem.objective();
        if as_json && problem.name.starts_with("quad") {
            json_line(out, &hessian_json(&problem))?;
        }
        for (ours, theirs, solver) in solvers() {
            let start = Instant::now();
            let r = solver.minimize(&objective, &problem.x0, &options);
            let seconds = start.elapsed().as_secs_f64();
            if as_json {
                json_line(out, &json(&problem, ours, &options, &r, seconds))?;
                continue;
            }
            let peer = SCIPY
                .iter()
                .find(|s| s.0 == problem.name && s.1 == theirs)
                .ok_or_else(|| format!("no scipy figure for {} / {theirs}", problem.name))?;
            writeln!(out,
                "| {} | {} | {ours} | {theirs} | {} \\| {} | {} \\| {} | {} \\| {} | {:.1e} \\| {:.1e} | {:?} |",
                problem.name,
                problem.dim,
                r.iterations,
                peer.2,
                r.counts.f + r.counts.grad,
                peer.3 + peer.4,
                nh(&r),
                peer.5,
                r.grad_norm_inf,
                peer.6,
                r.status,
            )?;
        }
    }

    if args.bases > 0 {
        quadratic_bases(out, args.bases, &options, as_json)?;
    }

    // Every problem of the collection, at the goal tolerance.
    let options = Options {
        gtol: 1e-8,
        max_iter: 20000,
        ..Options::default()
    };
    if !as_json {
        writeln!(out, "\n## Every problem (gtol 1e-8)\n")?;
        writeln!(
            out,
            "| problem | n | method | status | it | nf | ng | nh | f | ‖g‖∞ | time |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|---|---|---|---|")?;
    }
    for problem in problems::all() {
        let objective = problem.objective();
        for (ours, _, solver) in solvers() {
            let start = Instant::now();
            let r = solver.minimize(&objective, &problem.x0, &options);
            let seconds = start.elapsed().as_secs_f64();
            if as_json {
                json_line(out, &json(&problem, ours, &options, &r, seconds))?;
            } else {
                writeln!(
                    out,
                    "| {} | {} | {ours} | {:?} | {} | {} | {} | {} | {:.3e} | {:.1e} | {:.3}s |",
                    problem.name,
                    problem.dim,
                    r.status,
                    r.iterations,
                    r.counts.f,
                    r.counts.grad,
                    nh(&r),
                    r.f,
                    r.grad_norm_inf,
                    seconds
                )?;
            }
        }
    }

    // The large case: O(mn) memory for L-BFGS, H·v only for Newton-CG.
    if args.large {
        let problem = problems::extended_rosenbrock(100_000);
        let objective = problem.objective();
        if !as_json {
            writeln!(out, "\n## Extended Rosenbrock, n = 100 000 (gtol 1e-8)\n")?;
            writeln!(
                out,
                "| method | status | it | nf | ng | nhvp | f | ‖g‖∞ | time |"
            )?;
            writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
        }
        let large: Vec<(&str, Box<dyn Minimizer>)> = vec![
            ("L-BFGS", Box::new(Lbfgs::default())),
            ("Newton-CG", Box::new(NewtonCg::default())),
        ];
        for (name, solver) in large {
            let start = Instant::now();
            let r = solver.minimize(&objective, &problem.x0, &options);
            let seconds = start.elapsed().as_secs_f64();
            if as_json {
                json_line(out, &json(&problem, name, &options, &r, seconds))?;
            } else {
                writeln!(
                    out,
                    "| {name} | {:?} | {} | {} | {} | {} | {:.3e} | {:.1e} | {:.2}s |",
                    r.status,
                    r.iterations,
                    r.counts.f,
                    r.counts.grad,
                    r.counts.hvp,
                    r.f,
                    r.grad_norm_inf,
                    seconds
                )?;
            }
        }
    }
    Ok(())
}
