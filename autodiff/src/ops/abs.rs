//! Elementwise absolute value.
//!
//! Its derivative is `sign(a)`: 0 at 0 (the middle of the subdifferential
//! [-1, 1], as PyTorch; JAX takes 1), and NaN at NaN.

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

fn sign<S: Scalar>(x: S) -> S {
    if x > S::zero() {
        S::one()
    } else if x < S::zero() {
        -S::one()
    } else if x.is_nan() {
        S::nan()
    } else {
        S::zero()
    }
}

/// `|a|`.
struct Abs;

// d |a| = sign(a) da
impl<S: Scalar> Primitive<S> for Abs {
    fn name(&self) -> &'static str {
        "abs"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(S::abs)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&a[0].primal.map(sign))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c * &DualOf::constant(a[0].primal.map(sign)))]
    }
}

super::unary_methods! {
    /// Elementwise absolute value.
    abs() => Abs
}
