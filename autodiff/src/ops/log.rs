//! Elementwise natural logarithm (IEEE: log 0 = -∞, log of a negative number is NaN).

use super::{div, elementwise};
use crate::dual::Dual;

// d log(a) = da / a
pub(crate) fn log(a: &Dual) -> Dual {
    elementwise(a, "log", |x| x.map(f64::ln), |x, _| x.map(|x| 1.0 / x))
}

pub(crate) fn log_vjp(a: &Dual, c: &Dual) -> Dual {
    div(c, a)
}
