//! The same values viewed with another shape of equal size.

use crate::dual::lane_shape;
use crate::tensor::Shape;
use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `a` viewed with another shape.
struct Reshape(Shape);

// d reshape(a) = reshape(da)
impl<S: Scalar> Primitive<S> for Reshape {
    fn name(&self) -> &'static str {
        "reshape"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        assert!(
            crate::tensor::count(&self.0) == a[0].len(),
            "reshape: shape {:?} cannot be viewed as {:?}",
            a[0].shape(),
            self.0
        );
        a[0].reshape(&self.0)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent
            .as_ref()
            .map(|t| t.reshape(&lane_shape(t.shape()[0], &self.0)))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c.reshape(a[0].shape()))]
    }
}

super::unary_methods! {
    /// The same values viewed with another shape of equal size.
    reshape(shape: &[usize]) => Reshape(Shape::from_slice(shape))
}
