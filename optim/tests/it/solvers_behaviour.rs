//! How runs end: observers, trajectories, limits, evaluation counts, and
//! numerical trouble reported as a status with the best point so far.

use optim::line_search::{
    Armijo, LineSearch, LineSearchError, LineSearchMethod, MoreThuente, StrongWolfe,
};
use optim::linop::dot;
use optim::objective::{Analytic, AutodiffObjective, Counted, Objective, Point};
use optim::problems;
use optim::solvers::{
    Bfgs, Control, GradientDescent, IterState, Lbfgs, Minimizer, Momentum, Newton, NewtonCg,
    Options, Status, TrustRegion, TrustRegionExact,
};

fn all_solvers() -> Vec<(&'static str, Box<dyn Minimizer>)> {
    vec![
        ("gd", Box::new(GradientDescent::default())),
        // A step small enough for Rosenbrock's curvature (about 2500 at the start).
        (
            "momentum",
            Box::new(Momentum {
                lr: 1e-4,
                ..Momentum::default()
            }),
        ),
        ("newton", Box::new(Newton::default())),
        ("trust_region", Box::new(TrustRegion::default())),
        ("trust_exact", Box::new(TrustRegionExact::default())),
        ("newton_cg", Box::new(NewtonCg::default())),
        ("bfgs", Box::new(Bfgs::default())),
        ("lbfgs", Box::new(Lbfgs::default())),
    ]
}

/// Rosenbrock with hand-written derivatives.
fn analytic_rosenbrock(with_hvp: bool) -> Analytic {
    let f = Analytic::new(
        2,
        |x| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2),
        |x| {
            vec![
                -400.0 * x[0] * (x[1] - x[0] * x[0]) - 2.0 * (1.0 - x[0]),
                200.0 * (x[1] - x[0] * x[0]),
            ]
        },
    );
    if !with_hvp {
        return f;
    }
    f.with_hvp(|x, v| {
        let h = [
            1200.0 * x[0] * x[0] - 400.0 * x[1] + 2.0,
            -400.0 * x[0],
            200.0,
        ];
        vec![h[0] * v[0] + h[1] * v[1], h[1] * v[0] + h[2] * v[1]]
    })
}

#[test]
fn the_observer_sees_every_step_and_can_stop_the_run() {
    let p = problems::rosenbrock();
    let objective = p.objective();
    for (name, solver) in all_solvers() {
        let mut seen: Vec<(usize, f64, usize)> = Vec::new();
        let mut observer = |s: &IterState| {
            seen.push((s.iteration, s.f, s.counts.f));
            if s.iteration == 3 {
                Control::Stop
            } else {
                Control::Continue
            }
        };
        let r = solver.minimize_observed(&objective, &p.x0, &Options::default(), &mut observer);
        assert_eq!(r.status, Status::StoppedByObserver, "{name}");
        assert_eq!(r.iterations, 3, "{name}");
        let iterations: Vec<usize> = seen.iter().map(|s| s.0).collect();
        assert_eq!(iterations, vec![0, 1, 2, 3], "{name}");
        assert_eq!(seen[3].1, r.f, "{name}");
        assert!(
            seen.windows(2).all(|w| w[0].2 <= w[1].2),
            "{name}: counts grow"
        );
    }
}

#[test]
fn line_search_methods_decrease_f_at_every_step() {
    let p = problems::wood();
    let objective = p.objective();
    for (name, solver) in all_solvers() {
        if name == "momentum" {
            continue; // fixed step: not a descent method
        }
        let mut values = Vec::new();
        let mut observer = |s: &IterState| {
            values.push(s.f);
            Control::Continue
        };
        solver.minimize_observed(&objective, &p.x0, &Options::default(), &mut observer);
        assert!(values.len() > 5, "{name}");
        assert!(values.windows(2).all(|w| w[1] < w[0]), "{name}: {values:?}");
    }
}

#[test]
fn the_trajectory_starts_at_x0_and_ends_at_the_reported_point() {
    let p = problems::beale();
    let options = Options {
        record_trajectory: true,
        ..Options::default()
    };
    for (name, solver) in all_solvers() {
        let r = solver.minimize(&p.objective(), &p.x0, &options);
        let t = r.trajectory.as_ref().expect("asked for");
        assert_eq!(t.len(), r.iterations + 1, "{name}");
        assert_eq!(t[0], p.x0, "{name}");
        if r.status.is_converged() {
            assert_eq!(t[t.len() - 1], r.x, "{name}");
        }
    }
    let r = Bfgs::default().minimize(&p.objective(), &p.x0, &Options::default());
    assert!(r.trajectory.is_none());
}

#[test]
fn the_report_counts_exactly_what_the_objective_evaluated() {
    let p = problems::rosenbrock();
    for (name, solver) in all_solvers() {
        let counted = Counted::new(p.objective());
        let r = solver.minimize(&counted, &p.x0, &Options::default());
        assert_eq!(r.counts, counted.counts(), "{name}");
        // The second-order solvers check the curvature where they stop: a
        // Lanczos step per dimension on this 2-D problem.
        let check = 2;
        match name {
            "newton" => assert!(r.counts.hessian == r.iterations && r.counts.hvp == check),
            // One Hessian per point stepped from, reused by rejected trials.
            "trust_exact" => assert!(r.counts.hessian == r.iterations && r.counts.hvp == check),
            "trust_region" | "newton_cg" => assert!(r.counts.hessian == 0 && r.counts.hvp > 0),
            _ => assert!(r.counts.hessian == 0 && r.counts.hvp == 0, "{name}"),
        }
    }
}

#[test]
fn limits_end_the_run_with_their_status() {
    let p = problems::rosenbrock();
    let objective = p.objective();
    let few_iterations = Options {
        max_iter: 5,
        ..Options::default()
    };
    let few_evals = Options {
        max_evals: Some(7),
        ..Options::default()
    };
    let loose_f = Options {
        ftol: 1e-2,
        ..Options::default()
    };
    let loose_x = Options {
        xtol: 1e-2,
        ..Options::default()
    };
    for (name, solver) in all_solvers() {
        let r = solver.minimize(&objective, &p.x0, &few_iterations);
        assert_eq!(
            (r.status, r.iterations),
            (Status::MaxIterations, 5),
            "{name}"
        );
        let r = solver.minimize(&objective, &p.x0, &few_evals);
        assert_eq!(r.status, Status::MaxEvaluations, "{name}");
        // A line search may finish its last step past the limit, never by much.
        assert!(
            r.counts.f >= 7 && r.counts.f < 7 + 50,
            "{name}: {:?}",
            r.counts
        );
        let r = solver.minimize(&objective, &p.x0, &loose_x);
        assert_eq!(r.status, Status::StepTolerance, "{name}");
        assert!(r.grad_norm_inf > 1e-8, "{name}");
        if name != "momentum" {
            let r = solver.minimize(&objective, &p.x0, &loose_f);
            assert_eq!(r.status, Status::FunctionTolerance, "{name}");
            assert!(r.grad_norm_inf > 1e-8, "{name}");
        }
    }
}

#[test]
fn a_start_at_the_minimum_needs_no_iteration() {
    let p = problems::rosenbrock();
    for (name, solver) in all_solvers() {
        let r = solver.minimize(&p.objective(), &[1.0, 1.0], &Options::default());
        assert_eq!(
            (r.status, r.iterations, r.f),
            (Status::GradientTolerance, 0, 0.0),
            "{name}"
        );
    }
}

#[test]
fn divergence_to_infinity_is_a_status_with_the_best_point() {
    // f = Σ x⁴ with a step far too long: the iterates blow up.
    let f = AutodiffObjective::new(2, |x| x.powf(4.0).sum());
    let x0 = [3.0, -2.0];
    let f0 = f.value(&x0);
    let runs: Vec<(&str, Box<dyn Minimizer>)> = vec![
        ("gd", Box::new(GradientDescent::fixed(1.0))),
        (
            "momentum",
            Box::new(Momentum {
                lr: 1.0,
                ..Momentum::default()
            }),
        ),
        ("undamped newton", Box::new(Newton::undamped())),
    ];
    for (name, solver) in runs {
        let r = solver.minimize(&f, &x0, &Options::default());
        if name == "undamped newton" {
            // Newton on x⁴ shrinks x by 2/3 per step: it converges, slowly.
            assert_eq!(r.status, Status::GradientTolerance);
            continue;
        }
        assert_eq!(r.status, Status::NonFinite, "{name}: {r:?}");
        assert!(r.f.is_finite() && r.f <= f0, "{name}: {r:?}");
        assert_eq!(r.f, f.value(&r.x), "{name}");
    }
}

#[test]
fn a_non_finite_start_is_reported_not_iterated() {
    let f = AutodiffObjective::new(1, |x| x.ln().sum());
    for (name, solver) in all_solvers() {
        let r = solver.minimize(&f, &[-1.0], &Options::default());
        assert_eq!((r.status, r.iterations), (Status::NonFinite, 0), "{name}");
    }
}

#[test]
fn a_user_gradient_of_the_wrong_length_is_reported_not_truncated() {
    let f = Analytic::new(3, |x| x.iter().map(|v| v * v).sum(), |x| vec![2.0 * x[0]]);
    for (name, solver) in all_solvers() {
        let r = solver.minimize(&f, &[1.0, 2.0, 3.0], &Options::default());
        assert_eq!((r.status, r.iterations), (Status::NonFinite, 0), "{name}");
    }
}

#[test]
fn non_finite_curvature_is_reported_with_the_start_point() {
    // Value and gradient are fine; the second-order information is NaN.
    let f = Analytic::new(
        2,
        |x| x[0] * x[0] + x[1] * x[1],
        |x| vec![2.0 * x[0], 2.0 * x[1]],
    )
    .with_hvp(|_, _| vec![f64::NAN; 2])
    .with_hessian(|_| vec![f64::NAN; 4]);
    for (name, solver) in [
        ("newton", Box::new(Newton::default()) as Box<dyn Minimizer>),
        ("trust_exact", Box::new(TrustRegionExact::default())),
        ("trust_region", Box::new(TrustRegion::default())),
        ("newton_cg", Box::new(NewtonCg::default())),
    ] {
        let r = solver.minimize(&f, &[1.0, 2.0], &Options::default());
        assert_eq!((r.status, r.iterations), (Status::NonFinite, 0), "{name}");
        assert_eq!(r.x, vec![1.0, 2.0], "{name}");
    }
}

#[test]
fn a_wrong_gradient_ends_in_line_search_failure_at_the_start() {
    // The gradient has the wrong sign: −g points uphill, nothing decreases f.
    let f = Analytic::new(
        2,
        |x| x[0] * x[0] + x[1] * x[1],
        |x| vec![-2.0 * x[0], -2.0 * x[1]],
    );
    let x0 = [1.0, 2.0];
    for (name, solver) in [
        (
            "gd",
            Box::new(GradientDescent::default()) as Box<dyn Minimizer>,
        ),
        ("bfgs", Box::new(Bfgs::default())),
        ("lbfgs", Box::new(Lbfgs::default())),
    ] {
        let r = solver.minimize(&f, &x0, &Options::default());
        assert_eq!(r.status, Status::LineSearchFailed, "{name}: {r:?}");
        assert_eq!(r.x, x0, "{name}: the best point is the start");
    }
}

/// f(x) = x⁴ − x² (per coordinate): concave at 0, minima at ±1/√2 with f = −1/4.
fn double_well() -> AutodiffObjective<impl for<'t> Fn(autodiff::Var<'t>) -> autodiff::Var<'t>> {
    AutodiffObjective::new(1, |x| (x.powf(4.0) - x.square()).sum())
}

#[test]
fn newton_modifies_an_indefinite_hessian_into_a_descent_direction() {
    let f = double_well();
    let x0 = [0.1]; // f'' = 12x² − 2 < 0 here
    let plain = Newton {
        modify: false,
        ..Newton::default()
    };
    assert_eq!(
        plain.minimize(&f, &x0, &Options::default()).status,
        Status::NotDescentDirection
    );
    for (name, solver) in [
        ("newton", Box::new(Newton::default()) as Box<dyn Minimizer>),
        ("newton_cg", Box::new(NewtonCg::default())),
        ("trust_region", Box::new(TrustRegion::default())),
        ("trust_exact", Box::new(TrustRegionExact::default())),
    ] {
        let r = solver.minimize(&f, &x0, &Options::default());
        assert_eq!(r.status, Status::GradientTolerance, "{name}");
        assert!((r.x[0] - 0.5f64.sqrt()).abs() < 1e-8, "{name}: {:?}", r.x);
        assert!((r.f + 0.25).abs() < 1e-15, "{name}");
    }
}

#[test]
fn quasi_newton_skips_pairs_of_negative_curvature() {
    // With backtracking (no curvature condition) the first step from 0.1
    // stays in the concave region: sᵀy < 0. Using that pair would make the
    // update indefinite and the next direction uphill.
    let f = double_well();
    let armijo = LineSearchMethod::Armijo(Armijo::default());
    for (name, solver) in [
        (
            "bfgs",
            Box::new(Bfgs {
                line_search: armijo.clone(),
                ..Bfgs::default()
            }) as Box<dyn Minimizer>,
        ),
        (
            "lbfgs",
            Box::new(Lbfgs {
                line_search: armijo.clone(),
                ..Lbfgs::default()
            }),
        ),
    ] {
        let r = solver.minimize(&f, &[0.1], &Options::default());
        assert_eq!(r.status, Status::GradientTolerance, "{name}: {r:?}");
        assert!((r.x[0] - 0.5f64.sqrt()).abs() < 1e-8, "{name}: {:?}", r.x);
    }
}

#[test]
fn undamped_newton_reports_a_singular_hessian() {
    // f = x⁴ + y²: at (0, 1) the Hessian diag(0, 2) is singular.
    let f = AutodiffObjective::new(2, |x| {
        x.slice(0, 0, 1).powf(4.0).sum() + x.slice(0, 1, 2).square().sum()
    });
    let r = Newton::undamped().minimize(&f, &[0.0, 1.0], &Options::default());
    assert_eq!((r.status, r.iterations), (Status::SingularHessian, 0));
    assert_eq!(r.x, vec![0.0, 1.0]);
}

#[test]
fn hand_written_derivatives_give_the_same_answers() {
    let p = problems::rosenbrock();
    let options = Options::default();
    for with_hvp in [true, false] {
        let f = analytic_rosenbrock(with_hvp);
        for (name, solver) in all_solvers() {
            if name == "gd" || name == "momentum" {
                continue;
            }
            let r = solver.minimize(&f, &p.x0, &options);
            assert_eq!(
                r.status,
                Status::GradientTolerance,
                "{name} (hvp {with_hvp})"
            );
            assert!(
                r.x.iter().all(|x| (x - 1.0).abs() < 1e-6),
                "{name}: {:?}",
                r.x
            );
        }
    }
    // The exact H·v matches the engine's; the difference fallback is close.
    let engine = p.objective();
    let (x, v) = ([0.3, -0.7], [1.0, 2.0]);
    let exact = engine.hvp(&x, &v);
    assert_eq!(analytic_rosenbrock(true).hvp(&x, &v), exact);
    let approx = analytic_rosenbrock(false).hvp(&x, &v);
    assert!(approx
        .iter()
        .zip(&exact)
        .all(|(a, e)| (a - e).abs() < 1e-6 * e.abs().max(1.0)));
}

#[test]
fn line_searches_meet_their_conditions_from_any_first_trial() {
    let p = problems::rosenbrock();
    let f = p.objective();
    let starts = [vec![-1.2, 1.0], vec![0.5, -0.3], vec![2.0, 2.0]];
    let wolfe = StrongWolfe::default();
    let more_thuente = MoreThuente::default();
    let armijo = Armijo::default();
    for x in starts {
        let start = Point::at(&f, x);
        let p: Vec<f64> = start.g.iter().map(|g| -g).collect();
        let slope = dot(&start.g, &p);
        for alpha0 in [1e-8, 1e-3, 1.0, 1e3] {
            for (search, c1, c2) in [
                (&wolfe as &dyn LineSearch, wolfe.c1, wolfe.c2),
                (&more_thuente, more_thuente.c1, more_thuente.c2),
            ] {
                let s = search.search(&f, &start, &p, alpha0).expect("Wolfe step");
                assert!(s.point.f <= start.f + c1 * s.alpha * slope);
                assert!(dot(&s.point.g, &p).abs() <= c2 * slope.abs());
                assert_eq!(s.point.f, f.value(&s.point.x));
            }
            let s = armijo.search(&f, &start, &p, alpha0).expect("Armijo step");
            assert!(s.point.f <= start.f + armijo.c1 * s.alpha * slope);
        }
        let uphill: Vec<f64> = p.iter().map(|v| -v).collect();
        for ls in [
            LineSearchMethod::StrongWolfe(wolfe.clone()),
            LineSearchMethod::MoreThuente(more_thuente.clone()),
            LineSearchMethod::Armijo(armijo.clone()),
        ] {
            let err = ls.search(&f, &start, &uphill, 1.0).expect_err("uphill");
            assert_eq!(err.error, LineSearchError::NotDescent);
        }
    }
}

#[test]
fn wolfe_given_the_curvature_meets_its_conditions_from_any_first_trial() {
    // Newton directions on Rosenbrock, with φ''(0) = pᵀHp from the engine.
    let rosenbrock = problems::rosenbrock();
    let f = Counted::new(rosenbrock.objective());
    let wolfe = StrongWolfe::default();
    for x in [vec![-1.2, 1.0], vec![0.5, -0.3], vec![2.0, 2.0]] {
        let start = Point::at(&f, x);
        let h = f.hessian(&start.x);
        // p = −H⁻¹g for the 2 × 2 Hessian, by Cramer's rule.
        let (a, b, d) = (h.get(0, 0), h.get(0, 1), h.get(1, 1));
        let det = a * d - b * b;
        let p = [
            -(d * start.g[0] - b * start.g[1]) / det,
            -(a * start.g[1] - b * start.g[0]) / det,
        ];
        let slope = dot(&start.g, &p);
        let curvature = dot(&p, &f.hvp(&start.x, &p));
        for alpha0 in [1e-8, 1e-3, 1.0, 1e3] {
            let before = f.counts();
            let s = wolfe
                .search_with_curvature(&f, &start, &p, alpha0, curvature)
                .expect("Wolfe step");
            let after = f.counts();
            assert!(s.point.f <= start.f + wolfe.c1 * s.alpha * slope);
            assert!(dot(&s.point.g, &p).abs() <= wolfe.c2 * slope.abs());
            assert_eq!(s.point.f, f.value(&s.point.x));
            assert_eq!(s.point.g, f.grad(&s.point.x));
            assert!(after.grad - before.grad <= after.f - before.f);
        }
    }
}

#[test]
fn wolfe_given_the_curvature_skips_the_gradient_of_a_rejected_trial() {
    // φ(α) = α³/3 − α from x = 0 along p = 1: φ'(0) = −1, φ''(0) = 0, and
    // the minimiser α = 1. The first trial α = 3 fails sufficient decrease
    // (φ(3) = 6); the cubic through φ(0), φ'(0), φ''(0) and φ(3) is φ itself,
    // so the next trial is α = 1 exactly, where φ'(1) = 0.
    let f = Counted::new(AutodiffObjective::new(1, |x| {
        (x.square() * x * (1.0 / 3.0) - x).sum()
    }));
    let start = Point::at(&f, vec![0.0]);
    let wolfe = StrongWolfe::default();
    let before = f.counts();
    let s = wolfe
        .search_with_curvature(&f, &start, &[1.0], 3.0, 0.0)
        .expect("a step");
    let used = f.counts();
    assert!((s.alpha - 1.0).abs() < 1e-12, "α = {}", s.alpha);
    assert_eq!((used.f - before.f, used.grad - before.grad), (2, 1));
    // Without the curvature each trial costs a gradient too.
    let before = f.counts();
    let s = wolfe.search(&f, &start, &[1.0], 3.0).expect("a step");
    let used = f.counts();
    assert!((s.alpha - 1.0).abs() < 1e-12, "α = {}", s.alpha);
    assert_eq!((used.f - before.f, used.grad - before.grad), (2, 2));
}

#[test]
fn a_line_search_backs_away_from_an_overflow() {
    // exp overflows to ∞ for a long step; the search must come back.
    let f = AutodiffObjective::new(1, |x| (x.exp() - x * 2.0).sum());
    let start = Point::at(&f, vec![0.0]);
    for ls in [
        LineSearchMethod::StrongWolfe(StrongWolfe::default()),
        LineSearchMethod::MoreThuente(MoreThuente::default()),
        LineSearchMethod::Armijo(Armijo::default()),
    ] {
        let s = ls.search(&f, &start, &[1.0], 1e4).expect("finite step");
        assert!(s.point.f < start.f && s.point.f.is_finite());
    }
}

#[test]
fn wolfe_searches_order_values_below_round_off_by_their_slopes() {
    // f = 4 + ½x² at x = 1e-8: every change of f along the line is below
    // the round-off of f = 4, so only slopes can tell the steps apart. The
    // step p = −3x overshoots the minimiser α = 1/3; the search must still
    // come back with the curvature condition met.
    let f = AutodiffObjective::new(1, |x| x.square().sum() * 0.5 + 4.0);
    let start = Point::at(&f, vec![1e-8]);
    let p = [-3e-8];
    let slope = dot(&start.g, &p);
    for (search, c2) in [
        (
            &StrongWolfe::default() as &dyn LineSearch,
            StrongWolfe::default().c2,
        ),
        (&MoreThuente::default(), MoreThuente::default().c2),
    ] {
        let s = search.search(&f, &start, &p, 1.0).expect("a step");
        assert!(
            dot(&s.point.g, &p).abs() <= c2 * slope.abs(),
            "α = {}",
            s.alpha
        );
    }
}

/// `½xᵀAx − bᵀx` with `A = MᵀM + I`, `M` and `b` drawn from `seed`, as the
/// random convex quadratics of the property tests; also `A` and `b`.
fn convex_quadratic(
    n: usize,
    seed: u64,
) -> (
    AutodiffObjective<impl for<'t> Fn(autodiff::Var<'t>) -> autodiff::Var<'t>>,
    autodiff::Tensor,
    autodiff::Tensor,
) {
    use autodiff::Tensor;
    let m = Tensor::randn(&[n, n], seed);
    let a = Tensor::from_fn(&[n, n], |k| {
        let (i, j) = (k / n, k % n);
        let mtm: f64 = (0..n)
            .map(|r| m.data()[r * n + i] * m.data()[r * n + j])
            .sum();
        mtm + if i == j { 1.0 } else { 0.0 }
    });
    let b = Tensor::randn(&[n], seed + 1);
    let (a_in, b_in) = (a.clone(), b.clone());
    let f = AutodiffObjective::new(n, move |x| {
        let t = x.tape();
        let ax = t
            .constant(a_in.clone())
            .matmul(x.reshape(&[n, 1]))
            .reshape(&[n]);
        (x * ax).sum() * 0.5 - (x * t.constant(b_in.clone())).sum()
    });
    (f, a, b)
}

#[test]
fn round_off_near_the_minimiser_does_not_end_a_run() {
    // Two of the random quadratics on which L-BFGS's line search (n = 5) and
    // the trust region's ratio test (n = 3) once failed at ‖∇f‖∞ ≈ 1e-8,
    // where changes of f are below its round-off.
    let options = Options {
        gtol: 1e-9,
        ..Options::default()
    };
    // The first two solvers, first-order, are not held to 1e-9.
    for (n, seed) in [(5, 2288), (3, 2946)] {
        let (f, a, b) = convex_quadratic(n, seed);
        for (name, solver) in all_solvers().into_iter().skip(2) {
            let r = solver.minimize(&f, &vec![0.0; n], &options);
            assert_eq!(
                r.status,
                Status::GradientTolerance,
                "{name}, n = {n}: {r:?}"
            );
            // The gradient Ax − b from the matrix itself, not the engine.
            let residual = (0..n)
                .map(|i| {
                    let ax: f64 = (0..n).map(|j| a.data()[i * n + j] * r.x[j]).sum();
                    (ax - b.data()[i]).abs()
                })
                .fold(0.0, f64::max);
            assert!(
                residual <= 1e-8,
                "{name}, n = {n}: ‖Ax − b‖∞ = {residual:e}"
            );
        }
    }
}
