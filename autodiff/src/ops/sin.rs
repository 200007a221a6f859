//! Elementwise sine.

use crate::{Dual, Primitive, Tensor, Wanted};

/// `sin(a)`.
struct Sin;

// d sin(a) = cos(a) da
impl Primitive for Sin {
    fn name(&self) -> &'static str {
        "sin"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(f64::sin)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&a[0].primal.map(f64::cos))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c * &a[0].cos())]
    }
}

super::unary_methods! {
    /// Elementwise sine.
    sin() => Sin
}
