//! Elementwise error function (Gaussian CDFs, GELU); values from `libm`
//! (musl's implementation, within about one ulp).

use std::f64::consts::PI;

use crate::{Dual, Primitive, Tensor, Wanted};

/// `erf(a) = 2/√π ∫₀ᵃ e^{-t²} dt`.
struct Erf;

/// The slope `2/√π e^{-a²}`.
fn slope(a: &Tensor) -> Tensor {
    let scale = 2.0 / PI.sqrt();
    a.map(|x| scale * (-x * x).exp())
}

// d erf(a) = 2/√π exp(-a^2) da
impl Primitive for Erf {
    fn name(&self) -> &'static str {
        "erf"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&Tensor]) -> Tensor {
        a[0].map(libm::erf)
    }
    fn tangent(&self, a: &[&Dual], _: &Tensor) -> Option<Tensor> {
        a[0].tangent_times(&slope(&a[0].primal))
    }
    fn vjp(&self, a: &[&Dual], _: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        let a = a[0];
        let gaussian = (-&(a * a)).exp();
        vec![Some(c * &(&gaussian * (2.0 / PI.sqrt())))]
    }
}

super::unary_methods! {
    /// Elementwise error function `erf(x) = 2/√π ∫₀ˣ e^{-t²} dt`.
    erf() => Erf
}
