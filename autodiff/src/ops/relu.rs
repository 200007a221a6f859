//! Elementwise rectifier max(a, 0) (derivative 0 at 0; NaN stays NaN, with
//! derivative 0 there, as JAX's `relu`).

use crate::{Dual, Primitive, Tensor, Wanted};

fn step(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// `max(a, 0)`.
struct Relu;

// d relu(a) = [a > 0] da
impl Primitive for Relu {
    fn name(&self) -> &'static str {
        "relu"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(|x| if x.is_nan() { x } else { x.max(0.0) })
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&a[0].primal.map(step))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c * &Dual::constant(a[0].primal.map(step)))]
    }
}

super::unary_methods! {
    /// Elementwise `max(x, 0)`.
    relu() => Relu
}
