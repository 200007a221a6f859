//! Sum over a set of axes (all axes for a full reduction).

use super::{broadcast_to, reshape};
use crate::dual::Dual;
use crate::kernels;
use crate::primal_log::primal;
use crate::tensor::Shape;

// d sum(a) = sum(da)
pub(crate) fn sum(a: &Dual, axes: &[usize], keepdim: bool) -> Dual {
    for &axis in axes {
        assert!(
            axis < a.rank(),
            "sum: axis {axis} out of range for shape {:?}",
            a.shape()
        );
    }
    let lane_axes: Shape = axes.iter().map(|&i| i + 1).collect();
    Dual {
        primal: primal("sum", || kernels::sum_axes(&a.primal, axes, keepdim)),
        tangent: a
            .tangent
            .as_ref()
            .map(|t| kernels::sum_axes(t, &lane_axes, keepdim)),
    }
}

/// The cotangent of a sum, spread back over the summed axes.
pub(crate) fn sum_vjp(a: &Dual, axes: &[usize], c: &Dual) -> Dual {
    let kept: Shape = (0..a.rank())
        .map(|i| if axes.contains(&i) { 1 } else { a.shape()[i] })
        .collect();
    broadcast_to(&reshape(c, &kept), a.shape())
}

/// Sums a broadcast result back down to `shape`: the adjoint of broadcasting.
pub(crate) fn sum_to(c: &Dual, shape: &[usize]) -> Dual {
    if c.shape() == shape {
        return c.clone();
    }
    let lead = c.rank() - shape.len();
    let axes: Shape = (0..c.rank())
        .filter(|&i| i < lead || (shape[i - lead] == 1 && c.shape()[i] != 1))
        .collect();
    reshape(&sum(c, &axes, true), shape)
}
