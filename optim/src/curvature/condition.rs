//! A condition-number estimate from the extreme eigenvalues.

use super::lanczos::{extreme_eigenpairs, LanczosParams, LanczosStatus};
use crate::linop::LinearOperator;

/// The outcome of [`condition_number`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConditionEstimate {
    /// The largest eigenvalue estimate.
    pub largest: f64,
    /// The smallest eigenvalue estimate.
    pub smallest: f64,
    /// `largest / smallest` when the operator looks positive definite
    /// (`smallest > 0`); infinity otherwise, NaN when Lanczos failed.
    pub condition: f64,
    /// How the Lanczos run ended.
    pub status: LanczosStatus,
}

/// `κ = λ_max / λ_min` of a symmetric positive definite operator, with both
/// extreme eigenvalues from one Lanczos run ([`extreme_eigenpairs`] with `k = 1`).
/// Lanczos approaches the extremes from inside the spectrum, so with an
/// unconverged run the estimate is a lower bound.
///
/// ```
/// use optim::curvature::{condition_number, LanczosParams};
/// use optim::linop::DenseMatrix;
/// let est = condition_number(&DenseMatrix::diagonal(&[1.0, 5.0, 20.0, 50.0, 200.0]), &LanczosParams::default());
/// assert!((est.condition - 200.0).abs() < 1e-8);
/// ```
pub fn condition_number(op: &impl LinearOperator, params: &LanczosParams) -> ConditionEstimate {
    let info = extreme_eigenpairs(op, 1, params);
    let (largest, smallest) = match (info.largest.first(), info.smallest.first()) {
        (Some(top), Some(bottom)) => (top.value, bottom.value),
        _ => (f64::NAN, f64::NAN),
    };
    let condition = if smallest > 0.0 {
        largest / smallest
    } else if smallest.is_nan() {
        f64::NAN
    } else {
        f64::INFINITY
    };
    ConditionEstimate {
        largest,
        smallest,
        condition,
        status: info.status,
    }
}
