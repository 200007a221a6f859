//! Elementwise rectifier max(a, 0) (derivative 0 at 0).

use super::{elementwise, mul};
use crate::dual::Dual;

fn step(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else {
        0.0
    }
}

// d relu(a) = [a > 0] da
pub(crate) fn relu(a: &Dual) -> Dual {
    elementwise(a, "relu", |x| x.map(|x| x.max(0.0)), |x, _| x.map(step))
}

pub(crate) fn relu_vjp(a: &Dual, c: &Dual) -> Dual {
    mul(c, &Dual::constant(a.primal.map(step)))
}
