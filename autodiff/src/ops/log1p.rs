//! Elementwise `log(1 + a)`, accurate for small `a` (IEEE: log1p(-1) = -∞).

use crate::{Dual, Primitive, Tensor, Wanted};

/// `log(1 + a)`.
struct Log1p;

// d log1p(a) = da / (1 + a)
impl Primitive for Log1p {
    fn name(&self) -> &'static str {
        "log1p"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(f64::ln_1p)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&a[0].primal.map(|x| 1.0 / (1.0 + x)))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c / &(a[0] + 1.0))]
    }
}

super::unary_methods! {
    /// Elementwise `log(1 + x)`, accurate where `x` is small.
    log1p() => Log1p
}
