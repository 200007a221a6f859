//! Tangent-carrying tensors: a primal value plus `K` tangent lanes.
//!
//! The lanes are stored as one tensor of shape `[K, ...primal shape]`, so each
//! lane is a contiguous plane and a lane-wise matrix product is one plain
//! matrix product. Every primitive maps duals to duals: it computes the
//! primal and, when any input carries lanes, the tangents (its jvp).
//! Operations on duals without lanes skip the tangent work.

use crate::kernels;
use crate::primitive::{apply, Primitive};
use crate::scalar::Scalar;
use crate::tensor::{Shape, TensorOf};

/// A tangent-carrying `f64` tensor: [`DualOf`] in the default precision.
pub type Dual = DualOf<f64>;

/// A primal tensor with optional tangent lanes of shape `[K, ...primal shape]`:
/// the values a [`Primitive`](crate::Primitive)'s rules work on.
///
/// A vjp rule is written with the operations on duals (`+ - * /` between
/// duals and with scalars, and the methods named like [`Var`](crate::Var)'s),
/// which carry the tangents along; that is what makes the reverse sweep
/// yield exact Hessian-vector products.
#[derive(Clone, Debug)]
pub struct DualOf<S: Scalar> {
    /// The value.
    pub primal: TensorOf<S>,
    /// The directional derivatives along `K` directions, shape
    /// `[K, ...primal shape]`; `None` when they are all zero.
    pub tangent: Option<TensorOf<S>>,
}

impl<S: Scalar> DualOf<S> {
    /// A value without tangents (its derivative along every lane is zero).
    pub fn constant(primal: TensorOf<S>) -> DualOf<S> {
        DualOf {
            primal,
            tangent: None,
        }
    }

    /// A scalar constant.
    pub fn scalar(value: S) -> DualOf<S> {
        DualOf::constant(TensorOf::scalar(value))
    }

    /// The primal's shape.
    pub fn shape(&self) -> &[usize] {
        self.primal.shape()
    }

    /// The primal's rank.
    pub fn rank(&self) -> usize {
        self.primal.rank()
    }

    /// The tangent lanes multiplied elementwise by `factor` (a tensor of the
    /// primal's shape, or one that broadcasts to it): the tangent rule of an
    /// elementwise map whose slope is `factor`. `None` without lanes.
    pub fn tangent_times(&self, factor: &TensorOf<S>) -> Option<TensorOf<S>> {
        let lanes = self.lanes_at(self.rank().max(factor.rank()))?;
        Some(kernels::binary("tangent_times", &lanes, factor, |t, s| {
            t * s
        }))
    }

    /// Applies a primitive to duals: its primal and, when any input carries
    /// lanes, its tangents — what a vjp rule uses to call a primitive of its own.
    pub fn apply(primitive: &impl Primitive<S>, inputs: &[&DualOf<S>]) -> DualOf<S> {
        apply(primitive, inputs)
    }

    /// The tangent lanes viewed with `rank` primal axes: `[K, 1, .., 1, ...shape]`,
    /// which broadcasts against primal values of rank up to `rank`.
    pub(crate) fn lanes_at(&self, rank: usize) -> Option<TensorOf<S>> {
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
pub(crate) fn sum_lanes<S: Scalar>(
    shape: &[usize],
    terms: impl IntoIterator<Item = Option<TensorOf<S>>>,
) -> Option<TensorOf<S>> {
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
