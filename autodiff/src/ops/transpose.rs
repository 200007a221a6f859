//! Transpose of a matrix.

use crate::kernels::transpose_last2;
use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `aᵀ` for a 2-D `a`.
struct Transpose;

// d(Aᵀ) = (dA)ᵀ
impl<S: Scalar> Primitive<S> for Transpose {
    fn name(&self) -> &'static str {
        "transpose"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        assert!(
            a[0].rank() == 2,
            "transpose: shape {:?} is not 2-D",
            a[0].shape()
        );
        transpose_last2(a[0])
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent.as_ref().map(transpose_last2)
    }
    fn vjp(
        &self,
        _: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c.t())]
    }
}

super::unary_methods! {
    /// Transpose of a 2-D value.
    t() => Transpose
}
