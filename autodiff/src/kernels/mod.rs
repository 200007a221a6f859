//! Plain tensor kernels on primal values: no tangents, no tape.
//!
//! The differentiable operations in [`crate::ops`] are written on top of these.

mod broadcast;
mod layout;
mod matmul;
mod reduce;
mod tanh;

pub(crate) use broadcast::{binary, broadcast_shape, broadcast_to};
pub(crate) use layout::{concat, index_add, index_select, pad, slice, transpose_last2};
pub(crate) use matmul::matmul;
pub(crate) use reduce::{max_axis, sum_axes};
pub(crate) use tanh::{tanh, tanh_one};

/// Splits `shape` around `axis` into (product before, length of axis, product after).
pub(crate) fn split_at_axis(shape: &[usize], axis: usize) -> (usize, usize, usize) {
    let outer = shape[..axis].iter().product();
    let inner = shape[axis + 1..].iter().product();
    (outer, shape[axis], inner)
}
