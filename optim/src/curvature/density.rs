//! The eigenvalue density of a symmetric operator by stochastic Lanczos
//! quadrature (Golub & Meurant 1994; Ubaru, Chen & Saad 2017; as PyHessian).

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::lanczos::{Krylov, LanczosStatus};
use super::vectors::rademacher;
use crate::linop::LinearOperator;

/// Settings for [`spectral_density`].
#[derive(Clone, Debug)]
pub struct DensityParams {
    /// Random starting vectors (default 1, as PyHessian).
    pub probes: usize,
    /// Lanczos steps per probe, capped at the dimension (default 100, as PyHessian).
    pub steps: usize,
    /// Points of the grid the smoothed density is evaluated on (default 1000).
    pub grid_points: usize,
    /// Standard deviation of the Gaussian kernel that smooths the quadrature;
    /// `None` uses 1% of the spread of the nodes.
    pub bandwidth: Option<f64>,
    /// Seed of the Rademacher probes.
    pub seed: u64,
}

impl Default for DensityParams {
    fn default() -> Self {
        DensityParams {
            probes: 1,
            steps: 100,
            grid_points: 1000,
            bandwidth: None,
            seed: 0,
        }
    }
}

/// An estimate of the spectral density `(1/n) Σ_i δ(x − λ_i)`.
#[derive(Clone, Debug)]
pub struct SpectralDensity {
    /// Gauss quadrature nodes (Ritz values) of every probe that finished.
    pub nodes: Vec<f64>,
    /// Their weights, summing to 1 over all nodes.
    pub weights: Vec<f64>,
    /// Evenly spaced points from 5 bandwidths below the smallest node to 5
    /// above the largest.
    pub grid: Vec<f64>,
    /// The quadrature smoothed by a Gaussian kernel, on the grid; it
    /// integrates to 1 up to the kernel tails beyond the grid.
    pub density: Vec<f64>,
    /// The kernel bandwidth used.
    pub bandwidth: f64,
    /// How each probe's Lanczos run ended; probes that met a NaN or
    /// infinity (or a zero operator) contribute no nodes.
    pub probe_status: Vec<LanczosStatus>,
}

/// Stochastic Lanczos quadrature: for each normalised Rademacher probe `v`,
/// `m` Lanczos steps give `T_m = S Θ Sᵀ`, and `vᵀ g(A) v ≈ Σ_j s_{1j}² g(θ_j)`
/// is an `m`-point Gauss quadrature of the spectral measure seen from `v`.
/// Averaging over probes estimates the density; nodes are the Ritz values
/// and weights the squared first components (divided by the number of probes).
///
/// ```
/// use optim::curvature::{spectral_density, DensityParams};
/// use optim::linop::DenseMatrix;
/// let d = spectral_density(&DenseMatrix::diagonal(&[1.0, 1.0, 4.0, 4.0]), &DensityParams::default());
/// let mass_near = |x: f64| d.nodes.iter().zip(&d.weights).filter(|(t, _)| (*t - x).abs() < 1e-8).map(|(_, w)| w).sum::<f64>();
/// assert!((mass_near(1.0) + mass_near(4.0) - 1.0).abs() < 1e-10);
/// ```
pub fn spectral_density(op: &impl LinearOperator, params: &DensityParams) -> SpectralDensity {
    let mut rng = StdRng::seed_from_u64(params.seed);
    let steps = params.steps.min(op.dim());
    let mut runs: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    let mut probe_status = Vec::with_capacity(params.probes);
    for _ in 0..params.probes {
        let mut krylov = Krylov::new(rademacher(op.dim(), &mut rng));
        let mut status = LanczosStatus::MaxSteps;
        while krylov.steps() < steps {
            if let Some(stop) = krylov.step(op) {
                status = stop;
                break;
            }
        }
        if krylov.steps() > 0 && !matches!(status, LanczosStatus::NonFinite | LanczosStatus::Empty)
        {
            let ritz = krylov.ritz();
            let weights = ritz.vectors.iter().map(|s| s[0] * s[0]).collect();
            runs.push((ritz.values, weights));
        }
        probe_status.push(status);
    }
    let probes = runs.len() as f64;
    let (nodes, weights): (Vec<f64>, Vec<f64>) = runs
        .into_iter()
        .flat_map(|(values, weights)| values.into_iter().zip(weights))
        .map(|(node, weight)| (node, weight / probes))
        .unzip();
    let low = nodes.iter().copied().fold(f64::INFINITY, f64::min);
    let high = nodes.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let bandwidth = params.bandwidth.unwrap_or_else(|| {
        let spread = high - low;
        0.01 * if spread > 0.0 {
            spread
        } else {
            high.abs().max(1.0)
        }
    });
    let grid: Vec<f64> = if nodes.is_empty() {
        Vec::new()
    } else {
        let (start, end) = (low - 5.0 * bandwidth, high + 5.0 * bandwidth);
        let intervals = params.grid_points.saturating_sub(1).max(1) as f64;
        (0..params.grid_points)
            .map(|i| start + (end - start) * i as f64 / intervals)
            .collect()
    };
    let norm = (2.0 * std::f64::consts::PI).sqrt() * bandwidth;
    let density = grid
        .iter()
        .map(|x| {
            nodes
                .iter()
                .zip(&weights)
                .map(|(t, w)| w * (-0.5 * ((x - t) / bandwidth).powi(2)).exp())
                .sum::<f64>()
                / norm
        })
        .collect();
    SpectralDensity {
        nodes,
        weights,
        grid,
        density,
        bandwidth,
        probe_status,
    }
}
