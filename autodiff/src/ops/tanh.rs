//! Elementwise hyperbolic tangent.

use crate::kernels::{self, binary};
use crate::{Dual, Primitive, Tensor, Wanted};

/// `tanh(a)`.
struct Tanh;

// d tanh(a) = (1 - tanh(a)^2) da
impl Primitive for Tanh {
    fn name(&self) -> &'static str {
        "tanh"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        kernels::tanh(a[0])
    }
    fn tangent(&self, a: &[&Dual], y: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&y.map(|y| 1.0 - y * y))
    }
    fn vjp(&self, _: &[&Dual], y: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c * &crate::primitive::apply(&Slope, &[y]))]
    }
}

/// The slope `1 - y²` of `y = tanh(a)`, in one pass each for primal and
/// tangent where composing `sub` and `mul` would take several.
struct Slope;

// d(1 - y^2) = -2y dy
impl Primitive for Slope {
    fn name(&self) -> &'static str {
        "tanh_slope"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, y: &[&Tensor]) -> Tensor {
        y[0].map(|y| 1.0 - y * y)
    }
    fn tangent(&self, y: &[&Dual], _: &Tensor) -> Option<Tensor> {
        let y = y[0];
        y.tangent
            .as_ref()
            .map(|t| binary("tanh_slope", t, &y.primal, |dy, y| -2.0 * y * dy))
    }
    fn vjp(&self, y: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c * &(y[0] * -2.0))]
    }
}

super::unary_methods! {
    /// Elementwise hyperbolic tangent.
    tanh() => Tanh
}
