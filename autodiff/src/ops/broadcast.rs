//! Explicit broadcast to a larger shape (numpy rules).

use crate::dual::lane_shape;
use crate::kernels;
use crate::tensor::Shape;
use crate::{Dual, Primitive, Tensor, Wanted};

/// `a` broadcast to a shape.
struct BroadcastTo(Shape);

// d broadcast(a) = broadcast(da)
impl Primitive for BroadcastTo {
    fn name(&self) -> &'static str {
        "broadcast_to"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        kernels::broadcast_to(a[0], &self.0)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].lanes_at(self.0.len())
            .map(|t| kernels::broadcast_to(&t, &lane_shape(t.shape()[0], &self.0)))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c.sum_to(a[0].shape()))]
    }
}

super::unary_methods! {
    /// Explicit broadcast to a larger shape (numpy rules).
    broadcast_to(shape: &[usize]) => BroadcastTo(Shape::from_slice(shape))
}
