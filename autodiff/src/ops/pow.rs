//! Elementwise power with a constant exponent (IEEE semantics for `powf`).

use super::{elementwise, mul};
use crate::dual::Dual;
use crate::tensor::Tensor;

// d a^p = p a^(p-1) da
pub(crate) fn pow(a: &Dual, p: f64) -> Dual {
    elementwise(
        a,
        "pow",
        |x| x.map(|x| x.powf(p)),
        |x, _| x.map(|x| p * x.powf(p - 1.0)),
    )
}

pub(crate) fn pow_vjp(a: &Dual, p: f64, c: &Dual) -> Dual {
    if p == 0.0 {
        return mul(c, &Dual::constant(Tensor::scalar(0.0)));
    }
    let slope = mul(&pow(a, p - 1.0), &Dual::constant(Tensor::scalar(p)));
    mul(c, &slope)
}
