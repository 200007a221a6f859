//! Elementwise division with broadcasting (IEEE semantics: x/0 is ±∞ or NaN).

use crate::dual::sum_lanes;
use crate::kernels::binary;
use crate::{Dual, Primitive, Tensor, Wanted};

/// `a / b`, elementwise.
struct Div;

// d(a / b) = da / b - (a / b) db / b
impl Primitive for Div {
    fn name(&self) -> &'static str {
        "div"
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&Tensor]) -> Tensor {
        binary("div", x[0], x[1], |x, y| x / y)
    }
    fn tangent(&self, x: &[&Dual], y: &Tensor) -> Option<Tensor> {
        let (a, b, r) = (x[0], x[1], y.rank());
        let ta = a
            .lanes_at(r)
            .map(|t| binary("div", &t, &b.primal, |x, y| x / y));
        let tb = b.lanes_at(r).map(|t| {
            let ratio = binary("div", y, &b.primal, |q, y| -q / y);
            binary("mul", &ratio, &t, |x, y| x * y)
        });
        sum_lanes(y.shape(), [ta, tb])
    }
    fn vjp(&self, x: &[&Dual], y: &Dual, c: &Dual, wanted: &[Wanted]) -> Vec<Option<Dual>> {
        let (a, b) = (x[0], x[1]);
        let cb = wanted[1]
            .any()
            .then(|| (-&(c * &(y / b))).sum_to(b.shape()));
        vec![wanted[0].any().then(|| (c / b).sum_to(a.shape())), cb]
    }
}

super::binary_operator!(Div, div, Div);
