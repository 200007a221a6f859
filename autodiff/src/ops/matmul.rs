//! Matrix product of 2-D operands, each optionally transposed.

use crate::buffer;
use crate::dual::sum_lanes;
use crate::dual::DualOf;
use crate::kernels;
use crate::{Primitive, Scalar, TensorOf, VarOf, Wanted};

/// `op(A) op(B)`, where `op` transposes the operands flagged `ta`, `tb`.
struct MatMul {
    ta: bool,
    tb: bool,
}

/// The tangent `dA B + A dB` of a product whose primal has `shape`.
fn tangent<S: Scalar>(
    a: &DualOf<S>,
    ta: bool,
    b: &DualOf<S>,
    tb: bool,
    shape: &[usize],
) -> Option<TensorOf<S>> {
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
fn product<S: Scalar>(
    a: &DualOf<S>,
    ta: bool,
    b: &DualOf<S>,
    tb: bool,
    tangent_only: bool,
) -> DualOf<S> {
    if !tangent_only {
        return crate::primitive::apply(&MatMul { ta, tb }, &[a, b]);
    }
    let rows = a.shape()[if ta { 1 } else { 0 }];
    let cols = b.shape()[if tb { 0 } else { 1 }];
    let shape = [rows, cols];
    DualOf {
        primal: TensorOf::new(&shape, buffer::zeros(rows * cols)),
        tangent: tangent(a, ta, b, tb, &shape),
    }
}

// d(A B) = dA B + A dB
impl<S: Scalar> Primitive<S> for MatMul {
    fn name(&self) -> &'static str {
        "matmul"
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&TensorOf<S>]) -> TensorOf<S> {
        assert!(
            x[0].rank() == 2 && x[1].rank() == 2,
            "matmul: shapes {:?} and {:?} are not both 2-D",
            x[0].shape(),
            x[1].shape()
        );
        kernels::matmul(x[0], self.ta, x[1], self.tb)
    }
    fn tangent(&self, x: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
        tangent(x[0], self.ta, x[1], self.tb, y.shape())
    }
    // With C = op(A) op(B): Ā = C̄ op(B)ᵀ read back through op, and likewise for B̄.
    fn vjp(
        &self,
        x: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        wanted: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
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

impl<'t, S: Scalar> VarOf<'t, S> {
    /// Matrix product of two 2-D vars.
    #[track_caller]
    pub fn matmul(self, other: VarOf<'t, S>) -> VarOf<'t, S> {
        self.record(
            MatMul {
                ta: false,
                tb: false,
            },
            &[self, other],
        )
    }
}
