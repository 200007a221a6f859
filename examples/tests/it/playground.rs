//! The playground's JSON API on an ephemeral port: good requests answer
//! what the library and the command-line `arena` and `curvature_viz` give
//! for the same settings, and what closed forms say; every bad request gets
//! a 400 naming what was wrong, and the server keeps serving.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::Duration;

use examples::arena::{self, ArenaFunction};
use examples::playground::server::Playground;
use serde_json::{json, Value};

/// A server on a free port, serving on its own thread.
fn serve(time_limit: Duration) -> SocketAddr {
    let playground = Playground::bind("127.0.0.1:0", time_limit).expect("binds");
    let address = playground.address();
    std::thread::spawn(move || playground.serve());
    address
}

/// One HTTP/1.0 exchange (so the answer is not chunked): the status and the body.
fn exchange(address: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a header and a body");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    (status, body.to_string())
}

fn post(address: SocketAddr, endpoint: &str, body: &Value) -> (u16, Value) {
    let (status, text) = exchange(
        address,
        "POST",
        &format!("/api/{endpoint}"),
        &body.to_string(),
    );
    (status, serde_json::from_str(&text).expect("a JSON answer"))
}

fn ok(address: SocketAddr, endpoint: &str, body: Value) -> Value {
    let (status, answer) = post(address, endpoint, &body);
    assert_eq!(status, 200, "{endpoint} {body}: {answer}");
    answer
}

/// Runs a command-line program with `--json`.
fn program(bin: &str, args: &[&str]) -> Value {
    let out = Command::new(bin)
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn temp_svg(name: &str) -> String {
    std::env::temp_dir()
        .join(format!("playground-{name}-{}.svg", std::process::id()))
        .display()
        .to_string()
}

#[test]
fn arena_runs_are_the_librarys_and_the_command_lines() {
    let address = serve(Duration::from_secs(60));
    let names = [
        "gd",
        "nesterov",
        "newton",
        "newton-plain",
        "trust-region",
        "bfgs",
        "adam",
    ];
    let answer = ok(
        address,
        "arena",
        json!({ "function": "quadratic", "condition": 100, "angle": 30, "start": [-2.0, 1.5],
                "optimizers": names, "step": 0.015, "max_iter": 3000 }),
    );
    // The library, called directly.
    let f = ArenaFunction::quadratic(100.0, 30.0);
    let runs = arena::run(&f, [-2.0, 1.5], &names, 0.015, 3000).expect("known names");
    let served = answer["runs"].as_array().expect("runs");
    assert_eq!(served.len(), runs.len());
    for (s, r) in served.iter().zip(&runs) {
        assert_eq!(s["name"], r.name);
        assert_eq!(s["iterations"], r.run.iterations, "{}", r.name);
        let path: Vec<Vec<f64>> = serde_json::from_value(s["path"].clone()).expect("points");
        assert_eq!(path.len(), r.run.path.len(), "{}", r.name);
        // Equal up to serde_json's parsing, which may be one unit in the last place off.
        let same = |a: f64, b: f64| (a - b).abs() <= 2.0 * f64::EPSILON * a.abs().max(b.abs());
        let differ = path
            .iter()
            .flatten()
            .zip(r.run.path.iter().flatten())
            .filter(|(a, b)| !same(**a, **b))
            .count();
        assert_eq!(differ, 0, "{}: coordinates that differ", r.name);
        assert_eq!(
            s["evaluations"]["grad"], r.run.report.counts.grad,
            "{}",
            r.name
        );
    }
    // Newton lands on the minimiser of a quadratic in one step.
    let newton = &served[2];
    assert_eq!(newton["iterations"], 1);
    assert!(newton["x"][0].as_f64().unwrap().abs() < 1e-12);
    // The command line, same settings: the same figures.
    let cli = program(
        env!("CARGO_BIN_EXE_arena"),
        &[
            "--function",
            "quadratic",
            "--condition",
            "100",
            "--angle",
            "30",
            "--start",
            "-2,1.5",
            "--optimizers",
            &names.join(","),
            "--step",
            "0.015",
            "--max-iter",
            "3000",
            "--out",
            &temp_svg("arena"),
        ],
    );
    assert_eq!(cli["optimizers"], answer["runs"]);
    std::fs::remove_file(temp_svg("arena")).ok();
}

#[test]
fn local_models_and_spectra_are_the_command_lines_and_the_closed_forms() {
    let address = serve(Duration::from_secs(60));
    // Himmelblau's local maximum and one of its saddle points (to 6 digits), and a point near a minimum.
    let points = [[-0.270845, -0.923039], [0.086678, 2.884255], [3.1, 2.1]];
    let served: Vec<Value> = points
        .iter()
        .map(|p| {
            ok(
                address,
                "local_model",
                json!({ "function": "himmelblau", "point": p }),
            )
        })
        .collect();
    let spectrum = ok(address, "spectrum", json!({ "train_steps": 3 }));
    let cli = program(
        env!("CARGO_BIN_EXE_curvature_viz"),
        &[
            "--function",
            "himmelblau",
            "--points",
            "-0.270845,-0.923039;0.086678,2.884255;3.1,2.1",
            "--train-steps",
            "3",
            "--out",
            &temp_svg("curvature"),
        ],
    );
    std::fs::remove_file(temp_svg("curvature")).ok();
    for (s, c) in served.iter().zip(cli["models"].as_array().expect("models")) {
        for key in [
            "point",
            "value",
            "gradient",
            "hessian",
            "eigenvalues",
            "newton_step",
            "shape",
        ] {
            assert_eq!(s[key], c[key], "{key}");
        }
    }
    let shapes: Vec<&Value> = served.iter().map(|m| &m["shape"]).collect();
    assert_eq!(shapes, ["cap", "saddle", "bowl"]);
    assert_eq!(spectrum["initialisation"], cli["mlp"]["initialisation"]);
    assert_eq!(spectrum["trained"], cli["mlp"]["trained"]);

    // ½xᵀAx with eigenvalues 1 and κ: the model is exact, the Newton step
    // is −x, the eigenvector of κ is at the angle, and κ is the condition number.
    let m = ok(
        address,
        "local_model",
        json!({ "function": "quadratic", "condition": 50, "angle": 60, "point": [1.0, -2.0] }),
    );
    let close =
        |v: &Value, x: f64| (v.as_f64().expect("a number") - x).abs() < 1e-12 * x.abs().max(1.0);
    assert!(close(&m["eigenvalues"][0], 1.0) && close(&m["eigenvalues"][1], 50.0));
    assert!(close(&m["condition_number"], 50.0));
    assert!(close(&m["newton_step"][0], -1.0) && close(&m["newton_step"][1], 2.0));
    let (s, c) = 60f64.to_radians().sin_cos();
    let v = &m["eigenvectors"][1];
    let along = v[0].as_f64().unwrap() * c + v[1].as_f64().unwrap() * s;
    assert!((along.abs() - 1.0).abs() < 1e-12);
    // Every point of the curve pᵀHp = c² is at the same level of the model.
    let h: Vec<f64> = serde_json::from_value(m["hessian"].clone()).unwrap();
    let levels: Vec<f64> = m["curves"][0][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let p = [q[0].as_f64().unwrap() - 1.0, q[1].as_f64().unwrap() + 2.0];
            p[0] * (h[0] * p[0] + h[1] * p[1]) + p[1] * (h[2] * p[0] + h[3] * p[1])
        })
        .collect();
    assert!(levels
        .iter()
        .all(|l| (l - levels[0]).abs() < 1e-9 * levels[0]));
}

#[test]
fn a_formula_has_the_exact_derivatives_of_the_built_in_function() {
    let address = serve(Duration::from_secs(60));
    let rosenbrock = json!({ "function": "formula", "formula": "100*(y - x^2)^2 + (1 - x)^2",
                             "x_range": [-2, 2], "y_range": [-1, 3] });
    let mut at = rosenbrock.clone();
    at["point"] = json!([-1.2, 1.0]);
    let typed = ok(address, "local_model", at);
    let built_in = ok(
        address,
        "local_model",
        json!({ "function": "rosenbrock", "point": [-1.2, 1.0] }),
    );
    // ∇f = (−400x(y − x²) − 2(1 − x), 200(y − x²)) at (−1.2, 1): (−215.6, −88).
    let g = &typed["gradient"];
    assert!((g[0].as_f64().unwrap() + 215.6).abs() < 1e-10);
    assert!((g[1].as_f64().unwrap() + 88.0).abs() < 1e-10);
    for key in ["gradient", "hessian"] {
        for k in 0..typed[key].as_array().unwrap().len() {
            let (a, b) = (
                typed[key][k].as_f64().unwrap(),
                built_in[key][k].as_f64().unwrap(),
            );
            assert!(
                (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                "{key}[{k}]: {a} vs {b}"
            );
        }
    }
    let mut run = rosenbrock.clone();
    run["start"] = json!([-1.2, 1.0]);
    run["optimizers"] = json!(["newton", "trust-region"]);
    for r in ok(address, "arena", run)["runs"].as_array().unwrap() {
        assert_eq!(r["converged"], true, "{}", r["name"]);
        assert!((r["x"][0].as_f64().unwrap() - 1.0).abs() < 1e-8);
        assert!((r["x"][1].as_f64().unwrap() - 1.0).abs() < 1e-8);
    }
    // A formula that leaves its domain ends the run with its status, not an error.
    let nan = json!({ "function": "formula", "formula": "log(x) + y^2", "start": [0.5, 1.0],
                      "optimizers": ["gd"], "step": 1.0 });
    let gd = &ok(address, "arena", nan)["runs"][0];
    assert_eq!(gd["status"], "NonFinite");
    assert_eq!(gd["converged"], false);
    let surface = ok(
        address,
        "surface",
        json!({ "function": "himmelblau", "grid": 40, "levels": 7 }),
    );
    assert_eq!(surface["contours"].as_array().unwrap().len(), 7);
    assert_eq!(surface["minima"].as_array().unwrap().len(), 4);
}

#[test]
fn every_bad_request_gets_a_400_naming_it_and_the_server_keeps_serving() {
    let address = serve(Duration::from_secs(60));
    let arena_with = |change: Value| {
        let mut body = json!({ "function": "rosenbrock", "optimizers": ["gd"], "start": [0, 0] });
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases = [
        (
            "arena",
            arena_with(json!({ "function": "sphere" })),
            "unknown function 'sphere'",
        ),
        (
            "arena",
            arena_with(json!({ "optimizers": ["gd", "adamw"] })),
            "unknown optimizer 'adamw'",
        ),
        (
            "arena",
            arena_with(json!({ "optimizers": [] })),
            "optimizers",
        ),
        (
            "arena",
            arena_with(json!({ "optimizers": ["gd", "gd"] })),
            "listed twice",
        ),
        (
            "arena",
            arena_with(json!({ "optimizers": "gd" })),
            "optimizers",
        ),
        ("arena", arena_with(json!({ "start": ["inf", 0] })), "start"),
        ("arena", arena_with(json!({ "start": [1] })), "start"),
        ("arena", arena_with(json!({ "step": 0 })), "step"),
        ("arena", arena_with(json!({ "step": -0.1 })), "step"),
        (
            "arena",
            arena_with(json!({ "max_iter": 1_000_000 })),
            "max_iter",
        ),
        ("arena", arena_with(json!({ "max_iter": 2.5 })), "max_iter"),
        (
            "arena",
            arena_with(json!({ "function": "quadratic", "condition": 0.5 })),
            "condition",
        ),
        (
            "arena",
            arena_with(json!({ "condition": 10 })),
            "quadratic only",
        ),
        (
            "arena",
            arena_with(json!({ "function": "formula", "formula": "x + * y" })),
            "formula: column 5",
        ),
        (
            "arena",
            arena_with(json!({ "function": "formula", "formula": "x + foo(y)" })),
            "unknown name 'foo'",
        ),
        (
            "arena",
            arena_with(json!({ "function": "formula", "formula": "x", "x_range": [1, -1] })),
            "x_range",
        ),
        (
            "surface",
            json!({ "function": "beale", "grid": 100_000 }),
            "grid",
        ),
        (
            "surface",
            json!({ "function": "beale", "levels": 0 }),
            "levels",
        ),
        (
            "local_model",
            json!({ "function": "beale" }),
            "point: missing",
        ),
        (
            "local_model",
            json!({ "function": "formula", "formula": "sqrt(x)", "point": [-1, 0] }),
            "not finite",
        ),
        (
            "spectrum",
            json!({ "train_steps": 1_000_000 }),
            "train_steps",
        ),
        ("spectrum", json!([1, 2]), "JSON object"),
    ];
    for (endpoint, body, names) in cases {
        let (status, answer) = post(address, endpoint, &body);
        assert_eq!(status, 400, "{endpoint} {body}: {answer}");
        let message = answer["error"].as_str().expect("an error message");
        assert!(
            message.contains(names),
            "{endpoint} {body}: '{message}' should name {names}"
        );
    }
    let (status, text) = exchange(address, "POST", "/api/arena", "{not json");
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("not JSON"));
    let (status, text) = exchange(address, "POST", "/api/arena", &"x".repeat(70_000));
    assert_eq!(status, 400, "{text}");
    assert_eq!(exchange(address, "GET", "/nothing", "").0, 404);
    assert_eq!(exchange(address, "POST", "/api/nothing", "{}").0, 404);
    // Still serving: the page and a good request.
    let (status, page) = exchange(address, "GET", "/", "");
    assert_eq!(status, 200);
    assert!(page.contains("id=\"arena-plot\""));
    ok(
        address,
        "arena",
        arena_with(json!({ "optimizers": ["newton"] })),
    );
}

#[test]
fn a_computation_past_the_time_limit_is_answered_and_the_server_goes_on() {
    let address = serve(Duration::from_millis(1));
    let (status, answer) = post(address, "spectrum", &json!({ "train_steps": 50 }));
    assert_eq!(status, 503, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("time limit"));
    let (status, catalog) = exchange(address, "GET", "/api/catalog", "");
    assert_eq!(status, 200);
    assert!(catalog.contains("\"adam\""));
}
