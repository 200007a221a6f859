//! Elementwise multiplication with broadcasting.

use crate::dual::sum_lanes;
use crate::kernels::binary;
use crate::{Dual, Primitive, Tensor, Wanted};

/// `a b`, elementwise.
struct Mul;

// d(a b) = da b + a db
impl Primitive for Mul {
    fn name(&self) -> &'static str {
        "mul"
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&Tensor]) -> Tensor {
        binary("mul", x[0], x[1], |x, y| x * y)
    }
    fn tangent(&self, x: &[&Dual], y: &Tensor) -> Option<Tensor> {
        let (a, b, r) = (x[0], x[1], y.rank());
        let ta = a
            .lanes_at(r)
            .map(|t| binary("mul", &t, &b.primal, |x, y| x * y));
        let tb = b
            .lanes_at(r)
            .map(|t| binary("mul", &a.primal, &t, |x, y| x * y));
        sum_lanes(y.shape(), [ta, tb])
    }
    fn vjp(&self, x: &[&Dual], _: &Dual, c: &Dual, wanted: &[Wanted]) -> Vec<Option<Dual>> {
        let (a, b) = (x[0], x[1]);
        vec![
            wanted[0].any().then(|| (c * b).sum_to(a.shape())),
            wanted[1].any().then(|| (c * a).sum_to(b.shape())),
        ]
    }
}

super::binary_operator!(Mul, mul, Mul);
