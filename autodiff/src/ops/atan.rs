//! Elementwise arctangent.

use super::{add, div, elementwise, mul};
use crate::dual::Dual;
use crate::tensor::Tensor;

// d atan(a) = da / (1 + a^2)
pub(crate) fn atan(a: &Dual) -> Dual {
    elementwise(
        a,
        "atan",
        |x| x.map(f64::atan),
        |x, _| x.map(|v| 1.0 / (1.0 + v * v)),
    )
}

pub(crate) fn atan_vjp(a: &Dual, c: &Dual) -> Dual {
    let one = Dual::constant(Tensor::scalar(1.0));
    div(c, &add(&one, &mul(a, a)))
}
