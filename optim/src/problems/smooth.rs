//! Functions the engine has no primitive for (sin, cos, atan2), with exact
//! value, gradient and Hessian.
//!
//! NOTE: each evaluation builds a new tape at one point `x₀`, and a solver
//! only ever asks for derivatives up to the second at that point. The
//! second-order Taylor polynomial `φ(x₀) + φ'(x₀) d + ½ φ''(x₀) d²` with
//! `d = x − detach(x)` (value 0, derivative 1) has exactly the value,
//! gradient and Hessian of `φ` at `x₀`, including H·v through the tangents.
//! Third derivatives would be wrong, and no solver here uses them.

use autodiff::Var;

/// `φ` applied elementwise, from `φ`, `φ'` and `φ''` on `f64`.
pub(crate) fn elementwise<'t>(
    x: Var<'t>,
    phi: fn(f64) -> f64,
    dphi: fn(f64) -> f64,
    d2phi: fn(f64) -> f64,
) -> Var<'t> {
    let x0 = x.value();
    let c = |h: fn(f64) -> f64| x.tape().constant(x0.map(h));
    let d = x - x.detach();
    c(phi) + c(dphi) * d + c(d2phi) * d.square() * 0.5
}

/// The angle `θ(a, b)` of Moré–Garbow–Hillstrom's helical valley, in turns:
/// `atan(b/a) / 2π`, plus ½ when `a < 0`. `a` and `b` have shape `[1]`.
pub(crate) fn helical_angle<'t>(a: Var<'t>, b: Var<'t>) -> Var<'t> {
    let (a0, b0) = (a.item(), b.item());
    let turn = 2.0 * std::f64::consts::PI;
    let theta = (b0 / a0).atan() / turn + if a0 < 0.0 { 0.5 } else { 0.0 };
    // ∂θ/∂a = −b/(2π r²), ∂θ/∂b = a/(2π r²);
    // ∂²θ/∂a² = 2ab/(2π r⁴), ∂²θ/∂b² = −2ab/(2π r⁴), ∂²θ/∂a∂b = (b² − a²)/(2π r⁴).
    let r2 = a0 * a0 + b0 * b0;
    let (ga, gb) = (-b0 / (turn * r2), a0 / (turn * r2));
    let r4 = turn * r2 * r2;
    let (haa, hbb, hab) = (
        2.0 * a0 * b0 / r4,
        -2.0 * a0 * b0 / r4,
        (b0 * b0 - a0 * a0) / r4,
    );
    let (da, db) = (a - a.detach(), b - b.detach());
    da * ga
        + db * gb
        + (da.square() * haa + da * db * (2.0 * hab) + db.square() * hbb) * 0.5
        + theta
}

#[cfg(test)]
mod tests {
    use super::*;
    use autodiff::{check, Tensor};

    #[test]
    fn taylor_stand_ins_have_the_derivatives_of_the_functions() {
        let x = [Tensor::vector(vec![0.3, -1.2, 2.5])];
        let sin = autodiff::func(|x| elementwise(x[0], f64::sin, f64::cos, |t| -t.sin()).sum());
        let v = [Tensor::vector(vec![1.0, -0.5, 0.25])];
        assert!(check::gradient(sin, &x).max_rel < 1e-6);
        assert!(check::hvp(sin, &x, &v).max_rel < 1e-5);
        for (a, b) in [(0.7, 0.4), (-0.6, 0.9), (-0.8, -0.3)] {
            let p = [Tensor::vector(vec![a, b])];
            let angle =
                autodiff::func(|x| helical_angle(x[0].slice(0, 0, 1), x[0].slice(0, 1, 2)).sum());
            assert!(check::gradient(angle, &p).max_rel < 1e-6);
            assert!(check::hvp(angle, &p, &p).max_rel < 1e-5);
            let expected = b.atan2(a) / (2.0 * std::f64::consts::PI);
            let got = autodiff::value(angle, &p).item();
            assert!(
                (got - expected)
                    .rem_euclid(1.0)
                    .min((expected - got).rem_euclid(1.0))
                    < 1e-15
            );
        }
    }
}
