//! Explicit broadcast to a larger shape (numpy rules).

use crate::dual::lane_shape;
use crate::kernels;
use crate::tensor::Shape;
use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `a` broadcast to a shape.
struct BroadcastTo(Shape);

// d broadcast(a) = broadcast(da)
impl<S: Scalar> Primitive<S> for BroadcastTo {
    fn name(&self) -> &'static str {
        "broadcast_to"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        kernels::broadcast_to(a[0], &self.0)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].lanes_at(self.0.len())
            .map(|t| kernels::broadcast_to(&t, &lane_shape(t.shape()[0], &self.0)))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c.sum_to(a[0].shape()))]
    }
}

super::unary_methods! {
    /// Explicit broadcast to a larger shape (numpy rules).
    broadcast_to(shape: &[usize]) => BroadcastTo(Shape::from_slice(shape))
}
