//! Every program's command line: `--help` with defaults, every value
//! checked before any work, errors that name the argument, no panic on any
//! argument vector, and output files where the user says, written whole.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clap::error::ErrorKind;
use examples::cli::programs::{self, Entry};
use proptest::prelude::*;

fn program(name: &str) -> Entry {
    programs::all()
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} is listed"))
}

/// The error `name args…` gets, in-process, as clap renders it.
fn error(name: &str, args: &[&str]) -> clap::Error {
    let argv = std::iter::once(name)
        .chain(args.iter().copied())
        .map(String::from)
        .collect();
    match (program(name).check)(argv) {
        Ok(()) => panic!("{name} {args:?} should be refused"),
        Err(e) => e,
    }
}

/// Asserts that `name args…` is refused with a message containing each of `words`.
fn refused(name: &str, args: &[&str], words: &[&str]) -> String {
    let e = error(name, args);
    let text = e.render().to_string();
    for w in words {
        assert!(
            text.contains(w),
            "{name} {args:?}: '{text}' should say '{w}'"
        );
    }
    text
}

fn accepted(name: &str, args: &[&str]) {
    let argv = std::iter::once(name)
        .chain(args.iter().copied())
        .map(String::from)
        .collect();
    if let Err(e) = (program(name).check)(argv) {
        panic!("{name} {args:?} should be accepted: {}", e.render());
    }
}

fn bin(name: &str) -> &'static str {
    match name {
        "arena" => env!("CARGO_BIN_EXE_arena"),
        "curvature_spectrum" => env!("CARGO_BIN_EXE_curvature_spectrum"),
        "custom_primitive" => env!("CARGO_BIN_EXE_custom_primitive"),
        "engine_tour" => env!("CARGO_BIN_EXE_engine_tour"),
        "mgh_table" => env!("CARGO_BIN_EXE_mgh_table"),
        "playground" => env!("CARGO_BIN_EXE_playground"),
        "second_order_race" => env!("CARGO_BIN_EXE_second_order_race"),
        _ => panic!("no path for {name}"),
    }
}

fn run_in(dir: &Path, name: &str, args: &[&str]) -> Output {
    Command::new(bin(name))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the program starts")
}

fn fresh_folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_binary_of_the_package_is_listed() {
    let manifest = include_str!("../../Cargo.toml");
    let mut bins: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|block| block.split('"').nth(1))
        .collect();
    bins.sort_unstable();
    let listed: Vec<&str> = programs::all().iter().map(|e| e.name).collect();
    assert_eq!(listed, bins);
    let sources = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin"))
        .expect("src/bin")
        .count();
    assert_eq!(sources, bins.len(), "one [[bin]] per file in src/bin");
}

#[test]
fn every_program_answers_help_with_its_options_and_defaults() {
    for entry in programs::all() {
        let e = (entry.check)(vec![entry.name.into(), "--help".into()])
            .expect_err("--help stops before any work");
        assert_eq!(e.kind(), ErrorKind::DisplayHelp, "{}", entry.name);
        assert_eq!(e.exit_code(), 0, "{}", entry.name);
        let help = e.render().to_string();
        assert!(help.contains("--json"), "{}: {help}", entry.name);
        assert!(help.contains(&format!("Usage: {}", entry.name)), "{help}");
        // An option with a fixed default shows it; a computed one says so.
        for arg in (entry.command)().get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if !arg.get_action().takes_values() {
                continue;
            }
            let line = help
                .lines()
                .skip_while(|l| !l.contains(&format!("--{long}")))
                .take(3)
                .collect::<String>();
            assert!(
                line.contains("[default:") || line.contains("default:") || long == "scale",
                "{} --{long} shows no default: {line}",
                entry.name
            );
        }
    }
}

#[test]
fn every_input_of_issue_19_is_refused_naming_the_argument() {
    // Each row of the README's table "Bad input to the programs".
    refused(
        "second_order_race",
        &["--seconds", "-1"],
        &["--seconds", "must be above 0"],
    );
    refused(
        "second_order_race",
        &["--seconds", "nan"],
        &["--seconds", "expected a finite number"],
    );
    refused(
        "second_order_race",
        &["--seconds", "1e300"],
        &["--seconds", "at most 86400 seconds"],
    );
    refused(
        "second_order_race",
        &["--adam-lr", "-1"],
        &["--adam-lr", "must be above 0"],
    );
    for name in [
        "engine_tour",
        "kfac_classic",
        "curvature_spectrum",
        "mgh_table",
    ] {
        refused(name, &["--bogus"], &["unexpected argument '--bogus'"]);
        accepted(name, &["--json"]);
    }
    refused(
        "mgh_table",
        &["--bases", "abc"],
        &["--bases", "invalid digit"],
    );
    refused(
        "mgh_table",
        &["--scale", "1,nan"],
        &["--scale", "expected a finite number"],
    );
    refused(
        "mgh_table",
        &["--scale", "1", "--convex"],
        &["--scale", "--convex", "cannot be used with"],
    );
    refused(
        "arena",
        &["--start", "1e308,1e308"],
        &["--start", "within ±1e6"],
    );
    refused(
        "arena",
        &["--start", "5,5"],
        &["--start", "outside the window of Rosenbrock"],
    );
    refused(
        "arena",
        &["--function", "rosenbrock", "--condition", "10"],
        &["--condition", "quadratic only"],
    );
    refused(
        "arena",
        &["--optimizers", "gd,gd"],
        &["--optimizers", "'gd' is listed twice"],
    );
    refused(
        "arena",
        &["--out", "/no-such-folder/a.svg"],
        &["--out", "does not exist"],
    );
    refused(
        "curvature_viz",
        &["--points", "1,2;3"],
        &["--points", "'3'"],
    );
    refused("tour_landscape", &["--n", "7"], &["--n", "even dimension"]);
    refused(
        "playground",
        &["--time-limit", "0"],
        &["--time-limit", "must be above 0"],
    );
    accepted("arena", &["--start", "-1.5,2", "--step", "1e-3"]);
    accepted("curvature_viz", &["--points", "-1,-2;3,4"]);
    accepted("mgh_table", &["--scale", "-1,10", "--json"]);
}

#[test]
fn a_refused_command_line_exits_2_before_any_work_and_a_failed_run_exits_1() {
    let dir = fresh_folder("exits");
    let out = run_in(&dir, "second_order_race", &["--seconds", "nan"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--seconds"), "{err}");
    assert!(
        names_in(&dir).is_empty(),
        "nothing written: {:?}",
        names_in(&dir)
    );
    let out = run_in(&dir, "engine_tour", &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--json"));
    let out = run_in(&dir, "playground", &["--host", "256.0.0.1", "--port", "0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: --host/--port"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn json_of_the_programs_that_printed_text_parses() {
    for (name, key) in [
        ("engine_tour", "sweep"),
        ("custom_primitive", "caught_by"),
        ("curvature_spectrum", "hessian"),
    ] {
        let out = run_in(&std::env::temp_dir(), name, &["--json"]);
        assert!(out.status.success(), "{name}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
        assert!(!v[key].is_null(), "{name}: {key}");
    }
    let out = run_in(&std::env::temp_dir(), "mgh_table", &["--json", "--convex"]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 8, "2 data sets × 2 penalties × 2 methods");
}

#[test]
fn a_picture_goes_to_the_current_folder_by_default_and_nothing_else_is_left() {
    let dir = fresh_folder("default-out");
    let args = ["--optimizers", "newton", "--max-iter", "20", "--json"];
    let out = run_in(&dir, "arena", &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(names_in(&dir), ["arena-rosenbrock.svg"]);
    let sub = dir.join("pictures");
    std::fs::create_dir_all(&sub).expect("a folder");
    let target = sub.join("a.svg");
    let mut with_out = args.to_vec();
    with_out.extend(["--out", target.to_str().expect("UTF-8")]);
    let out = run_in(&dir, "arena", &with_out);
    assert!(out.status.success());
    assert_eq!(names_in(&sub), ["a.svg"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_readme_picture_is_what_the_command_it_names_draws() {
    let dir = fresh_folder("readme-picture");
    let out = run_in(
        &dir,
        "arena",
        &[
            "--function",
            "rosenbrock",
            "--optimizers",
            "gd,momentum,newton-plain,newton,trust-region,bfgs",
            "--out",
            "arena-rosenbrock.svg",
        ],
    );
    assert!(out.status.success());
    let drawn = std::fs::read(dir.join("arena-rosenbrock.svg")).expect("the picture");
    let kept = include_bytes!("../../../docs/arena-rosenbrock.svg");
    assert!(
        drawn == kept,
        "docs/arena-rosenbrock.svg is not what the README's command draws"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Values the fuzzer draws from: the malformed, the huge, the non-finite.
const VALUES: &[&str] = &[
    "nan",
    "NaN",
    "inf",
    "-inf",
    "-1",
    "0",
    "-0",
    "1",
    "7",
    "1e308",
    "-1e308",
    "1e-320",
    "18446744073709551616",
    "1e308,1e308",
    "nan,0",
    "1,2",
    "-1.5,2",
    "1,2;3,4",
    "1,2;",
    ";",
    ",",
    "",
    " ",
    "abc",
    "rosenbrock",
    "quadratic",
    "gd,gd",
    "adam",
    "newton,bfgs",
    "/",
    "/no-such-folder/x.svg",
    ".",
    "..",
    "=",
    "--",
    "-",
    "0x10",
    "1_000",
];

/// One token of a command line, picked from the program's own options,
/// [`VALUES`], an arbitrary string or number, or `--option=value`.
fn token(names: &[String], (kind, pick, text, number): &(u8, u8, String, f64)) -> String {
    let name = &names[usize::from(*pick) % names.len()];
    let value = VALUES[usize::from(*pick) % VALUES.len()];
    match kind % 6 {
        0 | 1 => name.clone(),
        2 => value.to_string(),
        3 => text.clone(),
        4 => number.to_string(),
        _ => format!("{name}={value}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Any argument vector gets a parse or an error from every program,
    /// never a panic (proptest fails the test on one).
    #[test]
    fn no_argument_vector_makes_any_program_panic(
        which in 0usize..20,
        picks in proptest::collection::vec(
            (any::<u8>(), any::<u8>(), "\\PC{0,12}", any::<f64>()), 0..10),
    ) {
        let all = programs::all();
        let entry = &all[which % all.len()];
        let mut names: Vec<String> = (entry.command)()
            .get_arguments()
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .collect();
        names.extend(["--help".into(), "-h".into(), "--bogus".into()]);
        let argv: Vec<String> = std::iter::once(entry.name.to_string())
            .chain(picks.iter().map(|p| token(&names, p)))
            .collect();
        let _ = (entry.check)(argv);
    }
}
