//! Checks of every derivative the engine computes.
//!
//! [`all`] is the entry point: one call on a function (or on a primitive of
//! your own, through a function that applies it) verifies every mode against
//! a truth independent of that mode — finite differences with the step and
//! the tolerance taken from an ε-sweep, exact identities, and full sweeps
//! for the tangent-only and batched paths — and reports per mode the worst
//! component and its error.
//!
//! The single-mode functions below return the figures of one comparison at
//! the default step — the largest absolute difference and the same relative
//! to the size of the exact result — for a user's own tests, tables and
//! plots. Their thresholds are the caller's to choose; they compare with
//! fixed steps and cannot tell a rule that is wrong by 1e-6 from rounding.
//!
//! ```
//! use autodiff::{check, Tensor};
//! let f = autodiff::func(|x| x[0].tanh().square().sum());
//! let x = [Tensor::randn(&[3, 2], 0)];
//! assert!(check::gradient(f, &x).max_rel < 1e-6);
//! assert!(check::hvp(f, &x, &[Tensor::randn(&[3, 2], 1)]).max_rel < 1e-5);
//! ```

mod all;

pub use all::{all, Mode, ModeCheck, Report};

use crate::functional::{
    flatten, hvp as exact_hvp, jvp as exact_jvp, unflatten, value, value_and_grad, vjp as exact_vjp,
};
use crate::scalar::Scalar;
use crate::tensor::TensorOf;
use crate::var::VarOf;

/// How far an exact derivative is from its finite-difference (or identity) counterpart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Discrepancy {
    /// Largest absolute difference over all elements.
    pub max_abs: f64,
    /// `max_abs` divided by the largest absolute value of the exact result
    /// (or 1 when that is smaller than 1, so values near zero are compared absolutely).
    pub max_rel: f64,
}

impl Discrepancy {
    /// Compares two flat vectors: `exact` against an approximation (in
    /// `f64`, whatever their precision).
    pub fn between<S: Scalar>(exact: &[S], approx: &[S]) -> Discrepancy {
        assert_eq!(exact.len(), approx.len(), "Discrepancy: lengths differ");
        let max_abs = exact
            .iter()
            .zip(approx)
            .fold(0.0_f64, |m, (a, b)| m.max((a.as_f64() - b.as_f64()).abs()));
        let scale = exact.iter().fold(1.0_f64, |m, a| m.max(a.as_f64().abs()));
        Discrepancy {
            max_abs,
            max_rel: max_abs / scale,
        }
    }
}

/// The default central-difference step for a point: `cbrt(eps) · max(1, ‖x‖∞)`,
/// which balances truncation error O(h²) against rounding error O(eps/h)
/// (`eps` of the point's type: 6e-6 for `f64`, 5e-3 for `f32`).
pub fn default_step<S: Scalar>(x: &[S]) -> S {
    S::epsilon().cbrt() * x.iter().fold(S::one(), |m, v| m.max(v.abs()))
}

fn along<S: Scalar>(x: &[S], v: &[S], h: S) -> Vec<S> {
    x.iter().zip(v).map(|(&a, &b)| a + h * b).collect()
}

/// The gradient against central differences, one coordinate at a time with
/// step `cbrt(eps) · max(1, |x_i|)`.
pub fn gradient<S: Scalar, F>(f: F, xs: &[TensorOf<S>]) -> Discrepancy
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let (_, g) = value_and_grad(&f, xs);
    let x = flatten(xs);
    let fd: Vec<S> = (0..x.len())
        .map(|i| {
            let h = S::epsilon().cbrt() * x[i].abs().max(S::one());
            let mut plus = x.clone();
            let mut minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            let fp = value(&f, &unflatten(&plus, xs)).item();
            let fm = value(&f, &unflatten(&minus, xs)).item();
            (fp - fm) / (S::of(2.0) * h)
        })
        .collect();
    Discrepancy::between(&flatten(&g), &fd)
}

/// The jvp `J t` against the central difference `(f(x + h t) - f(x - h t)) / 2h`.
pub fn jvp<S: Scalar, F>(f: F, xs: &[TensorOf<S>], tangents: &[TensorOf<S>]) -> Discrepancy
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let (_, exact) = exact_jvp(&f, xs, tangents);
    let (x, t) = (flatten(xs), flatten(tangents));
    let h = default_step(&x) / t.iter().fold(S::one(), |m, v| m.max(v.abs()));
    let fp = value(&f, &unflatten(&along(&x, &t, h), xs));
    let fm = value(&f, &unflatten(&along(&x, &t, -h), xs));
    let fd: Vec<S> = fp
        .data()
        .iter()
        .zip(fm.data())
        .map(|(&a, &b)| (a - b) / (S::of(2.0) * h))
        .collect();
    Discrepancy::between(exact.data(), &fd)
}

/// The vjp by the inner-product identity `⟨vjp(c), t⟩ = ⟨c, jvp(t)⟩`, which
/// holds to round-off for exact derivatives (no finite differences involved).
pub fn vjp<S: Scalar, F>(
    f: F,
    xs: &[TensorOf<S>],
    tangents: &[TensorOf<S>],
    cotangent: &TensorOf<S>,
) -> Discrepancy
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let (_, pulled) = exact_vjp(&f, xs, cotangent);
    let (_, pushed) = exact_jvp(&f, xs, tangents);
    let lhs: S = flatten(&pulled)
        .iter()
        .zip(flatten(tangents))
        .map(|(&a, b)| a * b)
        .sum();
    let rhs = cotangent.dot(&pushed);
    Discrepancy::between(&[lhs], &[rhs])
}

/// The gradient's central difference along `v`: `(∇f(x + h v) - ∇f(x - h v)) / 2h`.
pub fn fd_hvp<S: Scalar, F>(f: F, xs: &[TensorOf<S>], vs: &[TensorOf<S>], h: S) -> Vec<S>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let (x, v) = (flatten(xs), flatten(vs));
    let (_, gp) = value_and_grad(&f, &unflatten(&along(&x, &v, h), xs));
    let (_, gm) = value_and_grad(&f, &unflatten(&along(&x, &v, -h), xs));
    flatten(&gp)
        .iter()
        .zip(flatten(&gm))
        .map(|(&a, b)| (a - b) / (S::of(2.0) * h))
        .collect()
}

/// The exact `H·v` against central differences of the gradient, with step
/// `cbrt(eps) · max(1, ‖x‖∞) / max(1, ‖v‖∞)`.
pub fn hvp<S: Scalar, F>(f: F, xs: &[TensorOf<S>], vs: &[TensorOf<S>]) -> Discrepancy
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let exact = exact_hvp(&f, xs, vs);
    let v = flatten(vs);
    let h = default_step(&flatten(xs)) / v.iter().fold(S::one(), |m, a| m.max(a.abs()));
    Discrepancy::between(&flatten(&exact.hvp), &fd_hvp(&f, xs, vs, h))
}

/// Symmetry of the Hessian: `⟨u, H v⟩` against `⟨H u, v⟩` (exact products on both sides).
pub fn symmetry<S: Scalar, F>(
    f: F,
    xs: &[TensorOf<S>],
    us: &[TensorOf<S>],
    vs: &[TensorOf<S>],
) -> Discrepancy
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let hv = flatten(&exact_hvp(&f, xs, vs).hvp);
    let hu = flatten(&exact_hvp(&f, xs, us).hvp);
    let lhs: S = flatten(us).iter().zip(&hv).map(|(&a, &b)| a * b).sum();
    let rhs: S = hu.iter().zip(flatten(vs)).map(|(&a, b)| a * b).sum();
    Discrepancy::between(&[lhs], &[rhs])
}

/// One row of an ε-sweep: the finite-difference H·v error at one step size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepError {
    /// The step h.
    pub step: f64,
    /// Error of the one-sided difference `(∇f(x + h v) - ∇f(x)) / h`.
    pub forward: Discrepancy,
    /// Error of the central difference `(∇f(x + h v) - ∇f(x - h v)) / 2h`.
    pub central: Discrepancy,
}

/// Finite-difference H·v errors against the exact product for each step in
/// `steps`: the classic V-shaped curve, truncation error falling with h and
/// rounding error rising as h shrinks.
pub fn hvp_step_sweep<S: Scalar, F>(
    f: F,
    xs: &[TensorOf<S>],
    vs: &[TensorOf<S>],
    steps: &[f64],
) -> Vec<StepError>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let exact = flatten(&exact_hvp(&f, xs, vs).hvp);
    let (x, v) = (flatten(xs), flatten(vs));
    let g0 = flatten(&value_and_grad(&f, xs).1);
    steps
        .iter()
        .map(|&step| {
            let h = S::of(step);
            let (_, gp) = value_and_grad(&f, &unflatten(&along(&x, &v, h), xs));
            let fwd: Vec<S> = flatten(&gp)
                .iter()
                .zip(&g0)
                .map(|(&a, &b)| (a - b) / h)
                .collect();
            StepError {
                step,
                forward: Discrepancy::between(&exact, &fwd),
                central: Discrepancy::between(&exact, &fd_hvp(&f, xs, vs, h)),
            }
        })
        .collect()
}

/// Powers of ten from `10^hi` down to `10^lo`: the usual steps for [`hvp_step_sweep`].
pub fn log_steps(hi: i32, lo: i32) -> Vec<f64> {
    (lo..=hi).rev().map(|e| 10f64.powi(e)).collect()
}
