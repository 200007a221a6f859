//! Box constraints: `Bounds` itself, L-BFGS-B and TRON on problems with a
//! known constrained minimiser, and both against scipy's L-BFGS-B on bounded
//! Moré–Garbow–Hillstrom problems (the committed fixture written by
//! `benches/compare_scipy_bounds.sh`).

use optim::bounds::{Bounds, BoundsError};
use optim::objective::{Analytic, AutodiffObjective, Objective};
use optim::problems;
use optim::solvers::{Lbfgsb, Minimizer, Options, Report, Status, Tron};

const FIXTURE: &str = include_str!("fixtures/scipy_bounds.json");

/// Both bounded solvers on `bounds`.
fn solvers(bounds: &Bounds) -> Vec<(&'static str, Box<dyn Minimizer>)> {
    vec![
        ("L-BFGS-B", Box::new(Lbfgsb::new(bounds.clone()))),
        ("TRON", Box::new(Tron::new(bounds.clone()))),
    ]
}

fn tight() -> Options {
    Options {
        gtol: 1e-10,
        max_iter: 5000,
        ..Options::default()
    }
}

fn in_box(bounds: &Bounds, x: &[f64]) -> bool {
    x.iter()
        .zip(bounds.lo().iter().zip(bounds.hi()))
        .all(|(v, (l, h))| l <= v && v <= h)
}

#[test]
fn bounds_reject_bad_input_by_name() {
    assert_eq!(
        Bounds::new(vec![0.0; 2], vec![1.0; 3]),
        Err(BoundsError::LengthMismatch { lo: 2, hi: 3 })
    );
    assert_eq!(
        Bounds::new(vec![0.0, f64::NAN], vec![1.0; 2]),
        Err(BoundsError::NotANumber { index: 1 })
    );
    assert_eq!(
        Bounds::new(vec![0.0, 2.0], vec![1.0, 1.0]),
        Err(BoundsError::Empty {
            index: 1,
            lo: 2.0,
            hi: 1.0
        })
    );
    assert!(Bounds::new(vec![f64::INFINITY], vec![f64::INFINITY]).is_err());
    assert!(Bounds::new(vec![f64::NEG_INFINITY], vec![f64::NEG_INFINITY]).is_err());
    let message = Bounds::new(vec![3.0], vec![1.0]).unwrap_err().to_string();
    assert!(message.contains("variable 0"), "{message}");
    // Equal bounds fix a variable; infinite ones leave it free.
    assert!(Bounds::new(vec![1.0, f64::NEG_INFINITY], vec![1.0, f64::INFINITY]).is_ok());
}

#[test]
fn projection_projected_gradient_and_breakpoints() {
    let b = Bounds::new(vec![0.0, -1.0, f64::NEG_INFINITY], vec![1.0, 1.0, 0.0]).unwrap();
    assert_eq!(b.project(&[2.0, -3.0, 5.0]), vec![1.0, -1.0, 0.0]);
    // x₁ at its upper bound pushed up, x₂ inside, x₃ at its upper bound pulled down.
    let (x, g) = ([1.0, 0.0, 0.0], [-2.0, 0.5, 3.0]);
    assert_eq!(b.projected_gradient(&x, &g), vec![0.0, -0.5, -3.0]);
    assert_eq!(b.projected_gradient_norm(&x, &g), 3.0);
    assert_eq!(b.free(&x), vec![false, true, false]);
    assert_eq!(
        b.breakpoints(&[0.5, 0.0, -1.0], &[1.0, -0.5, -1.0]),
        vec![0.5, 2.0, f64::INFINITY]
    );
    assert_eq!(b.max_step(&[0.5, 0.0, -1.0], &[1.0, -0.5, -1.0]), 0.5);
}

/// `½ Σ aᵢ (xᵢ − cᵢ)²` with `aᵢ` from 1 to 1000: its minimiser in a box is
/// `c` clamped to the box.
#[test]
fn separable_quadratic_reaches_the_clamped_centre() {
    let n = 20;
    let a: Vec<f64> = (0..n)
        .map(|i| 1000f64.powf(i as f64 / (n - 1) as f64))
        .collect();
    let c: Vec<f64> = (0..n).map(|i| 3.0 * ((i as f64) * 1.7).sin()).collect();
    let (a1, c1, a2, c2) = (a.clone(), c.clone(), a.clone(), c.clone());
    let f = Analytic::new(
        n,
        move |x| (0..n).map(|i| 0.5 * a1[i] * (x[i] - c1[i]).powi(2)).sum(),
        move |x| (0..n).map(|i| a2[i] * (x[i] - c2[i])).collect(),
    )
    .with_hvp(move |_, v| v.iter().zip(&a).map(|(vi, ai)| vi * ai).collect());
    let bounds = Bounds::new(vec![-1.0; n], vec![1.5; n]).unwrap();
    let expected = bounds.project(&c);
    assert!(
        expected
            .iter()
            .filter(|v| v.abs() == 1.0 || **v == 1.5)
            .count()
            >= 5
    );
    for (name, solver) in solvers(&bounds) {
        let r = solver.minimize(&f, &vec![0.0; n], &tight());
        assert_eq!(r.status, Status::GradientTolerance, "{name}");
        for (xi, ei) in r.x.iter().zip(&expected) {
            assert!((xi - ei).abs() <= 1e-10, "{name}: {xi} against {ei}");
        }
    }
}

/// `(x₁ − x₂)² + (x₂ − 3)²` with `x₁` fixed at 2 by `lo = hi`: the
/// minimiser is `x₂ = 2.5`, and `x₁` never moves.
#[test]
fn equal_bounds_fix_a_variable() {
    let f = AutodiffObjective::new(2, |x| {
        let (a, b) = (x.slice(0, 0, 1), x.slice(0, 1, 2));
        ((a - b).square() + (b - 3.0).square()).sum()
    });
    let bounds = Bounds::new(vec![2.0, -10.0], vec![2.0, 10.0]).unwrap();
    let options = Options {
        record_trajectory: true,
        ..tight()
    };
    for (name, solver) in solvers(&bounds) {
        let r = solver.minimize(&f, &[0.0, 0.0], &options);
        assert_eq!(r.status, Status::GradientTolerance, "{name}");
        assert!((r.x[1] - 2.5).abs() <= 1e-10, "{name}: {:?}", r.x);
        let trajectory = r.trajectory.unwrap();
        assert!(trajectory.iter().all(|x| x[0] == 2.0), "{name}");
    }
}

/// A start outside the box is projected into it: the first iterate is the
/// projection, and every later one stays in the box.
#[test]
fn a_start_outside_the_box_is_projected() {
    let p = problems::rosenbrock();
    let f = p.objective();
    let bounds = Bounds::new(vec![-2.0, -2.0], vec![0.5, 2.0]).unwrap();
    let options = Options {
        record_trajectory: true,
        ..tight()
    };
    for (name, solver) in solvers(&bounds) {
        let r = solver.minimize(&f, &[-5.0, 7.0], &options);
        let trajectory = r.trajectory.clone().unwrap();
        assert_eq!(trajectory[0], vec![-2.0, 2.0], "{name}");
        assert!(trajectory.iter().all(|x| in_box(&bounds, x)), "{name}");
        assert_eq!(r.status, Status::GradientTolerance, "{name}");
        assert!((r.f - 0.25).abs() <= 1e-12, "{name}: f = {}", r.f);
    }
}

/// One case of the fixture.
struct Case {
    problem: String,
    kind: String,
    bounds: Bounds,
    x0: Vec<f64>,
    x: Vec<f64>,
    f: f64,
    nfev: usize,
}

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn scipy_cases() -> Vec<Case> {
    let json: serde_json::Value = serde_json::from_str(FIXTURE).expect("the fixture is JSON");
    json["cases"]
        .as_array()
        .expect("a list of cases")
        .iter()
        .map(|c| Case {
            problem: c["problem"].as_str().unwrap().to_string(),
            kind: c["kind"].as_str().unwrap().to_string(),
            bounds: Bounds::new(numbers(&c["lo"]), numbers(&c["hi"])).unwrap(),
            x0: numbers(&c["x0"]),
            x: numbers(&c["x"]),
            f: c["f"].as_f64().unwrap(),
            nfev: c["nfev"].as_u64().unwrap() as usize,
        })
        .collect()
}

/// The largest relative difference `|x − x*| / max(|x*|, 1)` allowed from
/// scipy's minimiser.
const X_TOL: f64 = 1e-8;

/// `max |x − x*| / max(|x*|, 1)` from scipy's minimiser.
fn x_error(case: &Case, x: &[f64]) -> f64 {
    x.iter()
        .zip(&case.x)
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs() / b.abs().max(1.0)))
}

/// What is wrong with `r` against scipy's answer, if anything: the
/// projected gradient is recomputed here from the objective.
fn disagreement(case: &Case, f: &dyn Objective, r: &Report) -> Option<String> {
    let f_err = (r.f - case.f).abs() / case.f.abs().max(1.0);
    let x_err = x_error(case, &r.x);
    let pg = case.bounds.projected_gradient_norm(&r.x, &f.grad(&r.x));
    let wrong = !r.status.is_converged()
        || !in_box(&case.bounds, &r.x)
        || pg > 1e-8
        || f_err > 1e-8
        || x_err > X_TOL;
    wrong.then(|| {
        format!(
            "{} ({}): {:?}, projected gradient {pg:.1e}, f error {f_err:.1e}, x error {x_err:.1e}",
            case.problem, case.kind, r.status
        )
    })
}

/// Both solvers reach scipy's L-BFGS-B minimum on every bounded MGH case
/// of the fixture (boxes that cut off the unconstrained minimum and boxes
/// that hold it): `f` and `x` to 1e-8 (relative, or absolute below 1), and
/// the projected gradient, recomputed, ≤ 1e-8.
#[test]
fn bounded_mgh_problems_match_scipy_lbfgsb() {
    let cases = scipy_cases();
    assert!(cases.len() >= 16);
    let problems = problems::all();
    let mut failures = Vec::new();
    for case in &cases {
        let p = problems
            .iter()
            .find(|p| p.name == case.problem)
            .unwrap_or_else(|| panic!("no problem named {}", case.problem));
        let f = p.objective();
        assert_eq!(case.x0, p.x0, "{}: the fixture's start", case.problem);
        for (name, solver) in solvers(&case.bounds) {
            let r = solver.minimize(&f, &p.x0, &tight());
            println!(
                "{:<24} {:<9} {name:<9} {:?} f {:.10e} (scipy {:.10e}) x error {:.1e} nf {} (scipy {}) nhvp {}",
                case.problem,
                case.kind,
                r.status,
                r.f,
                case.f,
                x_error(case, &r.x),
                r.counts.f,
                case.nfev,
                r.counts.hvp
            );
            if let Some(why) = disagreement(case, &f, &r) {
                failures.push(format!("{name}: {why}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
