//! Elementwise hyperbolic tangent.

use crate::kernels::{self, binary};
use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `tanh(a)`.
struct Tanh;

// d tanh(a) = (1 - tanh(a)^2) da
impl<S: Scalar> Primitive<S> for Tanh {
    fn name(&self) -> &'static str {
        "tanh"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        kernels::tanh(a[0])
    }
    fn tangent(&self, a: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&y.map(|y| S::one() - y * y))
    }
    fn vjp(
        &self,
        _: &[&DualOf<S>],
        y: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c * &crate::primitive::apply(&Slope, &[y]))]
    }
}

/// The slope `1 - y²` of `y = tanh(a)`, in one pass each for primal and
/// tangent where composing `sub` and `mul` would take several.
struct Slope;

// d(1 - y^2) = -2y dy
impl<S: Scalar> Primitive<S> for Slope {
    fn name(&self) -> &'static str {
        "tanh_slope"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, y: &[&TensorOf<S>]) -> TensorOf<S> {
        y[0].map(|y| S::one() - y * y)
    }
    fn tangent(&self, y: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        let y = y[0];
        y.tangent
            .as_ref()
            .map(|t| binary("tanh_slope", t, &y.primal, |dy, y| S::of(-2.0) * y * dy))
    }
    fn vjp(
        &self,
        y: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c * &(y[0] * S::of(-2.0)))]
    }
}

super::unary_methods! {
    /// Elementwise hyperbolic tangent.
    tanh() => Tanh
}
