//! Elementwise cosine.

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `cos(a)`.
struct Cos;

// d cos(a) = -sin(a) da
impl<S: Scalar> Primitive<S> for Cos {
    fn name(&self) -> &'static str {
        "cos"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(S::cos)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&a[0].primal.map(|x| -x.sin()))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(-&(c * &a[0].sin()))]
    }
}

super::unary_methods! {
    /// Elementwise cosine.
    cos() => Cos
}
