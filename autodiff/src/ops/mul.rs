//! Elementwise multiplication with broadcasting.

use crate::dual::sum_lanes;
use crate::kernels::binary;
use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `a b`, elementwise.
struct Mul;

// d(a b) = da b + a db
impl<S: Scalar> Primitive<S> for Mul {
    fn name(&self) -> &'static str {
        "mul"
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&TensorOf<S>]) -> TensorOf<S> {
        binary("mul", x[0], x[1], |x, y| x * y)
    }
    fn tangent(&self, x: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
        let (a, b, r) = (x[0], x[1], y.rank());
        let ta = a
            .lanes_at(r)
            .map(|t| binary("mul", &t, &b.primal, |x, y| x * y));
        let tb = b
            .lanes_at(r)
            .map(|t| binary("mul", &a.primal, &t, |x, y| x * y));
        sum_lanes(y.shape(), [ta, tb])
    }
    fn vjp(
        &self,
        x: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        wanted: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let (a, b) = (x[0], x[1]);
        vec![
            wanted[0].any().then(|| (c * b).sum_to(a.shape())),
            wanted[1].any().then(|| (c * a).sum_to(b.shape())),
        ]
    }
}

super::binary_operator!(Mul, mul, Mul);
