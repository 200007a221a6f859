//! Elementwise cosine.

use super::{elementwise, mul, neg, sin};
use crate::dual::Dual;

// d cos(a) = -sin(a) da
pub(crate) fn cos(a: &Dual) -> Dual {
    elementwise(a, "cos", |x| x.map(f64::cos), |x, _| x.map(|v| -v.sin()))
}

pub(crate) fn cos_vjp(a: &Dual, c: &Dual) -> Dual {
    neg(&mul(c, &sin(a)))
}
