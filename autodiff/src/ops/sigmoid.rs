//! Elementwise logistic sigmoid `1 / (1 + e^{-a})`, accurate in both tails.

use crate::{Dual, Primitive, Tensor, Wanted};

/// `1 / (1 + e^{-x})`, as `e^x / (1 + e^x)` for negative `x` so that the
/// left tail keeps its digits (`sigmoid(-40)` = 4.2e-18, not 0).
pub(super) fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// `sigmoid(a)`.
struct Sigmoid;

// d sigmoid(a) = sigmoid(a) (1 - sigmoid(a)) da
impl Primitive for Sigmoid {
    fn name(&self) -> &'static str {
        "sigmoid"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(logistic)
    }
    fn tangent(&self, a: &[&Dual], y: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&y.map(|y| y * (1.0 - y)))
    }
    fn vjp(&self, _: &[&Dual], y: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c * &(y * &(1.0 - y)))]
    }
}

super::unary_methods! {
    /// Elementwise logistic sigmoid `1 / (1 + e^{-x})`.
    sigmoid() => Sigmoid
}
