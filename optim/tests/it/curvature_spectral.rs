//! Power iteration, Lanczos and the condition-number estimate against
//! matrices whose spectra are known by construction.

use crate::curvature_support;

use curvature_support::{rel, with_spectrum, ReflectedDiagonal};
use optim::curvature::{
    condition_number, extreme_eigenpairs, power_iteration, top_eigenpairs, LanczosParams,
    LanczosStatus, PowerParams, PowerStatus,
};
use optim::linop::{dot, norm, DenseMatrix, FnOperator, LinearOperator};

const GOAL_SPECTRUM: [f64; 5] = [1.0, 5.0, 20.0, 50.0, 200.0];

/// `‖A v − λ v‖ / |λ|` for a unit vector.
fn eigen_residual(op: &impl LinearOperator, value: f64, vector: &[f64]) -> f64 {
    let av = op.apply(vector);
    let r: Vec<f64> = av.iter().zip(vector).map(|(a, v)| a - value * v).collect();
    norm(&r) / value.abs()
}

#[test]
fn power_iteration_finds_the_top_eigenvalue_to_ten_digits() {
    let a = with_spectrum(&GOAL_SPECTRUM, 1);
    let params = PowerParams {
        rel_tol: 1e-13,
        max_iter: 200,
        seed: 3,
    };
    let top = power_iteration(&a, &params);
    assert_eq!(top.status, PowerStatus::Converged);
    assert!(rel(top.eigenvalue, 200.0) < 1e-10, "{}", top.eigenvalue);
    assert!(eigen_residual(&a, top.eigenvalue, &top.eigenvector) < 1e-6);
}

#[test]
fn power_iteration_finds_a_dominant_negative_eigenvalue() {
    let a = with_spectrum(&[-300.0, 1.0, 5.0, 200.0], 2);
    let params = PowerParams {
        rel_tol: 1e-13,
        max_iter: 500,
        seed: 0,
    };
    let top = power_iteration(&a, &params);
    assert!(rel(top.eigenvalue, -300.0) < 1e-10, "{}", top.eigenvalue);
}

#[test]
fn deflation_recovers_the_top_three_in_a_random_basis() {
    let mut spectrum: Vec<f64> = (0..47).map(|i| 10.0 * i as f64 / 47.0).collect();
    spectrum.extend([100.0, 70.0, 40.0]);
    let a = with_spectrum(&spectrum, 4);
    let params = PowerParams {
        rel_tol: 1e-14,
        max_iter: 1000,
        seed: 5,
    };
    let pairs = top_eigenpairs(&a, 3, &params);
    assert_eq!(pairs.len(), 3);
    for (pair, want) in pairs.iter().zip([100.0, 70.0, 40.0]) {
        assert_eq!(pair.status, PowerStatus::Converged);
        assert!(
            rel(pair.eigenvalue, want) < 1e-9,
            "{} vs {want}",
            pair.eigenvalue
        );
    }
    for i in 0..3 {
        for j in 0..i {
            assert!(dot(&pairs[i].eigenvector, &pairs[j].eigenvector).abs() < 1e-8);
        }
    }
}

#[test]
fn power_iteration_reports_trouble_instead_of_panicking() {
    let zero = DenseMatrix::diagonal(&[0.0; 4]);
    assert_eq!(
        power_iteration(&zero, &PowerParams::default()).status,
        PowerStatus::ZeroProduct
    );
    let nan = FnOperator::new(3, |v: &[f64]| v.iter().map(|_| f64::NAN).collect());
    assert_eq!(
        power_iteration(&nan, &PowerParams::default()).status,
        PowerStatus::NonFinite
    );
    // Deflating a 2-dimensional space by two vectors leaves nothing.
    let pairs = top_eigenpairs(
        &DenseMatrix::diagonal(&[3.0, 1.0]),
        3,
        &PowerParams::default(),
    );
    assert_eq!(
        pairs.last().map(|p| p.status),
        Some(PowerStatus::NoDirection)
    );
}

#[test]
fn lanczos_recovers_both_ends_of_a_spectrum_of_size_three_thousand() {
    let n = 3000;
    let mut diag: Vec<f64> = (0..n).map(|i| 1.0 + 99.0 * i as f64 / n as f64).collect();
    diag[..6].copy_from_slice(&[1000.0, 700.0, 400.0, -300.0, -200.0, -100.0]);
    let op = ReflectedDiagonal::new(diag, 7);
    let info = extreme_eigenpairs(&op, 3, &LanczosParams::default());
    assert_eq!(
        info.status,
        LanczosStatus::Converged,
        "{} steps",
        info.steps
    );
    for (pair, want) in info.largest.iter().zip([1000.0, 700.0, 400.0]) {
        assert!(rel(pair.value, want) < 1e-8, "{} vs {want}", pair.value);
        assert!(eigen_residual(&op, pair.value, &pair.vector) < 1e-6);
    }
    for (pair, want) in info.smallest.iter().zip([-300.0, -200.0, -100.0]) {
        assert!(rel(pair.value, want) < 1e-8, "{} vs {want}", pair.value);
    }
}

#[test]
fn lanczos_reproduces_a_whole_small_spectrum_exactly() {
    let spectrum: Vec<f64> = (0..30).map(|i| (i as f64 - 10.0).powi(3)).collect();
    let a = with_spectrum(&spectrum, 8);
    let info = extreme_eigenpairs(&a, 15, &LanczosParams::default());
    assert_eq!(info.status, LanczosStatus::InvariantSubspace);
    let mut found: Vec<f64> = info.smallest.iter().map(|p| p.value).collect();
    found.extend(info.largest.iter().rev().map(|p| p.value));
    for (f, want) in found.iter().zip(&spectrum) {
        assert!((f - want).abs() < 1e-9 * 8000.0, "{f} vs {want}");
    }
}

#[test]
fn lanczos_reports_empty_and_non_finite_operators() {
    let nan = FnOperator::new(4, |v: &[f64]| v.iter().map(|_| f64::NAN).collect());
    let info = extreme_eigenpairs(&nan, 1, &LanczosParams::default());
    assert_eq!(info.status, LanczosStatus::NonFinite);
    assert!(info.largest.is_empty());
    let empty = DenseMatrix::diagonal(&[]);
    assert_eq!(
        extreme_eigenpairs(&empty, 1, &LanczosParams::default()).status,
        LanczosStatus::Empty
    );
}

#[test]
fn condition_number_from_the_extreme_eigenvalues() {
    let est = condition_number(&with_spectrum(&GOAL_SPECTRUM, 9), &LanczosParams::default());
    assert!(rel(est.condition, 200.0) < 1e-10, "{}", est.condition);
    let indefinite = condition_number(
        &with_spectrum(&[-1.0, 2.0, 3.0], 10),
        &LanczosParams::default(),
    );
    assert!(indefinite.condition.is_infinite());
    assert!(rel(indefinite.smallest, -1.0) < 1e-10);
}
