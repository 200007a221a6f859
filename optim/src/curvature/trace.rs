//! Stochastic trace estimation from operator products: Hutchinson's estimator
//! (Hutchinson 1990) and Hutch++ (Meyer, Musco, Musco & Woodruff 2021).

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::vectors::{orthogonalize, orthonormal_basis, rademacher};
use crate::linop::{dot, LinearOperator};

/// Settings for [`hutchinson`] and [`hutch_plus_plus`].
#[derive(Clone, Debug)]
pub struct TraceParams {
    /// Number of operator products to spend (default 100, as PyHessian).
    pub products: usize,
    /// Probes sent to the operator together through
    /// [`apply_block`](LinearOperator::apply_block) (default 10).
    pub block: usize,
    /// Seed of the Rademacher probes.
    pub seed: u64,
}

impl Default for TraceParams {
    fn default() -> Self {
        TraceParams {
            products: 100,
            block: 10,
            seed: 0,
        }
    }
}

/// A stochastic trace estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceEstimate {
    /// The estimate of `tr(A)`.
    pub trace: f64,
    /// Its standard error, from the sample variance of the random part
    /// (NaN with fewer than two random probes).
    pub std_error: f64,
    /// Operator products spent.
    pub products: usize,
}

/// Hutchinson's estimator `tr(A) ≈ (1/m) Σ zᵢᵀ A zᵢ` with Rademacher probes
/// `zᵢ` (the minimum-variance choice among i.i.d. probes), `m = params.products`.
///
/// ```
/// use optim::curvature::{hutchinson, TraceParams};
/// use optim::linop::DenseMatrix;
/// let est = hutchinson(&DenseMatrix::diagonal(&[1.0, 2.0, 3.0]), &TraceParams::default());
/// // Rademacher probes are exact on a diagonal matrix.
/// assert!((est.trace - 6.0).abs() < 1e-12);
/// ```
pub fn hutchinson(op: &impl LinearOperator, params: &TraceParams) -> TraceEstimate {
    let mut rng = StdRng::seed_from_u64(params.seed);
    let probes: Vec<Vec<f64>> = (0..params.products)
        .map(|_| rademacher(op.dim(), &mut rng))
        .collect();
    let samples = quadratic_forms(op, &probes, params.block);
    let (trace, std_error) = mean_and_std_error(&samples);
    TraceEstimate {
        trace,
        std_error,
        products: probes.len(),
    }
}

/// Hutch++: the trace of `A` on the span `Q` of a sketch `A S` is computed
/// exactly, and Hutchinson's estimator handles only the deflated rest
/// `(I − QQᵀ) A (I − QQᵀ)`, whose variance is much smaller when the spectrum
/// decays. The budget splits in thirds: `S`, the products `A Q`, and the
/// random probes. For symmetric positive semi-definite `A` the error falls
/// like `1/m` instead of `1/√m`.
pub fn hutch_plus_plus(op: &impl LinearOperator, params: &TraceParams) -> TraceEstimate {
    let n = op.dim();
    let mut rng = StdRng::seed_from_u64(params.seed);
    let third = (params.products / 3).max(1);
    let sketch: Vec<Vec<f64>> = (0..third).map(|_| rademacher(n, &mut rng)).collect();
    let q = orthonormal_basis(blocked(op, &sketch, params.block));
    let exact_part: f64 = quadratic_forms(op, &q, params.block).iter().sum();
    let random = params.products.saturating_sub(third + q.len()).max(1);
    let probes: Vec<Vec<f64>> = (0..random)
        .map(|_| {
            let mut g = rademacher(n, &mut rng);
            orthogonalize(&mut g, &q);
            g
        })
        .collect();
    let (rest, std_error) = mean_and_std_error(&quadratic_forms(op, &probes, params.block));
    TraceEstimate {
        trace: exact_part + rest,
        std_error,
        products: sketch.len() + q.len() + probes.len(),
    }
}

/// `A v` for every `v`, `block` at a time.
pub(crate) fn blocked(op: &impl LinearOperator, vs: &[Vec<f64>], block: usize) -> Vec<Vec<f64>> {
    vs.chunks(block.max(1))
        .flat_map(|chunk| op.apply_block(chunk))
        .collect()
}

/// `vᵀ A v` for every `v`.
fn quadratic_forms(op: &impl LinearOperator, vs: &[Vec<f64>], block: usize) -> Vec<f64> {
    blocked(op, vs, block)
        .iter()
        .zip(vs)
        .map(|(av, v)| dot(v, av))
        .collect()
}

/// The sample mean and its standard error `s / √m`.
pub(crate) fn mean_and_std_error(samples: &[f64]) -> (f64, f64) {
    let m = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / m;
    let variance = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m - 1.0);
    let std_error = if samples.len() < 2 {
        f64::NAN
    } else {
        (variance / m).sqrt()
    };
    (mean, std_error)
}
