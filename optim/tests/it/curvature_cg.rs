//! Conjugate gradient on curvature operators: residuals on known spectra and
//! Newton steps against dense solves, with exact and finite-difference H·v.

use crate::curvature_support;

use autodiff::{Tensor, Var};
use curvature_support::{to_nalgebra, with_spectrum, ReflectedDiagonal};
use nalgebra::DVector;
use optim::cg::{conjugate_gradient, CgIteration, CgParams, CgStatus};
use optim::curvature::{FiniteDifferenceHessian, HessianOperator};
use optim::linop::{norm, Damped, DenseMatrix, LinearOperator};

/// `‖x − y‖ / ‖y‖`.
fn rel_error(x: &[f64], y: &[f64]) -> f64 {
    let d: Vec<f64> = x.iter().zip(y).map(|(a, b)| a - b).collect();
    norm(&d) / norm(y)
}

/// The Newton step `−A⁻¹ g` by a dense Cholesky solve.
fn dense_newton_step(a: &impl LinearOperator, g: &[f64]) -> Vec<f64> {
    let chol = to_nalgebra(a).cholesky().expect("positive definite");
    (-chol.solve(&DVector::from_column_slice(g)))
        .as_slice()
        .to_vec()
}

/// Errors of the CG Newton step after 5 and 6 iterations on the quadratic
/// `½ xᵀAx + bᵀx`, `A = Q diag(1, 5, 20, 50, 200) Qᵀ`, with exact H·v,
/// finite-difference H·v, and the dense matrix itself.
fn goal_quadratic_errors(seed: u64) -> [[f64; 2]; 3] {
    let a = with_spectrum(&[1.0, 5.0, 20.0, 50.0, 200.0], seed);
    let a_tensor = Tensor::from_vec(&[5, 5], a.data().to_vec()).expect("5 x 5");
    let b = Tensor::randn(&[5], 100 + seed);
    let f = autodiff::func(|x: &[Var]| {
        let tape = x[0].tape();
        let x = x[0].reshape(&[5, 1]);
        let ax = tape.constant(a_tensor.clone()).matmul(x);
        (x * ax).sum() * 0.5 + (x.reshape(&[5]) * tape.constant(b.clone())).sum()
    });
    let x0 = vec![Tensor::randn(&[5], 200 + seed)];
    let exact = HessianOperator::new(f, x0.clone());
    let fd = FiniteDifferenceHessian::with_default_step(f, x0);
    let g = exact.gradient();
    let want = dense_newton_step(&a, &g);
    let minus_g: Vec<f64> = g.iter().map(|x| -x).collect();
    let errors = |op: &dyn LinearOperator| {
        [5, 6].map(|k| {
            let params = CgParams {
                rel_tol: 0.0,
                max_iter: Some(k),
                ..CgParams::default()
            };
            let info = conjugate_gradient(&op, &minus_g, None, None::<&DenseMatrix>, &params);
            rel_error(&info.x, &want)
        })
    };
    [errors(&exact), errors(&fd), errors(&a)]
}

#[test]
fn cg_newton_step_on_the_goal_quadratic_exact_vs_finite_differences() {
    println!("seed | exact H·v: 5 it, 6 it | finite differences: 5 it, 6 it | dense A: 5 it, 6 it");
    for seed in 0..6 {
        let [exact, fd, dense] = goal_quadratic_errors(seed);
        println!(
            "{seed:4} | {:.1e}, {:.1e} | {:.1e}, {:.1e} | {:.1e}, {:.1e}",
            exact[0], exact[1], fd[0], fd[1], dense[0], dense[1]
        );
        // Five iterations are exact in exact arithmetic; in floating point
        // CG's own recurrences leave up to ~1e-11 (the same with the dense
        // matrix), and one more iteration reaches round-off.
        assert!(exact[0] <= 1e-10 && exact[1] <= 1e-13, "{exact:?}");
        assert!(dense[0] <= 1e-10 && dense[1] <= 1e-13, "{dense:?}");
        // Finite-difference products stall orders of magnitude higher.
        assert!(fd[1] >= 100.0 * exact[1] && fd[1] <= 1e-6, "{fd:?}");
    }
}

#[test]
fn cg_reaches_the_requested_residual_within_the_condition_bound() {
    // Spectrum in [1, 100] (κ = 100), size 2000, random reflected basis.
    let n = 2000;
    let diag: Vec<f64> = (0..n)
        .map(|i| 1.0 + 99.0 * ((i * 17) % n) as f64 / (n - 1) as f64)
        .collect();
    let a = ReflectedDiagonal::new(diag, 24);
    let rhs = Tensor::randn(&[n], 25).into_vec();
    for rel_tol in [1e-4, 1e-8, 1e-12] {
        let params = CgParams {
            rel_tol,
            ..CgParams::default()
        };
        let info = conjugate_gradient(&a, &rhs, None, None::<&DenseMatrix>, &params);
        assert_eq!(info.status, CgStatus::Converged);
        let ax = a.apply(&info.x);
        let r: Vec<f64> = rhs.iter().zip(&ax).map(|(b, y)| b - y).collect();
        // The true residual, not only the recurrence's.
        assert!(
            norm(&r) <= 1.5 * rel_tol * norm(&rhs),
            "{rel_tol}: {}",
            norm(&r) / norm(&rhs)
        );
        // The classic bound: k ≤ ½ √κ ln(2 / ε) (in the A-norm; the 2-norm of
        // the residual adds at most a factor √κ).
        let bound = 0.5 * 100f64.sqrt() * (2.0 * 10.0 / rel_tol).ln();
        assert!(
            (info.iterations as f64) <= bound,
            "{} > {bound}",
            info.iterations
        );
    }
}

#[test]
fn damped_cg_matches_a_dense_solve() {
    let a = with_spectrum(&[-0.5, 0.1, 2.0, 3.0, 7.0, 11.0], 26);
    let damped = Damped {
        inner: &a,
        lambda: 1.0,
    };
    let g = Tensor::randn(&[6], 27).into_vec();
    let want = dense_newton_step(&damped, &g);
    let minus_g: Vec<f64> = g.iter().map(|x| -x).collect();
    let info = conjugate_gradient(
        &damped,
        &minus_g,
        None,
        None::<&DenseMatrix>,
        &CgParams::default(),
    );
    assert_eq!(info.status, CgStatus::Converged);
    assert!(rel_error(&info.x, &want) < 1e-9);
}

#[test]
fn stepwise_cg_keeps_its_residual_and_makes_directions_conjugate() {
    // A = Q diag(1 … 1000) Qᵀ, preconditioned by the inverse of A's diagonal,
    // from a nonzero start: after every step the recurrence's residual
    // equals b − A x, and successive directions are A-conjugate.
    let spectrum: Vec<f64> = (0..8).map(|i| 10f64.powf(3.0 * i as f64 / 7.0)).collect();
    let a = with_spectrum(&spectrum, 7);
    let n = spectrum.len();
    let inv_diag = DenseMatrix::diagonal(
        &(0..n)
            .map(|i| 1.0 / a.data()[i * n + i])
            .collect::<Vec<_>>(),
    );
    let b = Tensor::randn(&[n], 8).data().to_vec();
    let x0 = Tensor::randn(&[n], 9).data().to_vec();
    let mut cg = CgIteration::new(&a, &b, Some(&x0), Some(&inv_diag));
    let mut taken: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    for _ in 0..n {
        let probe = cg.probe();
        assert!(probe.curvature > 0.0);
        taken.push((cg.direction().to_vec(), probe.ap.clone()));
        cg.advance(&probe);
        let ax = a.apply(cg.x());
        let explicit: Vec<f64> = b.iter().zip(&ax).map(|(bi, axi)| bi - axi).collect();
        let scale = norm(&b) + norm(&ax);
        assert!(rel_error(cg.residual(), &explicit) * norm(&explicit) <= 1e-10 * scale);
    }
    // Each direction is A-conjugate to the one before it, which β is chosen
    // to make so; conjugacy to older directions decays with rounding, as
    // CG's does in floating point, and is not asserted.
    for pair in taken.windows(2) {
        let ((p_old, ap_old), (p_new, ap_new)) = (&pair[0], &pair[1]);
        let dot = |x: &[f64], y: &[f64]| -> f64 { x.iter().zip(y).map(|(a, b)| a * b).sum() };
        let cross = dot(p_new, ap_old);
        let scale = (dot(p_new, ap_new) * dot(p_old, ap_old)).sqrt();
        assert!(cross.abs() <= 1e-10 * scale, "{cross:e} against {scale:e}");
    }
    // n steps in exact arithmetic solve the system; here to rounding.
    let solution = dense_newton_step(&a, &b.iter().map(|v| -v).collect::<Vec<_>>());
    assert!(rel_error(cg.x(), &solution) < 1e-6);
}
