//! Elementwise error function (Gaussian CDFs, GELU); values from `libm`
//! (musl's implementation, within about one ulp).

use std::f64::consts::PI;

use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// `erf(a) = 2/√π ∫₀ᵃ e^{-t²} dt`.
struct Erf;

/// The slope `2/√π e^{-a²}`.
fn slope<S: Scalar>(a: &TensorOf<S>) -> TensorOf<S> {
    let scale = S::of(2.0 / PI.sqrt());
    a.map(|x| scale * (-x * x).exp())
}

// d erf(a) = 2/√π exp(-a^2) da
impl<S: Scalar> Primitive<S> for Erf {
    fn name(&self) -> &'static str {
        "erf"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        a[0].map(|x| S::of(libm::erf(x.as_f64())))
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent_times(&slope(&a[0].primal))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let a = a[0];
        let gaussian = (-&(a * a)).exp();
        vec![Some(c * &(&gaussian * S::of(2.0 / PI.sqrt())))]
    }
}

super::unary_methods! {
    /// Elementwise error function `erf(x) = 2/√π ∫₀ˣ e^{-t²} dt`.
    erf() => Erf
}
