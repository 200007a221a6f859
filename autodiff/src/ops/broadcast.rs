//! Explicit broadcast to a larger shape (numpy rules).

use super::sum_to;
use crate::dual::{lane_shape, Dual};
use crate::kernels;
use crate::primal_log::primal;

// d broadcast(a) = broadcast(da)
pub(crate) fn broadcast_to(a: &Dual, shape: &[usize]) -> Dual {
    let primal = primal("broadcast_to", || kernels::broadcast_to(&a.primal, shape));
    let tangent = a
        .lanes_at(shape.len())
        .map(|t| kernels::broadcast_to(&t, &lane_shape(t.shape()[0], shape)));
    Dual { primal, tangent }
}

pub(crate) fn broadcast_to_vjp(a: &Dual, c: &Dual) -> Dual {
    sum_to(c, a.shape())
}
