//! Addition with broadcasting.

use super::sum_to;
use crate::dual::{sum_lanes, Dual};
use crate::kernels::binary;
use crate::primal_log::primal;

// d(a + b) = da + db
pub(crate) fn add(a: &Dual, b: &Dual) -> Dual {
    let primal = primal("add", || binary("add", &a.primal, &b.primal, |x, y| x + y));
    let r = primal.rank();
    let tangent = sum_lanes(primal.shape(), [a.lanes_at(r), b.lanes_at(r)]);
    Dual { primal, tangent }
}

pub(crate) fn add_vjp(a: &Dual, b: &Dual, c: &Dual, need: [bool; 2]) -> [Option<Dual>; 2] {
    [
        need[0].then(|| sum_to(c, a.shape())),
        need[1].then(|| sum_to(c, b.shape())),
    ]
}
