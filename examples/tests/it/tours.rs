//! The tour's key figures against independent truths: closed forms, the
//! sample statistics, dense solves and eigendecompositions.

use autodiff::{func, Tensor, Var};
use examples::{gradient_descent, hvp, kfac, landscape, natural_gradient, newton, quasi_newton};
use nalgebra::{DMatrix, DVector};

#[test]
fn gradient_descent_counts_match_the_closed_form_iteration() {
    let figures = gradient_descent::run();
    // GD on ½xᵀdiag(κ,1)x with step h gives x_k = ((1 − κh)^k, (1 − h)^k) exactly.
    let steps_needed = |kappa: f64, h: f64| {
        (0..)
            .find(|&k| {
                let (a, b) = ((1.0 - kappa * h).powi(k), (1.0 - h).powi(k));
                (kappa * a).hypot(b) < gradient_descent::TOL
            })
            .map_or(usize::MAX, |k: i32| k as usize)
    };
    assert_eq!(
        figures.gd_optimal.iterations,
        steps_needed(100.0, 2.0 / 101.0)
    );
    assert_eq!(figures.gd_019.iterations, steps_needed(100.0, 0.019));
    for r in &figures.scaling {
        let truth = steps_needed(r.kappa, 2.0 / (r.kappa + 1.0));
        if truth <= gradient_descent::CAP {
            assert!(r.gd.converged);
            assert_eq!(r.gd.iterations, truth, "κ = {}", r.kappa);
        } else {
            assert!(!r.gd.converged && r.gd.iterations == gradient_descent::CAP);
        }
        // Heavy ball beats gradient descent from κ = 10 on.
        if r.kappa >= 10.0 {
            assert!(r.heavy_ball.converged && r.heavy_ball.iterations < r.gd.iterations);
        }
    }
    // Every converged run ends at the minimiser 0 (‖x‖ ≤ ‖Ax‖ since λmin = 1).
    for run in [&figures.gd_optimal, &figures.gd_019, &figures.heavy_ball] {
        assert!(run.converged && run.x()[0].hypot(run.x()[1]) < gradient_descent::TOL);
    }
    // The zigzag: x_k[0] = (1 − 100h)^k alternates in sign.
    let zig = gradient_descent::zigzag(&figures.gd_optimal, 6);
    for (k, v) in zig.iter().enumerate() {
        let truth = (1.0 - 200.0 / 101.0_f64).powi(k as i32);
        assert!(
            (v - truth).abs() < 1e-12,
            "x_{k}[0] = {v}, expected {truth}"
        );
    }
}

#[test]
fn newton_solves_the_quadratic_in_one_step_and_rosenbrock_from_both_starts() {
    let figures = newton::run();
    // −A⁻¹∇f(x₀) = −A⁻¹A x₀ = −x₀ = (−1, −1).
    assert!((figures.quadratic_step[0] + 1.0).abs() < 1e-14);
    assert!((figures.quadratic_step[1] + 1.0).abs() < 1e-14);
    assert!(figures.quadratic_x1.iter().all(|v| v.abs() < 1e-14));
    assert_eq!(figures.rosenbrock.len(), 6);
    for r in &figures.rosenbrock {
        assert!(r.run.converged, "{} from {:?}", r.method, r.start);
        assert!(r.run.x().iter().all(|v| (v - 1.0).abs() < 1e-9));
        assert_eq!(r.run.path.len(), r.run.iterations + 1);
        if r.method != "plain Newton" {
            assert_eq!(r.uphill_steps, 0, "{} never goes uphill", r.method);
        }
    }
}

#[test]
fn quasi_newton_reaches_the_minimiser_and_the_two_loop_meets_the_secant_condition() {
    let figures = quasi_newton::run();
    for (name, r) in &figures.runs[1..] {
        assert!(r.converged, "{name}");
        // ‖x‖ ≤ ‖∇f‖ / λmin with λmin = 1.
        assert!(r.x().iter().all(|v| v.abs() < 1e-10), "{name}");
    }
    assert!(figures.bare.converged);
    // The secant condition: with the newest pair (s, y), H y = s, so the
    // two-loop direction for the "gradient" y is −s.
    let a = [[4.0, 1.0], [1.0, 3.0]];
    let s = vec![0.3, -0.7];
    let y: Vec<f64> = (0..2).map(|i| a[i][0] * s[0] + a[i][1] * s[1]).collect();
    let older = (vec![1.0, 0.5], vec![4.5, 2.5]);
    let p = quasi_newton::two_loop(&[older, (s.clone(), y.clone())], &y);
    assert!((p[0] + s[0]).abs() < 1e-12 && (p[1] + s[1]).abs() < 1e-12);
}

#[test]
fn natural_gradient_lands_next_to_the_sample_mean_and_std() {
    let figures = natural_gradient::run();
    let x = natural_gradient::samples();
    let n = x.len() as f64;
    let mean = x.data().iter().sum::<f64>() / n;
    let std = (x.data().iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    assert!((figures.mle.mean - mean).abs() < 1e-12);
    assert!((figures.mle.log_sigma.exp() - std).abs() < 1e-12);
    let ng = figures.ng.last().copied().expect("a path");
    let gd = figures.gd.last().copied().expect("a path");
    assert!((ng.mean - mean).abs() < 0.05 && (ng.log_sigma.exp() - std).abs() < 0.05);
    assert!((gd.mean - mean).abs() > (ng.mean - mean).abs());
    assert_eq!(figures.ng.len(), natural_gradient::STEPS + 1);
    // The MLE is a stationary point of the engine's NLL.
    let (_, g) = natural_gradient::nll_and_grad(&x, [mean, std.ln()]);
    assert!(g[0].abs() < 1e-12 && g[1].abs() < 1e-12);
}

#[test]
fn hvp_tour_finds_eigenvalue_200_and_cg_reaches_the_dense_newton_step() {
    let figures = hvp::run();
    assert!((figures.power_top.0 - 200.0).abs() < 1e-8 * 200.0);
    let worst = figures
        .exact_hvp
        .iter()
        .zip(&figures.fd_hvp)
        .map(|(e, d)| (e - d).abs() / e.abs().max(1.0))
        .fold(0.0, f64::max);
    assert!(worst < 1e-6, "finite differences agree to {worst}");
    // An independent Newton step: the engine's dense Hessian, Cholesky.
    let quad = hvp::spectrum_quadratic();
    let f = func(|x: &[Var]| (quad.function())(x[0]) + x[0].powf(4.0).sum() * 0.25);
    let at = [Tensor::vector(figures.cg_point.clone())];
    let h = autodiff::hessian(f, &at);
    let (_, g) = autodiff::value_and_grad(f, &at);
    let h = DMatrix::from_row_slice(5, 5, h.data());
    let rhs = DVector::from_iterator(5, g[0].data().iter().map(|v| -v));
    let truth = h.cholesky().expect("positive definite").solve(&rhs);
    let last = figures.cg.last().expect("five rows");
    assert_eq!(last.iterations, 5);
    let err = hvp::relative_error(&last.exact, truth.as_slice());
    assert!(err < 1e-9, "CG with exact products after n steps: {err}");
    let fd_err = hvp::relative_error(&last.finite_difference, truth.as_slice());
    assert!(fd_err < 1e-4 && fd_err > err);
    // CG's error does not grow.
    let errs: Vec<f64> = figures
        .cg
        .iter()
        .map(|r| hvp::relative_error(&r.exact, truth.as_slice()))
        .collect();
    assert!(errs.windows(2).all(|w| w[1] <= w[0] * (1.0 + 1e-9)));
}

#[test]
fn landscape_runs_every_solver_and_counts_what_it_uses() {
    let figures = landscape::run(10, 3000);
    assert_eq!(figures.rows.len(), landscape::solvers().len());
    assert!(figures.gradient_seconds > 0.0);
    for r in &figures.rows {
        assert!(r.gradient_equivalents.is_finite() && r.gradient_equivalents > 0.0);
        match r.method {
            m if m.starts_with("Newton (") || m == "trust region, exact" => {
                assert!(r.converged && r.counts[3] > 0 && r.counts[2] == 0, "{m}")
            }
            m if m.starts_with("Newton-CG") || m.starts_with("trust region, Steihaug") => {
                assert!(r.converged && r.counts[2] > 0 && r.counts[3] == 0, "{m}")
            }
            m if m.contains("BFGS") => {
                assert!(r.converged && r.counts[2] == 0 && r.counts[3] == 0, "{m}")
            }
            _ => {}
        }
    }
}

#[test]
fn kfac_tour_reports_every_method_from_the_same_start() {
    let figures = kfac::run().expect("the K-FAC tour runs");
    assert_eq!(figures.rows.len(), 4);
    let start = figures.rows[0].losses[0].1;
    for r in &figures.rows {
        let steps: Vec<usize> = r.losses.iter().map(|l| l.0).collect();
        assert_eq!(steps, kfac::CHECKPOINTS);
        assert_eq!(r.losses[0].1, start, "same initialisation");
        assert!(
            r.losses.last().expect("checkpoints").1 < start,
            "{}",
            r.method
        );
    }
    // The seed article's variant against the reference implementation's
    // losses (which add ε = 1e-8 inside the logarithms: a shift far below 1e-6).
    assert_eq!(figures.reference.len(), kfac::CHECKPOINTS.len());
    for ((step, ours, _), (at, theirs)) in figures.rows[0].losses.iter().zip(&figures.reference) {
        assert_eq!(step, at);
        assert!(
            (ours - theirs).abs() < 1e-6,
            "step {step}: {ours} vs {theirs}"
        );
    }
}
