//! Elementwise power with a constant exponent (IEEE semantics for `powf`).
//!
//! The slope `p a^(p-1)` is 0 for `p = 0` (where `a^(p-1)` may be ∞ at
//! `a = 0`, and 0·∞ would be NaN): every constant exponent has exact first
//! and second derivatives at 0, as JAX's `integer_pow`.

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `a^p` for a constant `p`.
struct Pow(f64);

// d a^p = p a^(p-1) da
impl<S: Scalar> Primitive<S> for Pow {
    fn name(&self) -> &'static str {
        "pow"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        let p = S::of(self.0);
        a[0].map(|x| x.powf(p))
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        let p = S::of(self.0);
        if p == S::zero() {
            return a[0].tangent_times(&TensorOf::scalar(S::zero()));
        }
        a[0].tangent_times(&a[0].primal.map(|x| p * x.powf(p - S::one())))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let p = self.0;
        if p == 0.0 {
            return vec![Some(c * S::zero())];
        }
        vec![Some(c * &(&a[0].powf(p - 1.0) * S::of(p)))]
    }
}

super::unary_methods! {
    /// Elementwise power with a constant exponent.
    powf(p: f64) => Pow(p)
}
