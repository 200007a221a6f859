//! Elementwise `exp(a) - 1`, accurate for small `a`.

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `exp(a) - 1`.
struct Expm1;

// d expm1(a) = (expm1(a) + 1) da
impl<S: Scalar> Primitive<S> for Expm1 {
    fn name(&self) -> &'static str {
        "expm1"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(S::exp_m1)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&a[0].primal.map(S::exp))
    }
    fn vjp(
        &self,
        _: &[&DualOf<S>],
        y: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c * &(y + S::one()))]
    }
}

super::unary_methods! {
    /// Elementwise `exp(x) - 1`, accurate where `x` is small.
    expm1() => Expm1
}
