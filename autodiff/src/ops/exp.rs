//! Elementwise exponential.

use crate::{Dual, Primitive, Tensor, Wanted};

/// `exp(a)`.
struct Exp;

// d exp(a) = exp(a) da
impl Primitive for Exp {
    fn name(&self) -> &'static str {
        "exp"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(f64::exp)
    }
    fn tangent(&self, a: &[&Dual], y: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(y)
    }
    fn vjp(&self, _: &[&Dual], y: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c * y)]
    }
}

super::unary_methods! {
    /// Elementwise exponential.
    exp() => Exp
}
