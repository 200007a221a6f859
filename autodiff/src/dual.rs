//! Tangent-carrying tensors: a primal value plus `K` tangent lanes.
//!
//! The lanes are stored as one tensor of shape `[K, ...primal shape]`, so each
//! lane is a contiguous plane and a lane-wise matrix product is one plain
//! matrix product. Every differentiable operation in [`crate::ops`] maps duals
//! to duals: it computes the primal and, when any input carries lanes, the
//! tangents (its jvp). Operations on duals without lanes skip the tangent work.

use crate::kernels;
use crate::tensor::{Shape, Tensor};

/// A primal tensor with optional tangent lanes of shape `[K, ...primal shape]`.
#[derive(Clone, Debug)]
pub(crate) struct Dual {
    pub primal: Tensor,
    pub tangent: Option<Tensor>,
}

impl Dual {
    /// A value without tangents (its derivative along every lane is zero).
    pub fn constant(primal: Tensor) -> Dual {
        Dual {
            primal,
            tangent: None,
        }
    }

    pub fn shape(&self) -> &[usize] {
        self.primal.shape()
    }

    pub fn rank(&self) -> usize {
        self.primal.rank()
    }

    /// The tangent lanes viewed with `rank` primal axes: `[K, 1, .., 1, ...shape]`,
    /// which broadcasts against primal values of rank up to `rank`.
    pub fn lanes_at(&self, rank: usize) -> Option<Tensor> {
        self.tangent.as_ref().map(|t| {
            let mut shape = Shape::with_capacity(rank + 1);
            shape.push(t.shape()[0]);
            shape.extend(std::iter::repeat_n(1, rank - self.rank()));
            shape.extend_from_slice(self.shape());
            t.reshape(&shape)
        })
    }
}

/// Sums tangent terms (each broadcastable to `[K, ...shape]`) into lanes of
/// exactly that shape; `None` when no term is present.
pub(crate) fn sum_lanes(
    shape: &[usize],
    terms: impl IntoIterator<Item = Option<Tensor>>,
) -> Option<Tensor> {
    let total = terms
        .into_iter()
        .flatten()
        .reduce(|acc, t| kernels::binary("add", &acc, &t, |x, y| x + y))?;
    Some(kernels::broadcast_to(
        &total,
        &lane_shape(total.shape()[0], shape),
    ))
}

/// `[k, ...shape]`: the shape of `k` tangent lanes of a value of `shape`.
pub(crate) fn lane_shape(k: usize, shape: &[usize]) -> Shape {
    let mut full = Shape::with_capacity(shape.len() + 1);
    full.push(k);
    full.extend_from_slice(shape);
    full
}
