//! The same values viewed with another shape of equal size.

use crate::dual::lane_shape;
use crate::tensor::Shape;
use crate::{Dual, Primitive, Tensor, Wanted};

/// `a` viewed with another shape.
struct Reshape(Shape);

// d reshape(a) = reshape(da)
impl Primitive for Reshape {
    fn name(&self) -> &'static str {
        "reshape"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        assert!(
            crate::tensor::count(&self.0) == a[0].len(),
            "reshape: shape {:?} cannot be viewed as {:?}",
            a[0].shape(),
            self.0
        );
        a[0].reshape(&self.0)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent
            .as_ref()
            .map(|t| t.reshape(&lane_shape(t.shape()[0], &self.0)))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c.reshape(a[0].shape()))]
    }
}

super::unary_methods! {
    /// The same values viewed with another shape of equal size.
    reshape(shape: &[usize]) => Reshape(Shape::from_slice(shape))
}
