//! Hutchinson, Hutch++ and stochastic Lanczos quadrature against matrices
//! whose spectra are known by construction.

use crate::curvature_support;

use curvature_support::{with_spectrum, ReflectedDiagonal};
use optim::curvature::{
    hutch_plus_plus, hutchinson, spectral_density, DensityParams, LanczosStatus, TraceParams,
};
use optim::linop::DenseMatrix;

#[test]
fn hutchinson_lies_within_its_error_bars() {
    let spectrum: Vec<f64> = (0..80)
        .map(|i| 10.0 * ((i * 37) % 80) as f64 / 80.0 - 2.0)
        .collect();
    let truth: f64 = spectrum.iter().sum();
    let a = with_spectrum(&spectrum, 11);
    // Over 40 seeds, about 95% of the estimates should lie within two
    // standard errors; require 85% and every one within four.
    let mut within_two = 0;
    for seed in 0..40 {
        let params = TraceParams {
            products: 50,
            block: 7,
            seed,
        };
        let est = hutchinson(&a, &params);
        assert_eq!(est.products, 50);
        let z = (est.trace - truth).abs() / est.std_error;
        assert!(z < 4.0, "seed {seed}: {} vs {truth}, z = {z}", est.trace);
        within_two += usize::from(z < 2.0);
    }
    assert!(
        within_two >= 34,
        "{within_two} of 40 within two standard errors"
    );
}

#[test]
fn hutch_plus_plus_beats_hutchinson_on_a_decaying_spectrum() {
    let n = 400;
    let spectrum: Vec<f64> = (1..=n).map(|i| 1.0 / (i as f64).powi(2)).collect();
    let truth: f64 = spectrum.iter().sum();
    let a = ReflectedDiagonal::new(spectrum, 12);
    let (mut plain, mut plus) = (0.0, 0.0);
    for seed in 0..5 {
        let params = TraceParams {
            products: 60,
            block: 10,
            seed,
        };
        let h = hutchinson(&a, &params);
        let hpp = hutch_plus_plus(&a, &params);
        assert!(hpp.products <= 60);
        assert!((hpp.trace - truth).abs() < 4.0 * hpp.std_error + 1e-12);
        plain += (h.trace - truth).abs();
        plus += (hpp.trace - truth).abs();
    }
    assert!(
        plus < 0.1 * plain,
        "Hutch++ error {plus}, Hutchinson {plain}"
    );
}

#[test]
fn slq_weights_are_exact_on_a_diagonal_matrix() {
    // With a Rademacher start on diag(d), the spectral measure puts z_i²/n =
    // 1/n on each d_i, and n Lanczos steps reproduce it exactly.
    let d: Vec<f64> = (0..12).map(|i| (i as f64).powf(1.5) - 3.0).collect();
    let density = spectral_density(&DenseMatrix::diagonal(&d), &DensityParams::default());
    assert_eq!(density.probe_status, vec![LanczosStatus::InvariantSubspace]);
    assert_eq!(density.nodes.len(), d.len());
    for (node, want) in density.nodes.iter().zip(&d) {
        assert!((node - want).abs() < 1e-10, "{node} vs {want}");
    }
    for w in &density.weights {
        assert!((w - 1.0 / 12.0).abs() < 1e-10);
    }
}

#[test]
fn slq_density_integrates_to_one_and_sits_on_the_eigenvalues() {
    // 600 eigenvalues near 1 and 200 near 10: three quarters of the mass at 1.
    let n = 800;
    let spectrum: Vec<f64> = (0..n)
        .map(|i| if i % 4 == 0 { 10.0 } else { 1.0 } + 0.01 * ((i * 13) % 7) as f64)
        .collect();
    let a = ReflectedDiagonal::new(spectrum, 13);
    let params = DensityParams {
        probes: 8,
        steps: 30,
        ..DensityParams::default()
    };
    let d = spectral_density(&a, &params);
    let total: f64 = d.weights.iter().sum();
    assert!((total - 1.0).abs() < 1e-12);
    // Ritz values lie inside the spectrum's range.
    assert!(d
        .nodes
        .iter()
        .all(|&t| (1.0 - 1e-9..=10.06 + 1e-9).contains(&t)));
    let near = |x: f64| -> f64 {
        d.nodes
            .iter()
            .zip(&d.weights)
            .filter(|(t, _)| (*t - x).abs() < 0.5)
            .map(|(_, w)| w)
            .sum()
    };
    assert!((near(1.03) - 0.75).abs() < 0.05, "{}", near(1.03));
    assert!((near(10.03) - 0.25).abs() < 0.05, "{}", near(10.03));
    // Trapezoidal integral of the smoothed density over the grid.
    let integral: f64 = d
        .grid
        .windows(2)
        .zip(d.density.windows(2))
        .map(|(x, y)| 0.5 * (x[1] - x[0]) * (y[0] + y[1]))
        .sum();
    assert!((integral - 1.0).abs() < 1e-3, "{integral}");
    // No density between the two clusters.
    let mid = d
        .grid
        .iter()
        .position(|&x| x > 5.5)
        .expect("grid spans the gap");
    assert!(d.density[mid] < 1e-6);
}
