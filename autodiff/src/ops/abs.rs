//! Elementwise absolute value.
//!
//! Its derivative is `sign(a)`: 0 at 0 (the middle of the subdifferential
//! [-1, 1], as PyTorch; JAX takes 1), and NaN at NaN.

use crate::{Dual, Primitive, Tensor, Wanted};

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else if x.is_nan() {
        f64::NAN
    } else {
        0.0
    }
}

/// `|a|`.
struct Abs;

// d |a| = sign(a) da
impl Primitive for Abs {
    fn name(&self) -> &'static str {
        "abs"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(f64::abs)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&a[0].primal.map(sign))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c * &Dual::constant(a[0].primal.map(sign)))]
    }
}

super::unary_methods! {
    /// Elementwise absolute value.
    abs() => Abs
}
