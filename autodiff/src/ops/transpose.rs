//! Transpose of a matrix.

use crate::kernels::transpose_last2;
use crate::{Dual, Primitive, Tensor, Wanted};

/// `aᵀ` for a 2-D `a`.
struct Transpose;

// d(Aᵀ) = (dA)ᵀ
impl Primitive for Transpose {
    fn name(&self) -> &'static str {
        "transpose"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        assert!(
            a[0].rank() == 2,
            "transpose: shape {:?} is not 2-D",
            a[0].shape()
        );
        transpose_last2(a[0])
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent.as_ref().map(transpose_last2)
    }
    fn vjp(&self, _: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c.t())]
    }
}

super::unary_methods! {
    /// Transpose of a 2-D value.
    t() => Transpose
}
