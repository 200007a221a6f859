//! Elementwise square root (IEEE: the square root of a negative number is NaN).

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `sqrt(a)`.
struct Sqrt;

// d sqrt(a) = da / (2 sqrt(a))
impl<S: Scalar> Primitive<S> for Sqrt {
    fn name(&self) -> &'static str {
        "sqrt"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(S::sqrt)
    }
    fn tangent(&self, a: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&y.map(|y| S::of(0.5) / y))
    }
    fn vjp(
        &self,
        _: &[&DualOf<S>],
        y: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(&(c * S::of(0.5)) / y)]
    }
}

super::unary_methods! {
    /// Elementwise square root.
    sqrt() => Sqrt
}
