//! Elementwise natural logarithm (IEEE: log 0 = -∞, log of a negative number is NaN).

use crate::{Dual, Primitive, Tensor, Wanted};

/// `log(a)`.
struct Log;

// d log(a) = da / a
impl Primitive for Log {
    fn name(&self) -> &'static str {
        "log"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(f64::ln)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&a[0].primal.map(|x| 1.0 / x))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c / a[0])]
    }
}

super::unary_methods! {
    /// Elementwise natural logarithm.
    ln() => Log
}
