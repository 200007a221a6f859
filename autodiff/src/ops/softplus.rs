//! Elementwise `log(1 + e^a)`, stable for every `a`: `softplus(∞)` is ∞ with
//! slope 1, `softplus(-∞)` is 0, NaN stays NaN (as JAX's `softplus`).

use super::sigmoid::logistic;
use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `log(1 + e^a)`.
struct Softplus;

// d softplus(a) = sigmoid(a) da
impl<S: Scalar> Primitive<S> for Softplus {
    fn name(&self) -> &'static str {
        "softplus"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(|x| {
            if x > S::zero() {
                x + (-x).exp().ln_1p()
            } else {
                x.exp().ln_1p()
            }
        })
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&a[0].primal.map(logistic))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c * &a[0].sigmoid())]
    }
}

super::unary_methods! {
    /// Elementwise `log(1 + e^x)`, stable for every `x`.
    softplus() => Softplus
}
