//! Elementwise arctangent.

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `atan(a)`.
struct Atan;

// d atan(a) = da / (1 + a^2)
impl<S: Scalar> Primitive<S> for Atan {
    fn name(&self) -> &'static str {
        "atan"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(S::atan)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&a[0].primal.map(|v| S::one() / (S::one() + v * v)))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c / &(&(a[0] * a[0]) + S::one()))]
    }
}

super::unary_methods! {
    /// Elementwise arctangent (values in (-π/2, π/2)).
    atan() => Atan
}
