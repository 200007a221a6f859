//! Concatenation along one axis.

use super::slice;
use crate::dual::{lane_shape, Dual};
use crate::kernels;
use crate::primal_log::primal;
use crate::tensor::Tensor;

// d concat(a, b, ..) = concat(da, db, ..)
pub(crate) fn concat(parts: &[&Dual], axis: usize) -> Dual {
    assert!(!parts.is_empty(), "concat: no tensors given");
    let rank = parts[0].rank();
    assert!(
        axis < rank,
        "concat: axis {axis} out of range for shape {:?}",
        parts[0].shape()
    );
    let primal = primal("concat", || {
        let primals: Vec<&Tensor> = parts.iter().map(|p| &p.primal).collect();
        kernels::concat(&primals, axis)
    });
    let lanes = parts.iter().find_map(|p| p.tangent.as_ref());
    let tangent = lanes.map(|like| {
        let filled: Vec<Tensor> = parts
            .iter()
            .map(|p| match &p.tangent {
                Some(t) => t.clone(),
                None => Tensor::zeros(&lane_shape(like.shape()[0], p.shape())),
            })
            .collect();
        kernels::concat(&filled.iter().collect::<Vec<_>>(), axis + 1)
    });
    Dual { primal, tangent }
}

pub(crate) fn concat_vjp(
    parts: &[&Dual],
    axis: usize,
    c: &Dual,
    need: &[bool],
) -> Vec<Option<Dual>> {
    let mut start = 0;
    parts
        .iter()
        .zip(need)
        .map(|(p, &needed)| {
            let end = start + p.shape()[axis];
            let piece = needed.then(|| slice(c, axis, start, end));
            start = end;
            piece
        })
        .collect()
}
