//! Elementwise square root (IEEE: the square root of a negative number is NaN).

use super::{div, elementwise, mul};
use crate::dual::Dual;
use crate::tensor::Tensor;

// d sqrt(a) = da / (2 sqrt(a))
pub(crate) fn sqrt(a: &Dual) -> Dual {
    elementwise(a, "sqrt", |x| x.map(f64::sqrt), |_, y| y.map(|y| 0.5 / y))
}

pub(crate) fn sqrt_vjp(out: &Dual, c: &Dual) -> Dual {
    div(&mul(c, &Dual::constant(Tensor::scalar(0.5))), out)
}
