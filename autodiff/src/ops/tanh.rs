//! Elementwise hyperbolic tangent.

use super::{elementwise, mul};
use crate::dual::Dual;
use crate::kernels::{self, binary};
use crate::primal_log::primal;

// d tanh(a) = (1 - tanh(a)^2) da
pub(crate) fn tanh(a: &Dual) -> Dual {
    elementwise(a, "tanh", kernels::tanh, |_, y| y.map(|y| 1.0 - y * y))
}

/// The slope `1 - y²` of `y = tanh(a)` as a dual value: d(1 - y²) = -2y dy.
/// One pass each for primal and tangent, where composing `sub` and `mul`
/// would take several.
fn slope(out: &Dual) -> Dual {
    Dual {
        primal: primal("tanh_slope", || out.primal.map(|y| 1.0 - y * y)),
        tangent: out
            .tangent
            .as_ref()
            .map(|t| binary("tanh_slope", t, &out.primal, |dy, y| -2.0 * y * dy)),
    }
}

pub(crate) fn tanh_vjp(out: &Dual, c: &Dual) -> Dual {
    mul(c, &slope(out))
}
