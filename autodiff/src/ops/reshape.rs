//! View with another shape of the same size.

use crate::dual::{lane_shape, Dual};
use crate::primal_log::primal;

// d reshape(a) = reshape(da)
pub(crate) fn reshape(a: &Dual, shape: &[usize]) -> Dual {
    assert!(
        shape.iter().product::<usize>() == a.primal.len(),
        "reshape: shape {:?} cannot be viewed as {:?}",
        a.shape(),
        shape
    );
    Dual {
        primal: primal("reshape", || a.primal.reshape(shape)),
        tangent: a
            .tangent
            .as_ref()
            .map(|t| t.reshape(&lane_shape(t.shape()[0], shape))),
    }
}

pub(crate) fn reshape_vjp(a: &Dual, c: &Dual) -> Dual {
    reshape(c, a.shape())
}
