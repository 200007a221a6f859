//! Elementwise `exp(a) - 1`, accurate for small `a`.

use crate::{Dual, Primitive, Tensor, Wanted};

/// `exp(a) - 1`.
struct Expm1;

// d expm1(a) = (expm1(a) + 1) da
impl Primitive for Expm1 {
    fn name(&self) -> &'static str {
        "expm1"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(f64::exp_m1)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&a[0].primal.map(f64::exp))
    }
    fn vjp(&self, _: &[&Dual], y: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c * &(y + 1.0))]
    }
}

super::unary_methods! {
    /// Elementwise `exp(x) - 1`, accurate where `x` is small.
    expm1() => Expm1
}
