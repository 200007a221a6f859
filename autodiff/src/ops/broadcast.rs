//! Explicit broadcast to a larger shape (numpy rules).

use super::sum_to;
use crate::dual::{lane_shape, Dual};
use crate::kernels;

// d broadcast(a) = broadcast(da)
pub(crate) fn broadcast_to(a: &Dual, shape: &[usize]) -> Dual {
    let primal = kernels::broadcast_to(&a.primal, shape);
    let tangent = a
        .lanes_at(shape.len())
        .map(|t| kernels::broadcast_to(&t, &lane_shape(&t, shape)));
    Dual { primal, tangent }
}

pub(crate) fn broadcast_to_vjp(a: &Dual, c: &Dual) -> Dual {
    sum_to(c, a.shape())
}
