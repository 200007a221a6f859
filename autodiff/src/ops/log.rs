//! Elementwise natural logarithm (IEEE: log 0 = -∞, log of a negative number is NaN).

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `log(a)`.
struct Log;

// d log(a) = da / a
impl<S: Scalar> Primitive<S> for Log {
    fn name(&self) -> &'static str {
        "log"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(S::ln)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&a[0].primal.map(|x| S::one() / x))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c / a[0])]
    }
}

super::unary_methods! {
    /// Elementwise natural logarithm.
    ln() => Log
}
