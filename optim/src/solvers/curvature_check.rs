//! Whether a point where a second-order solver stops is a minimum: the
//! smallest eigenvalue of `∇²f(x)`, estimated by a few Lanczos steps on
//! H·v products (Lanczos 1950; Golub & Van Loan §10.1).
//!
//! A Ritz value lies between the extreme eigenvalues, so a negative smallest
//! Ritz value proves that `∇²f(x)` has a direction of negative curvature:
//! the point is a saddle or a maximum, whatever its gradient. A non-negative
//! one is only evidence (few steps may miss a small negative eigenvalue).

use crate::curvature::{extreme_eigenpairs, LanczosParams, SpectrumEnd};
use crate::objective::{HessianAt, Objective};

/// Lanczos steps (H·v products) spent on the check; the dimension, if smaller.
const STEPS: usize = 20;

/// The curvature found at a point.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Curvature {
    /// The smallest Ritz value: an upper bound on `λmin(∇²f(x))`.
    pub(crate) lambda_min: f64,
    /// Whether `lambda_min` is negative beyond the round-off of the
    /// products, `√ε · max |θ|` over the Ritz values `θ`.
    pub(crate) negative: bool,
}

/// `λmin(∇²f(x))` as far as [`STEPS`] Lanczos steps see it; `None` when the
/// products are not finite.
pub(crate) fn curvature_at(objective: &dyn Objective, x: &[f64]) -> Option<Curvature> {
    let hessian = HessianAt::new(objective, x);
    let params = LanczosParams {
        max_steps: STEPS,
        target: SpectrumEnd::Smallest,
        ..LanczosParams::default()
    };
    let info = extreme_eigenpairs(&hessian, 1, &params);
    let lambda_min = info.smallest.first()?.value;
    let lambda_max = info.largest.first()?.value;
    let scale = lambda_min.abs().max(lambda_max.abs());
    lambda_min.is_finite().then_some(Curvature {
        lambda_min,
        negative: lambda_min < -f64::EPSILON.sqrt() * scale,
    })
}
