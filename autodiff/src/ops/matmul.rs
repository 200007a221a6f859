//! Matrix product of 2-D operands, each optionally transposed.

use crate::dual::{sum_lanes, Dual};
use crate::kernels;
use crate::primal_log::primal;

// d(A B) = dA B + A dB
pub(crate) fn matmul(a: &Dual, ta: bool, b: &Dual, tb: bool) -> Dual {
    assert!(
        a.rank() == 2 && b.rank() == 2,
        "matmul: shapes {:?} and {:?} are not both 2-D",
        a.shape(),
        b.shape()
    );
    let primal = primal("matmul", || kernels::matmul(&a.primal, ta, &b.primal, tb));
    let da = a
        .tangent
        .as_ref()
        .map(|t| kernels::matmul(t, ta, &b.primal, tb));
    let db = b
        .tangent
        .as_ref()
        .map(|t| kernels::matmul(&a.primal, ta, t, tb));
    let tangent = sum_lanes(primal.shape(), [da, db]);
    Dual { primal, tangent }
}

// With C = op(A) op(B): Ā = C̄ op(B)ᵀ read back through op, and likewise for B̄.
pub(crate) fn matmul_vjp(
    a: &Dual,
    ta: bool,
    b: &Dual,
    tb: bool,
    c: &Dual,
    need: [bool; 2],
) -> [Option<Dual>; 2] {
    let ca = need[0].then(|| {
        if ta {
            matmul(b, tb, c, true)
        } else {
            matmul(c, false, b, !tb)
        }
    });
    let cb = need[1].then(|| {
        if tb {
            matmul(c, true, a, ta)
        } else {
            matmul(a, !ta, c, false)
        }
    });
    [ca, cb]
}
