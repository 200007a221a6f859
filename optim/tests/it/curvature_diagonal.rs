//! Diagonals of curvature operators against the dense matrices: exact from
//! `A eᵢ` in lanes, and the Rademacher estimate unbiased within the standard
//! errors it reports.

use crate::curvature_support;

use curvature_support::{with_spectrum, Mlp};
use optim::curvature::{diagonal_estimate, exact_diagonal, HessianOperator, TraceParams};
use optim::linop::LinearOperator;

#[test]
fn exact_hessian_diagonal_of_an_mlp_equals_the_dense_hessian() {
    let m = Mlp::new(&[3, 5, 4], 6, 1);
    let h = HessianOperator::new(|p| m.loss(p), m.params.clone());
    let dense = autodiff::hessian(|p| m.loss(p), &m.params);
    let n = h.dim();
    let truth: Vec<f64> = (0..n).map(|i| dense.data()[i * n + i]).collect();
    let scale = truth.iter().fold(0.0_f64, |s, x| s.max(x.abs()));
    for block in [1, 7, n] {
        let d = exact_diagonal(&h, block);
        assert_eq!((d.products, d.sweeps), (n, n.div_ceil(block)));
        assert!(d.std_error.iter().all(|&s| s == 0.0));
        for (i, (got, want)) in d.diagonal.iter().zip(&truth).enumerate() {
            assert!(
                (got - want).abs() <= 1e-12 * scale,
                "block {block}, entry {i}: {got} against {want}"
            );
        }
    }
}

#[test]
fn rademacher_diagonal_is_unbiased_within_its_reported_standard_errors() {
    let a = with_spectrum(
        &(1..=12).map(|i| f64::from(i).powi(2)).collect::<Vec<_>>(),
        4,
    );
    let n = a.dim();
    let probes = 30;
    // The estimator's exact variance per entry: Σ_{j≠i} Aᵢⱼ² / m.
    let true_se: Vec<f64> = (0..n)
        .map(|i| {
            let off: f64 = (0..n)
                .filter(|&j| j != i)
                .map(|j| a.get(i, j).powi(2))
                .sum();
            (off / probes as f64).sqrt()
        })
        .collect();
    let (mut z_sum, mut z_square_sum, mut se_ratio_sum, mut count) = (0.0, 0.0, 0.0, 0.0);
    for seed in 0..200 {
        let params = TraceParams {
            products: probes,
            block: 8,
            seed,
        };
        let d = diagonal_estimate(&a, &params);
        assert_eq!((d.products, d.sweeps), (probes, 4));
        for (i, se) in true_se.iter().enumerate() {
            let z = (d.diagonal[i] - a.get(i, i)) / d.std_error[i];
            z_sum += z;
            z_square_sum += z * z;
            se_ratio_sum += d.std_error[i] / se;
            count += 1.0;
        }
    }
    let (z_mean, z_var) = (z_sum / count, z_square_sum / count);
    // 2400 z-scores (12 entries × 200 seeds): unbiased means a mean near 0
    // (its own standard error is about 1/√2400 ≈ 0.02, inflated by the
    // correlation between entries) and a spread near 1 (a Student t with 29
    // degrees of freedom has variance 29/27).
    assert!(z_mean.abs() < 0.15, "mean z-score {z_mean}");
    assert!((0.8..1.35).contains(&z_var), "mean squared z-score {z_var}");
    let se_ratio = se_ratio_sum / count;
    assert!(
        (0.9..1.05).contains(&se_ratio),
        "reported over true standard error {se_ratio}"
    );
}

#[test]
fn rademacher_hessian_diagonal_of_an_mlp_lies_within_four_standard_errors() {
    let m = Mlp::new(&[3, 5, 4], 6, 2);
    let h = HessianOperator::new(|p| m.loss(p), m.params.clone());
    let truth = exact_diagonal(&h, 16).diagonal;
    let params = TraceParams {
        products: 400,
        block: 50,
        seed: 9,
    };
    let d = diagonal_estimate(&h, &params);
    assert_eq!(d.sweeps, 8);
    for (i, ((got, se), want)) in d.diagonal.iter().zip(&d.std_error).zip(&truth).enumerate() {
        assert!(
            (got - want).abs() <= 4.0 * se + 1e-12,
            "entry {i}: {got} ± {se} against {want}"
        );
    }
}
