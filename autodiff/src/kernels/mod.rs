//! Plain tensor kernels on primal values: no tangents, no tape.
//!
//! The differentiable operations in [`crate::ops`] are written on top of these.

use crate::tensor::Tensor;

mod broadcast;
mod layout;
mod matmul;
mod reduce;

pub(crate) use broadcast::{binary, broadcast_to};
pub(crate) use layout::{concat, index_add, index_select, pad, slice, transpose_last2};
pub(crate) use matmul::matmul;
pub(crate) use reduce::{argmax_axis, sum_axes};

/// Elements per thread below which a transcendental map stays on one thread.
const PARALLEL_CHUNK: usize = 4096;

/// `f` applied to every element, split across the thread pool when the
/// tensor is large enough for the split to pay (costly functions only).
pub(crate) fn map_parallel(t: &Tensor, f: impl Fn(f64) -> f64 + Sync) -> Tensor {
    use rayon::prelude::*;
    if t.len() < 2 * PARALLEL_CHUNK {
        return t.map(f);
    }
    let mut out = vec![0.0; t.len()];
    out.par_chunks_mut(PARALLEL_CHUNK)
        .zip(t.data().par_chunks(PARALLEL_CHUNK))
        .for_each(|(o, x)| {
            for (slot, &v) in o.iter_mut().zip(x) {
                *slot = f(v);
            }
        });
    Tensor::new(t.shape(), out)
}

/// Splits `shape` around `axis` into (product before, length of axis, product after).
pub(crate) fn split_at_axis(shape: &[usize], axis: usize) -> (usize, usize, usize) {
    let outer = shape[..axis].iter().product();
    let inner = shape[axis + 1..].iter().product();
    (outer, shape[axis], inner)
}
