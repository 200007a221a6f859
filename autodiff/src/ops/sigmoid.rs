//! Elementwise logistic sigmoid `1 / (1 + e^{-a})`, accurate in both tails.

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `1 / (1 + e^{-x})`, as `e^x / (1 + e^x)` for negative `x` so that the
/// left tail keeps its digits (`sigmoid(-40)` = 4.2e-18, not 0).
pub(super) fn logistic<S: Scalar>(x: S) -> S {
    if x >= S::zero() {
        S::one() / (S::one() + (-x).exp())
    } else {
        let e = x.exp();
        e / (S::one() + e)
    }
}

/// `sigmoid(a)`.
struct Sigmoid;

// d sigmoid(a) = sigmoid(a) (1 - sigmoid(a)) da
impl<S: Scalar> Primitive<S> for Sigmoid {
    fn name(&self) -> &'static str {
        "sigmoid"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(logistic)
    }
    fn tangent(&self, a: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&y.map(|y| y * (S::one() - y)))
    }
    fn vjp(
        &self,
        _: &[&DualOf<S>],
        y: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c * &(y * &(&(-y) + S::one())))]
    }
}

super::unary_methods! {
    /// Elementwise logistic sigmoid `1 / (1 + e^{-x})`.
    sigmoid() => Sigmoid
}
