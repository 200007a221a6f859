//! Elementwise exponential.

use super::{elementwise, mul};
use crate::dual::Dual;

// d exp(a) = exp(a) da
pub(crate) fn exp(a: &Dual) -> Dual {
    let primal = a.primal.map(f64::exp);
    let slope = primal.clone();
    elementwise(a, primal, slope)
}

pub(crate) fn exp_vjp(out: &Dual, c: &Dual) -> Dual {
    mul(c, out)
}
