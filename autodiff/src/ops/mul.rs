//! Elementwise multiplication with broadcasting.

use super::sum_to;
use crate::dual::{sum_lanes, Dual};
use crate::kernels::binary;
use crate::primal_log::primal;

// d(a b) = da b + a db
pub(crate) fn mul(a: &Dual, b: &Dual) -> Dual {
    let primal = primal("mul", || binary("mul", &a.primal, &b.primal, |x, y| x * y));
    let r = primal.rank();
    let ta = a
        .lanes_at(r)
        .map(|t| binary("mul", &t, &b.primal, |x, y| x * y));
    let tb = b
        .lanes_at(r)
        .map(|t| binary("mul", &a.primal, &t, |x, y| x * y));
    let tangent = sum_lanes(primal.shape(), [ta, tb]);
    Dual { primal, tangent }
}

pub(crate) fn mul_vjp(a: &Dual, b: &Dual, c: &Dual, need: [bool; 2]) -> [Option<Dual>; 2] {
    [
        need[0].then(|| sum_to(&mul(c, b), a.shape())),
        need[1].then(|| sum_to(&mul(c, a), b.shape())),
    ]
}
