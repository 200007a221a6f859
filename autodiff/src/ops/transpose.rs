//! Transpose of a matrix.

use crate::dual::Dual;
use crate::kernels::transpose_last2;
use crate::primal_log::primal;

// d(Aᵀ) = (dA)ᵀ
pub(crate) fn transpose(a: &Dual) -> Dual {
    assert!(a.rank() == 2, "transpose: shape {:?} is not 2-D", a.shape());
    Dual {
        primal: primal("transpose", || transpose_last2(&a.primal)),
        tangent: a.tangent.as_ref().map(transpose_last2),
    }
}

pub(crate) fn transpose_vjp(c: &Dual) -> Dual {
    transpose(c)
}
