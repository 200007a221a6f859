//! Power iteration for the dominant eigenpair of a symmetric operator, and
//! the top `k` by deflation (Golub & Van Loan, §7.3 and §8.2; as PyHessian).

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::vectors::{gaussian, normalize, orthogonalize};
use crate::linop::{dot, norm, LinearOperator};

/// Settings for [`power_iteration`] and [`top_eigenpairs`].
#[derive(Clone, Debug)]
pub struct PowerParams {
    /// Iteration limit per eigenpair (default 100, as PyHessian).
    pub max_iter: usize,
    /// Stop when the Rayleigh quotient changes by at most
    /// `rel_tol · |λ|` between iterations (default 1e-3, as PyHessian).
    pub rel_tol: f64,
    /// Seed of the Gaussian starting vector.
    pub seed: u64,
}

impl Default for PowerParams {
    fn default() -> Self {
        PowerParams {
            max_iter: 100,
            rel_tol: 1e-3,
            seed: 0,
        }
    }
}

/// Why power iteration stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowerStatus {
    /// The Rayleigh quotient's relative change fell below the tolerance.
    Converged,
    /// The iteration limit was reached first.
    MaxIterations,
    /// The operator mapped the iterate to zero (within the deflated
    /// subspace): the eigenvalue is 0 and the iterate is its eigenvector.
    ZeroProduct,
    /// A NaN or infinity appeared in a product.
    NonFinite,
    /// The space is exhausted: no direction is left orthogonal to the
    /// eigenvectors already found.
    NoDirection,
}

/// One eigenpair found by power iteration.
#[derive(Clone, Debug)]
pub struct PowerInfo {
    /// The Rayleigh quotient `vᵀAv` of the final unit vector.
    pub eigenvalue: f64,
    /// The final unit vector.
    pub eigenvector: Vec<f64>,
    /// Why the iteration stopped.
    pub status: PowerStatus,
    /// Number of iterations (operator products).
    pub iterations: usize,
}

/// The eigenpair of largest magnitude of a symmetric operator by power
/// iteration: `v ← Av / ‖Av‖`, with the Rayleigh quotient `λ = vᵀAv` as the
/// estimate. Its error shrinks like `(λ₂/λ₁)^{2k}`, the vector's like `(λ₂/λ₁)^k`.
///
/// ```
/// use optim::curvature::{power_iteration, PowerParams, PowerStatus};
/// use optim::linop::DenseMatrix;
/// let a = DenseMatrix::diagonal(&[1.0, 5.0, 20.0, 50.0, 200.0]);
/// let params = PowerParams { rel_tol: 1e-14, ..PowerParams::default() };
/// let top = power_iteration(&a, &params);
/// assert_eq!(top.status, PowerStatus::Converged);
/// assert!((top.eigenvalue - 200.0).abs() < 1e-9 * 200.0);
/// ```
pub fn power_iteration(op: &impl LinearOperator, params: &PowerParams) -> PowerInfo {
    deflated_power_iteration(op, &[], params)
}

/// The `k` eigenpairs of largest magnitude, found one after another by power
/// iteration restricted to the orthogonal complement of those already found
/// (projection deflation, as PyHessian). Stops early, returning fewer pairs,
/// when an iteration fails (any status but `Converged` or `MaxIterations`).
pub fn top_eigenpairs(op: &impl LinearOperator, k: usize, params: &PowerParams) -> Vec<PowerInfo> {
    let mut found: Vec<PowerInfo> = Vec::with_capacity(k);
    for i in 0..k {
        let basis: Vec<Vec<f64>> = found.iter().map(|p| p.eigenvector.clone()).collect();
        let seed = params.seed.wrapping_add(i as u64);
        let info = deflated_power_iteration(
            op,
            &basis,
            &PowerParams {
                seed,
                ..params.clone()
            },
        );
        let usable = matches!(
            info.status,
            PowerStatus::Converged | PowerStatus::MaxIterations
        );
        found.push(info);
        if !usable {
            break;
        }
    }
    found
}

/// Power iteration on `P A P`, where `P` projects out the orthonormal `basis`.
fn deflated_power_iteration(
    op: &impl LinearOperator,
    basis: &[Vec<f64>],
    params: &PowerParams,
) -> PowerInfo {
    let mut rng = StdRng::seed_from_u64(params.seed);
    let mut v = gaussian(op.dim(), &mut rng);
    let length = norm(&v);
    orthogonalize(&mut v, basis);
    let info = |eigenvalue, eigenvector, status, iterations| PowerInfo {
        eigenvalue,
        eigenvector,
        status,
        iterations,
    };
    // NOTE: once the basis spans the space, what is left of `v` is round-off.
    if normalize(&mut v) <= 1e-10 * length {
        return info(0.0, v, PowerStatus::NoDirection, 0);
    }
    let mut lambda = f64::NAN;
    for k in 1..=params.max_iter {
        let mut w = op.apply(&v);
        orthogonalize(&mut w, basis);
        let next = dot(&v, &w);
        if !next.is_finite() {
            return info(next, v, PowerStatus::NonFinite, k);
        }
        let changed = (next - lambda).abs();
        lambda = next;
        if changed <= params.rel_tol * lambda.abs() {
            return info(lambda, v, PowerStatus::Converged, k);
        }
        if k == params.max_iter {
            return info(lambda, v, PowerStatus::MaxIterations, k);
        }
        if normalize(&mut w) == 0.0 {
            return info(0.0, v, PowerStatus::ZeroProduct, k);
        }
        v = w;
    }
    info(lambda, v, PowerStatus::MaxIterations, 0)
}
