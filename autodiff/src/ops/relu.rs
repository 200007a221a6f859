//! Elementwise rectifier max(a, 0) (derivative 0 at 0; NaN stays NaN, with
//! derivative 0 there, as JAX's `relu`).

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

fn step<S: Scalar>(x: S) -> S {
    if x > S::zero() {
        S::one()
    } else {
        S::zero()
    }
}

/// `max(a, 0)`.
struct Relu;

// d relu(a) = [a > 0] da
impl<S: Scalar> Primitive<S> for Relu {
    fn name(&self) -> &'static str {
        "relu"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(|x| if x.is_nan() { x } else { x.max(S::zero()) })
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&a[0].primal.map(step))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c * &DualOf::constant(a[0].primal.map(step)))]
    }
}

super::unary_methods! {
    /// Elementwise `max(x, 0)`.
    relu() => Relu
}
