//! Elementwise division with broadcasting (IEEE semantics: x/0 is ±∞ or NaN).

use crate::dual::sum_lanes;
use crate::kernels::binary;
use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `a / b`, elementwise.
struct Div;

// d(a / b) = da / b - (a / b) db / b
impl<S: Scalar> Primitive<S> for Div {
    fn name(&self) -> &'static str {
        "div"
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&TensorOf<S>]) -> TensorOf<S> {
        binary("div", x[0], x[1], |x, y| x / y)
    }
    fn tangent(&self, x: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
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
    fn vjp(
        &self,
        x: &[&DualOf<S>],
        y: &DualOf<S>,
        c: &DualOf<S>,
        wanted: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let (a, b) = (x[0], x[1]);
        let cb = wanted[1]
            .any()
            .then(|| (-&(c * &(y / b))).sum_to(b.shape()));
        vec![wanted[0].any().then(|| (c / b).sum_to(a.shape())), cb]
    }
}

super::binary_operator!(Div, div, Div);
