//! The Adam-diagonal tour against independent truths: the quadratics'
//! Hessians by construction and from the engine's dense Hessian, the
//! empirical Fisher of least squares in closed form, and preconditioned
//! gradient descent from the eigendecomposition of `D^{-1/2} H D^{-1/2}`.

use examples::adam_diagonal::{self, Case, DIM, GD_CAP, GD_TOL, KAPPAS};
use nalgebra::{DMatrix, DVector};

/// `max |a − b| / max |b|`.
fn rel_diff(a: &[f64], b: &[f64]) -> f64 {
    let scale = b.iter().fold(0.0_f64, |s, x| s.max(x.abs()));
    a.iter()
        .zip(b)
        .fold(0.0_f64, |m, (x, y)| m.max((x - y).abs()))
        / scale
}

/// Steps of GD preconditioned by `D` with the optimal step, from the
/// eigendecomposition `D^{-1/2} H D^{-1/2} = V diag(μ) Vᵀ`: the residual
/// after `k` steps is `D^{1/2} V diag((1 − ημ)^k) Vᵀ D^{-1/2} b`.
fn gd_steps_closed_form(h: &DMatrix<f64>, d: &[f64], b: &DVector<f64>) -> Option<usize> {
    let n = d.len();
    let s = DMatrix::from_fn(n, n, |i, j| h[(i, j)] / (d[i] * d[j]).sqrt());
    let eigen = s.symmetric_eigen();
    let (lo, hi) = (eigen.eigenvalues.min(), eigen.eigenvalues.max());
    let eta = 2.0 / (lo + hi);
    let c = eigen.eigenvectors.transpose()
        * DVector::from_iterator(n, (0..n).map(|i| b[i] / d[i].sqrt()));
    (0..=GD_CAP).find(|&k| {
        let decayed = DVector::from_iterator(
            n,
            (0..n).map(|j| (1.0 - eta * eigen.eigenvalues[j]).powi(k as i32) * c[j]),
        );
        let r = &eigen.eigenvectors * decayed;
        let r = DVector::from_iterator(n, (0..n).map(|i| r[i] * d[i].sqrt()));
        r.norm() <= GD_TOL * b.norm()
    })
}

/// The diagonals the tour preconditions with, rebuilt from the case's figures.
fn preconditioners(c: &Case) -> Vec<Vec<f64>> {
    let damped = |d: &[f64]| d.iter().map(|x| x.abs() + c.damping).collect::<Vec<_>>();
    vec![
        vec![1.0; c.hessian.len()],
        damped(&c.hessian),
        damped(&c.fisher),
        damped(&c.empirical_fisher),
        c.adam.iter().map(|v| v.sqrt() + 1e-8).collect(),
    ]
}

#[test]
fn adam_diagonal_tour_against_dense_truths() {
    let figures = adam_diagonal::run();
    assert_eq!(figures.cases.len(), 5);
    let b = DVector::from_vec(autodiff::Tensor::randn(&[DIM], 7).into_vec());
    for (index, case) in figures.cases[..4].iter().enumerate() {
        let (kappa, rotated) = (KAPPAS[index / 2], index % 2 == 1);
        let problem = adam_diagonal::quadratic_problem(kappa, rotated, 1);
        // The engine's dense Hessian of the objective (constant: a quadratic).
        let w = autodiff::Tensor::from_vec(&[DIM, 1], case.point.clone()).unwrap();
        let dense = autodiff::hessian(problem.closure(), std::slice::from_ref(&w));
        let h = DMatrix::from_row_slice(DIM, DIM, dense.data());
        let diag: Vec<f64> = h.diagonal().iter().copied().collect();
        assert!(rel_diff(&case.hessian, &diag) < 1e-12, "{}", case.name);
        // Least squares with a linear model: Fisher = Gauss-Newton = Hessian.
        assert!(rel_diff(&case.fisher, &diag) < 1e-12, "{}", case.name);
        if !rotated {
            // By construction diag H = λᵢ = κ^(−i/(n−1)).
            let lambda: Vec<f64> = (0..DIM)
                .map(|i| kappa.powf(-(i as f64) / (DIM - 1) as f64))
                .collect();
            assert!(rel_diff(&case.hessian, &lambda) < 1e-10);
        }
        // Empirical Fisher of (1/m)Σ(xᵢ·w − yᵢ)²: per-example gradient 2 rᵢ xᵢ.
        let x = problem.data().features();
        let y = match problem.data().targets() {
            models::Targets::Values(t) => t.clone(),
            models::Targets::Classes { .. } => unreachable!("regression targets"),
        };
        let m = x.shape()[0];
        let mut emp = vec![0.0; DIM];
        for i in 0..m {
            let row = &x.data()[i * DIM..(i + 1) * DIM];
            let r: f64 = row.iter().zip(&case.point).map(|(a, w)| a * w).sum::<f64>() - y.data()[i];
            for (e, a) in emp.iter_mut().zip(row) {
                *e += (2.0 * r * a).powi(2) / m as f64;
            }
        }
        assert!(
            rel_diff(&case.empirical_fisher, &emp) < 1e-10,
            "{}",
            case.name
        );

        // Conditioning and GD steps, from the eigendecompositions.
        let none = &case.conditioning[0];
        assert!((none.condition / kappa - 1.0).abs() < 1e-8, "{}", case.name);
        for (p, d) in case.conditioning.iter().zip(preconditioners(case)) {
            let s = DMatrix::from_fn(DIM, DIM, |i, j| h[(i, j)] / (d[i] * d[j]).sqrt());
            let e = s.symmetric_eigenvalues();
            assert!((p.condition / (e.max() / e.min()) - 1.0).abs() < 1e-8);
            match gd_steps_closed_form(&h, &d, &b) {
                // The iteration and the closed form may straddle the tolerance by one step in round-off.
                Some(k) => assert!(
                    p.gd_converged && p.gd_steps.abs_diff(k) <= 1,
                    "{} {}: {} steps, closed form {k}",
                    case.name,
                    p.name,
                    p.gd_steps
                ),
                None => assert!(!p.gd_converged && p.gd_steps == GD_CAP),
            }
        }
        let by_hessian = &case.conditioning[1];
        if rotated {
            // The article's point: on a rotated quadratic a diagonal removes almost none of κ.
            assert!(by_hessian.condition > 0.5 * kappa, "{}", case.name);
        } else {
            // ...and on an axis-aligned one it removes all of it: one step.
            assert!((by_hessian.condition - 1.0).abs() < 1e-10);
            assert_eq!(by_hessian.gd_steps, 1);
        }
    }

    // The MLP: the Hessian diagonal against the engine's dense Hessian there.
    let mlp = &figures.cases[4];
    let wine = adam_diagonal::wine_problem();
    let params = wine.model().init(0).with_flat(&mlp.point).unwrap();
    let dense = autodiff::hessian(wine.closure(), params.tensors());
    let n = mlp.point.len();
    let diag: Vec<f64> = (0..n).map(|i| dense.data()[i * n + i]).collect();
    assert!(rel_diff(&mlp.hessian, &diag) < 1e-10);
    // Gauss-Newton damped by δ is positive definite: every κ is finite.
    assert!(mlp
        .conditioning
        .iter()
        .all(|p| p.condition.is_finite() && p.condition >= 1.0));
}

#[test]
fn agreement_on_log_axes_reads_powers_and_scales() {
    let b: Vec<f64> = (1..=20).map(|i| f64::from(i) * 0.3).collect();
    let a: Vec<f64> = b.iter().map(|x| 4.0 * x.sqrt()).collect();
    let g = adam_diagonal::agreement(&a, &b);
    assert!((g.log_correlation - 1.0).abs() < 1e-12);
    assert!((g.log_slope - 0.5).abs() < 1e-12);
    // Geometric mean of 4/√b.
    let want = (b.iter().map(|x| (4.0 / x.sqrt()).ln()).sum::<f64>() / 20.0).exp();
    assert!((g.scale_ratio / want - 1.0).abs() < 1e-12);
}
