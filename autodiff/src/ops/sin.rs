//! Elementwise sine.

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `sin(a)`.
struct Sin;

// d sin(a) = cos(a) da
impl<S: Scalar> Primitive<S> for Sin {
    fn name(&self) -> &'static str {
        "sin"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(S::sin)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&a[0].primal.map(S::cos))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c * &a[0].cos())]
    }
}

super::unary_methods! {
    /// Elementwise sine.
    sin() => Sin
}
