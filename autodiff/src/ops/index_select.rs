//! Selection of entries by integer index along an axis (numpy's `take`), and
//! its adjoint, index-add (scatter with accumulation).

use crate::dual::Dual;
use crate::kernels;
use crate::primal_log::primal;

// d take(a, i) = take(da, i)
pub(crate) fn index_select(a: &Dual, axis: usize, indices: &[usize]) -> Dual {
    assert!(
        axis < a.rank(),
        "index_select: axis {axis} out of range for shape {:?}",
        a.shape()
    );
    Dual {
        primal: primal("index_select", || {
            kernels::index_select(&a.primal, axis, indices)
        }),
        tangent: a
            .tangent
            .as_ref()
            .map(|t| kernels::index_select(t, axis + 1, indices)),
    }
}

// d index_add(a) = index_add(da): a linear map
pub(crate) fn index_add(c: &Dual, axis: usize, indices: &[usize], len: usize) -> Dual {
    Dual {
        primal: primal("index_add", || {
            kernels::index_add(&c.primal, axis, indices, len)
        }),
        tangent: c
            .tangent
            .as_ref()
            .map(|t| kernels::index_add(t, axis + 1, indices, len)),
    }
}

pub(crate) fn index_select_vjp(a: &Dual, axis: usize, indices: &[usize], c: &Dual) -> Dual {
    index_add(c, axis, indices, a.shape()[axis])
}
