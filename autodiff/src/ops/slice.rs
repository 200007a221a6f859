//! A contiguous range along one axis, and its adjoint, zero padding.

use crate::dual::Dual;
use crate::kernels;
use crate::primal_log::primal;

// d a[start..end] = da[start..end]
pub(crate) fn slice(a: &Dual, axis: usize, start: usize, end: usize) -> Dual {
    assert!(
        axis < a.rank(),
        "slice: axis {axis} out of range for shape {:?}",
        a.shape()
    );
    Dual {
        primal: primal("slice", || kernels::slice(&a.primal, axis, start, end)),
        tangent: a
            .tangent
            .as_ref()
            .map(|t| kernels::slice(t, axis + 1, start, end)),
    }
}

// d pad(a) = pad(da): a linear map
pub(crate) fn pad(c: &Dual, axis: usize, start: usize, len: usize) -> Dual {
    Dual {
        primal: primal("pad", || kernels::pad(&c.primal, axis, start, len)),
        tangent: c
            .tangent
            .as_ref()
            .map(|t| kernels::pad(t, axis + 1, start, len)),
    }
}

pub(crate) fn slice_vjp(a: &Dual, axis: usize, start: usize, c: &Dual) -> Dual {
    pad(c, axis, start, a.shape()[axis])
}
