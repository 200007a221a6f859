//! Elementwise sine.

use super::{cos, elementwise, mul};
use crate::dual::Dual;

// d sin(a) = cos(a) da
pub(crate) fn sin(a: &Dual) -> Dual {
    elementwise(a, "sin", |x| x.map(f64::sin), |x, _| x.map(f64::cos))
}

pub(crate) fn sin_vjp(a: &Dual, c: &Dual) -> Dual {
    mul(c, &cos(a))
}
