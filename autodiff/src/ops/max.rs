//! Maximum along one axis.
//!
//! Conventions (as JAX's `max`): NaN anywhere along the axis gives NaN (and
//! NaN derivatives); tied maxima share the derivative equally; the maximum
//! over an empty axis is -∞.

use crate::kernels::{self, binary};
use crate::tensor::Shape;
use crate::{DualOf, KeepDims, Primitive, Scalar, TensorOf, Wanted};

/// `a`'s shape with `axis` of length 1.
fn kept_shape(a: &[usize], axis: usize) -> Shape {
    let mut kept = Shape::from_slice(a);
    kept[axis] = 1;
    kept
}

/// The share of the derivative each entry of `a` receives: `1/k` at each of
/// the `k` entries equal to the maximum `m` (kept shape) along `axis`, 0
/// elsewhere; NaN along an axis whose maximum is NaN (`k` = 0).
fn shares<S: Scalar>(a: &TensorOf<S>, m: &TensorOf<S>, axis: usize) -> TensorOf<S> {
    let at_max = binary(
        "max",
        a,
        m,
        |x, m| if x == m { S::one() } else { S::zero() },
    );
    let count = kernels::sum_axes(&at_max, &[axis], true);
    binary("max", &at_max, &count, |x, k| x / k)
}

/// The maximum of `a` along an axis, kept with length 1 or removed.
struct MaxAxis {
    axis: usize,
    keep: KeepDims,
}

// d max(a) = the mean of da over the positions of the maximum
impl<S: Scalar> Primitive<S> for MaxAxis {
    fn name(&self) -> &'static str {
        "max"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        let (a, axis) = (a[0], self.axis);
        assert!(
            axis < a.rank(),
            "max: axis {axis} out of range for shape {:?}",
            a.shape()
        );
        let m = kernels::max_axis(a, axis);
        if self.keep.kept() {
            m
        } else {
            let mut shape = Shape::from_slice(a.shape());
            shape.remove(axis);
            m.reshape(&shape)
        }
    }
    // NOTE: only the lanes go through the shares, so -inf entries never meet a 0 factor.
    fn tangent(&self, a: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
        let a = a[0];
        let m = y.reshape(&kept_shape(a.shape(), self.axis));
        a.tangent.as_ref().map(|t| {
            let weighted = binary("max", t, &shares(&a.primal, &m, self.axis), |x, s| x * s);
            kernels::sum_axes(&weighted, &[self.axis + 1], self.keep.kept())
        })
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        y: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let a = a[0];
        let kept = kept_shape(a.shape(), self.axis);
        let spread = c.reshape(&kept).broadcast_to(a.shape());
        let shares = shares(&a.primal, &y.primal.reshape(&kept), self.axis);
        vec![Some(&spread * &DualOf::constant(shares))]
    }
}

super::unary_methods! {
    /// Maximum along `axis`, kept with length 1 or removed as `keep` says.
    max_axis(axis: usize, keep: KeepDims) => MaxAxis { axis, keep }
}
