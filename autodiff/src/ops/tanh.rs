//! Elementwise hyperbolic tangent.

use super::{elementwise, mul, sub};
use crate::dual::Dual;
use crate::tensor::Tensor;

// d tanh(a) = (1 - tanh(a)^2) da
pub(crate) fn tanh(a: &Dual) -> Dual {
    elementwise(a, "tanh", f64::tanh, |_, y| y.map(|y| 1.0 - y * y))
}

pub(crate) fn tanh_vjp(out: &Dual, c: &Dual) -> Dual {
    let one = Dual::constant(Tensor::scalar(1.0));
    mul(c, &sub(&one, &mul(out, out)))
}
