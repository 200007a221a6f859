//! Elementwise arctangent.

use crate::{Dual, Primitive, Tensor, Wanted};

/// `atan(a)`.
struct Atan;

// d atan(a) = da / (1 + a^2)
impl Primitive for Atan {
    fn name(&self) -> &'static str {
        "atan"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(f64::atan)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&a[0].primal.map(|v| 1.0 / (1.0 + v * v)))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c / &(1.0 + &(a[0] * a[0])))]
    }
}

super::unary_methods! {
    /// Elementwise arctangent (values in (-π/2, π/2)).
    atan() => Atan
}
