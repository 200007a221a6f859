//! Elementwise `log(1 + a)`, accurate for small `a` (IEEE: log1p(-1) = -∞).

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `log(1 + a)`.
struct Log1p;

// d log1p(a) = da / (1 + a)
impl<S: Scalar> Primitive<S> for Log1p {
    fn name(&self) -> &'static str {
        "log1p"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(S::ln_1p)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&a[0].primal.map(|x| S::one() / (S::one() + x)))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c / &(a[0] + S::one()))]
    }
}

super::unary_methods! {
    /// Elementwise `log(1 + x)`, accurate where `x` is small.
    log1p() => Log1p
}
