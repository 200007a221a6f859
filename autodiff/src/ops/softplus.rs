//! Elementwise `log(1 + e^a)`, stable for every `a`: `softplus(∞)` is ∞ with
//! slope 1, `softplus(-∞)` is 0, NaN stays NaN (as JAX's `softplus`).

use super::sigmoid::logistic;
use crate::{Dual, Primitive, Tensor, Wanted};

/// `log(1 + e^a)`.
struct Softplus;

// d softplus(a) = sigmoid(a) da
impl Primitive for Softplus {
    fn name(&self) -> &'static str {
        "softplus"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(|x| {
            if x > 0.0 {
                x + (-x).exp().ln_1p()
            } else {
                x.exp().ln_1p()
            }
        })
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&a[0].primal.map(logistic))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c * &a[0].sigmoid())]
    }
}

super::unary_methods! {
    /// Elementwise `log(1 + e^x)`, stable for every `x`.
    softplus() => Softplus
}
