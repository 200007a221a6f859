//! Elementwise division with broadcasting (IEEE semantics: x/0 is ±∞ or NaN).

use super::{mul, neg, sum_to};
use crate::dual::{sum_lanes, Dual};
use crate::kernels::binary;
use crate::primal_log::primal;

// d(a / b) = da / b - (a / b) db / b
pub(crate) fn div(a: &Dual, b: &Dual) -> Dual {
    let primal = primal("div", || binary("div", &a.primal, &b.primal, |x, y| x / y));
    let r = primal.rank();
    let ta = a
        .lanes_at(r)
        .map(|t| binary("div", &t, &b.primal, |x, y| x / y));
    let tb = b.lanes_at(r).map(|t| {
        let ratio = binary("div", &primal, &b.primal, |q, y| -q / y);
        binary("mul", &ratio, &t, |x, y| x * y)
    });
    let tangent = sum_lanes(primal.shape(), [ta, tb]);
    Dual { primal, tangent }
}

pub(crate) fn div_vjp(
    a: &Dual,
    b: &Dual,
    out: &Dual,
    c: &Dual,
    need: [bool; 2],
) -> [Option<Dual>; 2] {
    let cb = need[1].then(|| sum_to(&neg(&mul(c, &div(out, b))), b.shape()));
    [need[0].then(|| sum_to(&div(c, b), a.shape())), cb]
}
