//! Sum over a set of axes (all axes for a full reduction).

use crate::kernels;
use crate::tensor::Shape;
use crate::{DualOf, KeepDims, Primitive, Scalar, TensorOf, VarOf, Wanted};

/// The sum of `a` over some axes, kept with length 1 or removed.
struct Sum {
    axes: Shape,
    keep: KeepDims,
}

// d sum(a) = sum(da)
impl<S: Scalar> Primitive<S> for Sum {
    fn name(&self) -> &'static str {
        "sum"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        for &axis in &self.axes {
            assert!(
                axis < a[0].rank(),
                "sum: axis {axis} out of range for shape {:?}",
                a[0].shape()
            );
        }
        kernels::sum_axes(a[0], &self.axes, self.keep.kept())
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        let lane_axes: Shape = self.axes.iter().map(|&i| i + 1).collect();
        a[0].tangent
            .as_ref()
            .map(|t| kernels::sum_axes(t, &lane_axes, self.keep.kept()))
    }
    // The cotangent, spread back over the summed axes.
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let a = a[0];
        let kept: Shape = (0..a.rank())
            .map(|i| {
                if self.axes.contains(&i) {
                    1
                } else {
                    a.shape()[i]
                }
            })
            .collect();
        vec![Some(c.reshape(&kept).broadcast_to(a.shape()))]
    }
}

impl<'t, S: Scalar> VarOf<'t, S> {
    /// Sum of all elements (a scalar of shape `[]`).
    #[track_caller]
    pub fn sum(self) -> VarOf<'t, S> {
        let axes = (0..self.shape().len()).collect();
        let keep = KeepDims::No;
        self.record(Sum { axes, keep }, &[self])
    }

    /// Sum along `axis`, kept with length 1 or removed as `keep` says.
    #[track_caller]
    pub fn sum_axis(self, axis: usize, keep: KeepDims) -> VarOf<'t, S> {
        let axes = Shape::from_slice(&[axis]);
        self.record(Sum { axes, keep }, &[self])
    }
}

impl<S: Scalar> DualOf<S> {
    /// Sum over `axes`, kept with length 1 or removed as `keep` says.
    pub fn sum_axes(&self, axes: &[usize], keep: KeepDims) -> DualOf<S> {
        let axes = Shape::from_slice(axes);
        crate::primitive::apply(&Sum { axes, keep }, &[self])
    }

    /// Sums a broadcast result back down to `shape`: the adjoint of broadcasting.
    pub fn sum_to(&self, shape: &[usize]) -> DualOf<S> {
        if self.shape() == shape {
            return self.clone();
        }
        let lead = self.rank() - shape.len();
        let axes: Shape = (0..self.rank())
            .filter(|&i| i < lead || (shape[i - lead] == 1 && self.shape()[i] != 1))
            .collect();
        self.sum_axes(&axes, KeepDims::Yes).reshape(shape)
    }
}
