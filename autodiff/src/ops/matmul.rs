//! Matrix product of 2-D operands, each optionally transposed.

use crate::buffer;
use crate::dual::{sum_lanes, Dual};
use crate::kernels;
use crate::primal_log::primal;
use crate::tensor::Tensor;

// d(A B) = dA B + A dB
pub(crate) fn matmul(a: &Dual, ta: bool, b: &Dual, tb: bool) -> Dual {
    assert!(
        a.rank() == 2 && b.rank() == 2,
        "matmul: shapes {:?} and {:?} are not both 2-D",
        a.shape(),
        b.shape()
    );
    let primal = primal("matmul", || kernels::matmul(&a.primal, ta, &b.primal, tb));
    let tangent = tangent(a, ta, b, tb, primal.shape());
    Dual { primal, tangent }
}

/// The tangent `dA B + A dB` of a product whose primal has `shape`.
fn tangent(a: &Dual, ta: bool, b: &Dual, tb: bool, shape: &[usize]) -> Option<Tensor> {
    let da = a
        .tangent
        .as_ref()
        .map(|t| kernels::matmul(t, ta, &b.primal, tb));
    let db = b
        .tangent
        .as_ref()
        .map(|t| kernels::matmul(&a.primal, ta, t, tb));
    sum_lanes(shape, [da, db])
}

/// [`matmul`] with its tangent only and a zero primal: the product itself
/// is not computed (a weight's gradient, when only `H·v` is wanted).
fn matmul_tangent_only(a: &Dual, ta: bool, b: &Dual, tb: bool) -> Dual {
    let rows = a.shape()[if ta { 1 } else { 0 }];
    let cols = b.shape()[if tb { 0 } else { 1 }];
    let shape = [rows, cols];
    Dual {
        primal: Tensor::new(&shape, buffer::zeros(rows * cols)),
        tangent: tangent(a, ta, b, tb, &shape),
    }
}

// With C = op(A) op(B): Ā = C̄ op(B)ᵀ read back through op, and likewise for B̄.
// An input flagged in `tangents_only` gets its cotangent's tangent alone.
pub(crate) fn matmul_vjp(
    a: &Dual,
    ta: bool,
    b: &Dual,
    tb: bool,
    c: &Dual,
    need: [bool; 2],
    tangents_only: [bool; 2],
) -> [Option<Dual>; 2] {
    let product = |tangent_only: bool| {
        if tangent_only {
            matmul_tangent_only
        } else {
            matmul
        }
    };
    let ca = need[0].then(|| {
        if ta {
            product(tangents_only[0])(b, tb, c, true)
        } else {
            product(tangents_only[0])(c, false, b, !tb)
        }
    });
    let cb = need[1].then(|| {
        if tb {
            product(tangents_only[1])(c, true, a, ta)
        } else {
            product(tangents_only[1])(a, !ta, c, false)
        }
    });
    [ca, cb]
}
