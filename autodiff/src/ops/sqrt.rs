//! Elementwise square root (IEEE: the square root of a negative number is NaN).

use crate::{Dual, Primitive, Tensor, Wanted};

/// `sqrt(a)`.
struct Sqrt;

// d sqrt(a) = da / (2 sqrt(a))
impl Primitive for Sqrt {
    fn name(&self) -> &'static str {
        "sqrt"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(f64::sqrt)
    }
    fn tangent(&self, a: &[&Dual], y: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&y.map(|y| 0.5 / y))
    }
    fn vjp(&self, _: &[&Dual], y: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(&(c * 0.5) / y)]
    }
}

super::unary_methods! {
    /// Elementwise square root.
    sqrt() => Sqrt
}
