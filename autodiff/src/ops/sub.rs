//! Subtraction with broadcasting.

use super::{neg, sum_to};
use crate::dual::{sum_lanes, Dual};
use crate::kernels::binary;
use crate::primal_log::primal;

// d(a - b) = da - db
pub(crate) fn sub(a: &Dual, b: &Dual) -> Dual {
    let primal = primal("sub", || binary("sub", &a.primal, &b.primal, |x, y| x - y));
    let r = primal.rank();
    let db = b.lanes_at(r).map(|t| t.map(|x| -x));
    let tangent = sum_lanes(primal.shape(), [a.lanes_at(r), db]);
    Dual { primal, tangent }
}

pub(crate) fn sub_vjp(a: &Dual, b: &Dual, c: &Dual, need: [bool; 2]) -> [Option<Dual>; 2] {
    [
        need[0].then(|| sum_to(c, a.shape())),
        need[1].then(|| sum_to(&neg(c), b.shape())),
    ]
}
