//! The differentiable primitives, one per file.
//!
//! Each file holds a primitive's forward rule on tangent-carrying values
//! ([`Dual`]: the primal and, when present, the tangent lanes — its jvp) and
//! its vjp rule. The vjp rules are written with these same dual operations,
//! never on raw buffers: when the values on the tape carry tangents, the
//! reverse sweep therefore differentiates itself and yields the exact
//! Hessian-vector product alongside the gradient (forward-over-reverse).
//! A new primitive gets H·v for free as long as its vjp follows that rule.

mod abs;
mod add;
mod atan;
mod broadcast;
mod concat;
mod cos;
mod div;
mod exp;
mod index_select;
mod log;
mod matmul;
mod max;
mod mul;
mod neg;
mod pow;
mod relu;
mod reshape;
mod sin;
mod slice;
mod sqrt;
mod sub;
mod sum;
mod tanh;
mod transpose;

pub(crate) use abs::{abs, abs_vjp};
pub(crate) use add::{add, add_vjp};
pub(crate) use atan::{atan, atan_vjp};
pub(crate) use broadcast::{broadcast_to, broadcast_to_vjp};
pub(crate) use concat::{concat, concat_vjp};
pub(crate) use cos::{cos, cos_vjp};
pub(crate) use div::{div, div_vjp};
pub(crate) use exp::{exp, exp_vjp};
pub(crate) use index_select::{index_select, index_select_vjp};
pub(crate) use log::{log, log_vjp};
pub(crate) use matmul::{matmul, matmul_vjp};
pub(crate) use max::{max_axis, max_axis_vjp};
pub(crate) use mul::{mul, mul_vjp};
pub(crate) use neg::{neg, neg_vjp};
pub(crate) use pow::{pow, pow_vjp};
pub(crate) use relu::{relu, relu_vjp};
pub(crate) use reshape::{reshape, reshape_vjp};
pub(crate) use sin::{sin, sin_vjp};
pub(crate) use slice::{slice, slice_vjp};
pub(crate) use sqrt::{sqrt, sqrt_vjp};
pub(crate) use sub::{sub, sub_vjp};
pub(crate) use sum::{sum, sum_to, sum_vjp};
pub(crate) use tanh::{tanh, tanh_vjp};
pub(crate) use transpose::{transpose, transpose_vjp};

use crate::dual::Dual;
use crate::kernels;
use crate::primal_log;
use crate::tensor::Tensor;

/// An elementwise map `y = f(a)` named `op`: the primal `f` (a map over
/// every element), and tangent `f'(a) · da` lane by lane, where `slope(a, y)` gives
/// `f'(a)` and is only evaluated when `a` carries tangents.
fn elementwise(
    a: &Dual,
    op: &'static str,
    f: impl FnOnce(&Tensor) -> Tensor,
    slope: impl FnOnce(&Tensor, &Tensor) -> Tensor,
) -> Dual {
    let primal = primal_log::primal(op, || f(&a.primal));
    let tangent = a.tangent.as_ref().map(|t| {
        let slope = slope(&a.primal, &primal);
        kernels::binary(op, t, &slope, |x, s| x * s)
    });
    Dual { primal, tangent }
}
