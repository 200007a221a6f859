//! Maximum along one axis (the first maximum receives the derivative on ties).

use crate::kernels::{self, argmax_axis, split_at_axis};
use crate::tensor::Shape;
use crate::{Dual, Primitive, Tensor, Wanted};

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

/// `a`'s shape with `axis` of length 1.
fn kept_shape(a: &[usize], axis: usize) -> Shape {
    (0..a.len())
        .map(|i| if i == axis { 1 } else { a[i] })
        .collect()
}

/// The maximum of `a` along an axis, kept with length 1 or removed.
struct MaxAxis {
    axis: usize,
    keepdim: bool,
}

// d max(a) = da at the position of the maximum
impl Primitive for MaxAxis {
    fn name(&self) -> &'static str {
        "max"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        let (a, axis) = (a[0], self.axis);
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
        let (_, n, inner) = split_at_axis(a.shape(), axis);
        let values = argmax_axis(a, axis)
            .iter()
            .enumerate()
            .map(|(pos, &j)| a.data()[((pos / inner) * n + j) * inner + pos % inner])
            .collect();
        let values = Tensor::new(&kept_shape(a.shape(), axis), values);
        if self.keepdim {
            values
        } else {
            kernels::sum_axes(&values, &[axis], false)
        }
    }
    // NOTE: only the lanes go through the mask, so -inf entries never meet a 0 factor.
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        let a = a[0];
        a.tangent.as_ref().map(|t| {
            let mask = argmax_mask(&a.primal, self.axis);
            let masked = kernels::binary("max", t, &mask, |x, m| x * m);
            kernels::sum_axes(&masked, &[self.axis + 1], self.keepdim)
        })
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        let a = a[0];
        let spread = c
            .reshape(&kept_shape(a.shape(), self.axis))
            .broadcast_to(a.shape());
        let mask = Dual::constant(argmax_mask(&a.primal, self.axis));
        vec![Some(&spread * &mask)]
    }
}

super::unary_methods! {
    /// Maximum along `axis`, keeping it with length 1 when `keepdim`.
    max_axis(axis: usize, keepdim: bool) => MaxAxis { axis, keepdim }
}
