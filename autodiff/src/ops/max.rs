//! Maximum along one axis (the first maximum receives the derivative on ties).

use super::{broadcast_to, mul, reshape};
use crate::dual::Dual;
use crate::kernels::{self, argmax_axis, split_at_axis};
use crate::primal_log::primal;
use crate::tensor::{Shape, Tensor};

/// One-hot tensor of `a`'s shape marking the maximum along `axis`.
fn argmax_mask(a: &Tensor, axis: usize) -> Tensor {
    let (_, n, inner) = split_at_axis(a.shape(), axis);
    let arg = argmax_axis(a, axis);
    let mut mask = vec![0.0; a.len()];
    for (pos, &j) in arg.iter().enumerate() {
        let (o, i) = (pos / inner, pos % inner);
        mask[(o * n + j) * inner + i] = 1.0;
    }
    Tensor::new(a.shape(), mask)
}

// d max(a) = da at the position of the maximum
pub(crate) fn max_axis(a: &Dual, axis: usize, keepdim: bool) -> Dual {
    assert!(
        axis < a.rank(),
        "max: axis {axis} out of range for shape {:?}",
        a.shape()
    );
    assert!(
        a.shape()[axis] > 0,
        "max: axis {axis} of shape {:?} is empty",
        a.shape()
    );
    let primal = primal("max", || {
        let (_, n, inner) = split_at_axis(a.shape(), axis);
        let values = argmax_axis(&a.primal, axis)
            .iter()
            .enumerate()
            .map(|(pos, &j)| a.primal.data()[((pos / inner) * n + j) * inner + pos % inner])
            .collect();
        let kept: Shape = (0..a.rank())
            .map(|i| if i == axis { 1 } else { a.shape()[i] })
            .collect();
        let values = Tensor::new(&kept, values);
        if keepdim {
            values
        } else {
            kernels::sum_axes(&values, &[axis], false)
        }
    });
    // NOTE: only the lanes go through the mask, so -inf entries never meet a 0 factor.
    let tangent = a.tangent.as_ref().map(|t| {
        let masked = kernels::binary("max", t, &argmax_mask(&a.primal, axis), |x, m| x * m);
        kernels::sum_axes(&masked, &[axis + 1], keepdim)
    });
    Dual { primal, tangent }
}

pub(crate) fn max_axis_vjp(a: &Dual, axis: usize, c: &Dual) -> Dual {
    let kept: Shape = (0..a.rank())
        .map(|i| if i == axis { 1 } else { a.shape()[i] })
        .collect();
    let spread = broadcast_to(&reshape(c, &kept), a.shape());
    mul(&spread, &Dual::constant(argmax_mask(&a.primal, axis)))
}
