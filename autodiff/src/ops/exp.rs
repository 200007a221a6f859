//! Elementwise exponential.

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `exp(a)`.
struct Exp;

// d exp(a) = exp(a) da
impl<S: Scalar> Primitive<S> for Exp {
    fn name(&self) -> &'static str {
        "exp"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(S::exp)
    }
    fn tangent(&self, a: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(y)
    }
    fn vjp(
        &self,
        _: &[&DualOf<S>],
        y: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c * y)]
    }
}

super::unary_methods! {
    /// Elementwise exponential.
    exp() => Exp
}
