//! Elementwise power with a constant exponent (IEEE semantics for `powf`).
//!
//! The slope `p a^(p-1)` is 0 for `p = 0` (where `a^(p-1)` may be ∞ at
//! `a = 0`, and 0·∞ would be NaN): every constant exponent has exact first
//! and second derivatives at 0, as JAX's `integer_pow`.

use crate::{Dual, Primitive, Tensor, Wanted};

/// `a^p` for a constant `p`.
struct Pow(f64);

// d a^p = p a^(p-1) da
impl Primitive for Pow {
    fn name(&self) -> &'static str {
        "pow"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        let p = self.0;
        a[0].map(|x| x.powf(p))
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        let p = self.0;
        if p == 0.0 {
            return a[0].tangent_times(&Tensor::scalar(0.0));
        }
        a[0].tangent_times(&a[0].primal.map(|x| p * x.powf(p - 1.0)))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        let p = self.0;
        if p == 0.0 {
            return vec![Some(c * 0.0)];
        }
        vec![Some(c * &(&a[0].powf(p - 1.0) * p))]
    }
}

super::unary_methods! {
    /// Elementwise power with a constant exponent.
    powf(p: f64) => Pow(p)
}
