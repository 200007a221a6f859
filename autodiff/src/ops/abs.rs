//! Elementwise absolute value (derivative 0 at 0).

use super::{elementwise, mul};
use crate::dual::Dual;

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

// d |a| = sign(a) da
pub(crate) fn abs(a: &Dual) -> Dual {
    elementwise(a, "abs", |x| x.map(f64::abs), |x, _| x.map(sign))
}

pub(crate) fn abs_vjp(a: &Dual, c: &Dual) -> Dual {
    mul(c, &Dual::constant(a.primal.map(sign)))
}
