//! Elementwise exponential.

use super::{elementwise, mul};
use crate::dual::Dual;

// d exp(a) = exp(a) da
pub(crate) fn exp(a: &Dual) -> Dual {
    elementwise(a, "exp", |x| x.map(f64::exp), |_, y| y.clone())
}

pub(crate) fn exp_vjp(out: &Dual, c: &Dual) -> Dual {
    mul(c, out)
}
