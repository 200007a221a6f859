//! Matrix product of 2-D operands, each optionally transposed.

use crate::buffer;
use crate::dual::{sum_lanes, Dual};
use crate::kernels;
use crate::{Primitive, Tensor, Var, Wanted};

/// `op(A) op(B)`, where `op` transposes the operands flagged `ta`, `tb`.
struct MatMul {
    ta: bool,
    tb: bool,
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

/// `op(A) op(B)` of duals, with its primal or (`tangent_only`) with a zero
/// primal that is not computed (a weight's gradient, when only `H·v` is wanted).
fn product(a: &Dual, ta: bool, b: &Dual, tb: bool, tangent_only: bool) -> Dual {
    if !tangent_only {
        return crate::primitive::apply(&MatMul { ta, tb }, &[a, b]);
    }
    let rows = a.shape()[if ta { 1 } else { 0 }];
    let cols = b.shape()[if tb { 0 } else { 1 }];
    let shape = [rows, cols];
    Dual {
        primal: Tensor::new(&shape, buffer::zeros(rows * cols)),
        tangent: tangent(a, ta, b, tb, &shape),
    }
}

// d(A B) = dA B + A dB
impl Primitive for MatMul {
    fn name(&self) -> &'static str {
        "matmul"
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&Tensor]) -> Tensor {
        assert!(
            x[0].rank() == 2 && x[1].rank() == 2,
            "matmul: shapes {:?} and {:?} are not both 2-D",
            x[0].shape(),
            x[1].shape()
        );
        kernels::matmul(x[0], self.ta, x[1], self.tb)
    }
    fn tangent(&self, x: &[&Dual], y: &Tensor) -> Option<Tensor> {
        tangent(x[0], self.ta, x[1], self.tb, y.shape())
    }
    // With C = op(A) op(B): Ā = C̄ op(B)ᵀ read back through op, and likewise for B̄.
    fn vjp(&self, x: &[&Dual], _: &Dual, c: &Dual, wanted: &[Wanted]) -> Vec<Option<Dual>> {
        let (a, b, ta, tb) = (x[0], x[1], self.ta, self.tb);
        let only = |i: usize| wanted[i] == Wanted::TangentOnly;
        let ca = wanted[0].any().then(|| {
            if ta {
                product(b, tb, c, true, only(0))
            } else {
                product(c, false, b, !tb, only(0))
            }
        });
        let cb = wanted[1].any().then(|| {
            if tb {
                product(c, true, a, ta, only(1))
            } else {
                product(a, !ta, c, false, only(1))
            }
        });
        vec![ca, cb]
    }
}

impl<'t> Var<'t> {
    /// Matrix product of two 2-D vars.
    #[track_caller]
    pub fn matmul(self, other: Var<'t>) -> Var<'t> {
        self.record(
            MatMul {
                ta: false,
                tb: false,
            },
            &[self, other],
        )
    }
}
