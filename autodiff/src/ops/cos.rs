//! Elementwise cosine.

use crate::{Dual, Primitive, Tensor, Wanted};

/// `cos(a)`.
struct Cos;

// d cos(a) = -sin(a) da
impl Primitive for Cos {
    fn name(&self) -> &'static str {
        "cos"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(f64::cos)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&a[0].primal.map(|x| -x.sin()))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(-&(c * &a[0].sin()))]
    }
}

super::unary_methods! {
    /// Elementwise cosine.
    cos() => Cos
}
