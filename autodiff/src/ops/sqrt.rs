//! Elementwise square root (IEEE: the square root of a negative number is NaN).

use super::{div, elementwise, mul};
use crate::dual::Dual;
use crate::tensor::Tensor;

// d sqrt(a) = da / (2 sqrt(a))
pub(crate) fn sqrt(a: &Dual) -> Dual {
    let primal = a.primal.map(f64::sqrt);
    let slope = primal.map(|y| 0.5 / y);
    elementwise(a, primal, slope)
}

pub(crate) fn sqrt_vjp(out: &Dual, c: &Dual) -> Dual {
    div(&mul(c, &Dual::constant(Tensor::scalar(0.5))), out)
}
