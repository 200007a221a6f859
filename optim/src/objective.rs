//! Objectives: value, gradient and curvature-vector products of a function of a flat vector.
//!
//! A solver sees only the [`Objective`] trait. Two implementations cover the
//! usual cases: [`AutodiffObjective`] turns any closure over an
//! [`autodiff::Var`] into an objective in one line, with every derivative
//! (gradient, exact H·v, Hessian) from the engine; [`Analytic`] takes
//! hand-written derivatives. [`Counted`] wraps either and counts evaluations.
//!
//! ```
//! use optim::objective::{AutodiffObjective, Objective};
//! // f(x) = Σ (x_i - 1)², gradient 2(x - 1), Hessian 2I.
//! let f = AutodiffObjective::new(3, |x| (x - 1.0).square().sum());
//! let (value, grad) = f.value_grad(&[0.0, 1.0, 3.0]);
//! assert_eq!(value, 5.0);
//! assert_eq!(grad, vec![-2.0, 0.0, 4.0]);
//! assert_eq!(f.hvp(&[0.0, 1.0, 3.0], &[1.0, 0.0, -1.0]), vec![2.0, 0.0, -2.0]);
//! ```

use std::cell::Cell;
use std::marker::PhantomData;

use autodiff::{Scalar, TensorOf, Var, VarOf};

use crate::linop::{DenseMatrix, LinearOperator};

/// A twice-differentiable scalar function of a vector of length [`dim`](Objective::dim).
///
/// Implementations return NaN or ∞ rather than panic where the function is
/// undefined; solvers turn that into a status.
pub trait Objective {
    /// The number of variables `n`.
    fn dim(&self) -> usize;

    /// `f(x)`.
    fn value(&self, x: &[f64]) -> f64;

    /// `f(x)` and `∇f(x)`.
    fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>);

    /// `∇f(x)`, for callers that already know `f(x)`.
    fn grad(&self, x: &[f64]) -> Vec<f64> {
        self.value_grad(x).1
    }

    /// The Hessian-vector product `∇²f(x) v`.
    fn hvp(&self, x: &[f64], v: &[f64]) -> Vec<f64>;

    /// The dense Hessian `∇²f(x)`. The default builds it column by column
    /// from `n` Hessian-vector products.
    fn hessian(&self, x: &[f64]) -> DenseMatrix {
        DenseMatrix::from_operator(&HessianAt::new(self, x))
    }
}

impl<O: Objective + ?Sized> Objective for &O {
    fn dim(&self) -> usize {
        (**self).dim()
    }
    fn value(&self, x: &[f64]) -> f64 {
        (**self).value(x)
    }
    fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>) {
        (**self).value_grad(x)
    }
    fn grad(&self, x: &[f64]) -> Vec<f64> {
        (**self).grad(x)
    }
    fn hvp(&self, x: &[f64], v: &[f64]) -> Vec<f64> {
        (**self).hvp(x, v)
    }
    fn hessian(&self, x: &[f64]) -> DenseMatrix {
        (**self).hessian(x)
    }
}

/// The Hessian of any [`Objective`] at a fixed point, as a linear operator:
/// each `apply` is one (counted) `Objective::hvp`. For a closure over
/// tensors, `curvature::HessianOperator` instead records the point once
/// with `autodiff::linearize` and repeats only the tangent work.
pub struct HessianAt<'a, O: ?Sized> {
    objective: &'a O,
    x: &'a [f64],
}

impl<'a, O: Objective + ?Sized> HessianAt<'a, O> {
    /// `∇²f(x)` of `objective`.
    pub fn new(objective: &'a O, x: &'a [f64]) -> Self {
        HessianAt { objective, x }
    }
}

impl<O: Objective + ?Sized> LinearOperator for HessianAt<'_, O> {
    fn dim(&self) -> usize {
        self.objective.dim()
    }
    fn apply(&self, v: &[f64]) -> Vec<f64> {
        self.objective.hvp(self.x, v)
    }
}

/// An objective whose derivatives all come from the autodiff engine: the
/// closure receives `x` as one [`Var`] of shape `[n]` and returns a scalar.
///
/// H·v is exact (forward-over-reverse) and costs a few gradients; the
/// Hessian is built from batched H·V sweeps.
///
/// The closure may compute in `f32` ([`AutodiffObjective::in_precision`]):
/// the solver still sees `f64` — each point is rounded to `f32` on the way
/// in and every value, gradient and product is widened (exactly) on the way
/// out, so the objective is an `f32` function read in `f64`, with `f32`'s
/// round-off (relative `~1e-7`) in every answer.
///
/// ```
/// use optim::objective::{AutodiffObjective, Objective};
/// let f = AutodiffObjective::<_, f32>::in_precision(2, |x| (x - 0.1).square().sum());
/// let (value, grad) = f.value_grad(&[0.0, 1.0]);
/// assert!((value - 0.82).abs() < 1e-6 && (grad[1] - 1.8).abs() < 1e-6);
/// ```
pub struct AutodiffObjective<F, S: Scalar = f64> {
    n: usize,
    f: F,
    precision: PhantomData<S>,
}

impl<F> AutodiffObjective<F>
where
    F: for<'t> Fn(Var<'t>) -> Var<'t>,
{
    /// The objective `x ↦ f(x)` on vectors of length `n`.
    pub fn new(n: usize, f: F) -> Self {
        AutodiffObjective::in_precision(n, f)
    }
}

impl<F, S: Scalar> AutodiffObjective<F, S>
where
    F: for<'t> Fn(VarOf<'t, S>) -> VarOf<'t, S>,
{
    /// The objective `x ↦ f(x)` on vectors of length `n`, evaluated in `S`.
    pub fn in_precision(n: usize, f: F) -> Self {
        AutodiffObjective {
            n,
            f,
            precision: PhantomData,
        }
    }

    fn point(&self, x: &[f64]) -> [TensorOf<S>; 1] {
        assert_eq!(
            x.len(),
            self.n,
            "AutodiffObjective: point of length {} for dimension {}",
            x.len(),
            self.n
        );
        [rounded(x)]
    }
}

/// `x` as a vector tensor of `S` (rounded to nearest for `f32`).
fn rounded<S: Scalar>(x: &[f64]) -> TensorOf<S> {
    TensorOf::vector(x.iter().map(|&e| S::of(e)).collect())
}

/// A tensor's values, widened to `f64` (exact).
fn widened<S: Scalar>(t: TensorOf<S>) -> Vec<f64> {
    t.into_vec().into_iter().map(Scalar::as_f64).collect()
}

impl<F, S: Scalar> Objective for AutodiffObjective<F, S>
where
    F: for<'t> Fn(VarOf<'t, S>) -> VarOf<'t, S>,
{
    fn dim(&self) -> usize {
        self.n
    }
    fn value(&self, x: &[f64]) -> f64 {
        autodiff::value(|v| (self.f)(v[0]), &self.point(x))
            .item()
            .as_f64()
    }
    fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>) {
        let (value, mut grads) = autodiff::value_and_grad(|v| (self.f)(v[0]), &self.point(x));
        (value.as_f64(), widened(grads.swap_remove(0)))
    }
    fn hvp(&self, x: &[f64], v: &[f64]) -> Vec<f64> {
        let dir = [rounded(v)];
        let mut h = autodiff::hvp_only(|v| (self.f)(v[0]), &self.point(x), &dir);
        widened(h.swap_remove(0))
    }
    fn hessian(&self, x: &[f64]) -> DenseMatrix {
        let h = autodiff::hessian(|v| (self.f)(v[0]), &self.point(x));
        DenseMatrix::new(self.n, widened(h)).expect("the engine returns an n × n Hessian")
    }
}

type ScalarFn = Box<dyn Fn(&[f64]) -> f64>;
type VectorFn = Box<dyn Fn(&[f64]) -> Vec<f64>>;
type ProductFn = Box<dyn Fn(&[f64], &[f64]) -> Vec<f64>>;

/// An objective with hand-written derivatives.
///
/// Without [`with_hvp`](Analytic::with_hvp), H·v is approximated by a
/// central difference of the gradient (`O(h²)` accurate, two gradients);
/// without [`with_hessian`](Analytic::with_hessian), the Hessian is built
/// from `n` H·v.
///
/// ```
/// use optim::objective::{Analytic, Objective};
/// let f = Analytic::new(2, |x| x[0] * x[0] + 3.0 * x[1] * x[1], |x| vec![2.0 * x[0], 6.0 * x[1]])
///     .with_hvp(|_, v| vec![2.0 * v[0], 6.0 * v[1]]);
/// assert_eq!(f.hvp(&[1.0, 1.0], &[1.0, 1.0]), vec![2.0, 6.0]);
/// ```
pub struct Analytic {
    n: usize,
    value: ScalarFn,
    grad: VectorFn,
    hvp: Option<ProductFn>,
    hessian: Option<VectorFn>,
}

impl Analytic {
    /// An objective on vectors of length `n` from its value and gradient.
    pub fn new(
        n: usize,
        value: impl Fn(&[f64]) -> f64 + 'static,
        grad: impl Fn(&[f64]) -> Vec<f64> + 'static,
    ) -> Self {
        Analytic {
            n,
            value: Box::new(value),
            grad: Box::new(grad),
            hvp: None,
            hessian: None,
        }
    }

    /// Supplies the exact Hessian-vector product `(x, v) ↦ ∇²f(x) v`.
    pub fn with_hvp(mut self, hvp: impl Fn(&[f64], &[f64]) -> Vec<f64> + 'static) -> Self {
        self.hvp = Some(Box::new(hvp));
        self
    }

    /// A user vector of the wrong length reads as NaN, which solvers report.
    fn of_length_n(&self, v: Vec<f64>) -> Vec<f64> {
        if v.len() == self.n {
            v
        } else {
            vec![f64::NAN; self.n]
        }
    }

    /// Supplies the exact Hessian `x ↦ ∇²f(x)`, row-major `n × n`.
    pub fn with_hessian(mut self, hessian: impl Fn(&[f64]) -> Vec<f64> + 'static) -> Self {
        self.hessian = Some(Box::new(hessian));
        self
    }
}

impl Objective for Analytic {
    fn dim(&self) -> usize {
        self.n
    }
    fn value(&self, x: &[f64]) -> f64 {
        (self.value)(x)
    }
    fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>) {
        ((self.value)(x), self.grad(x))
    }
    fn grad(&self, x: &[f64]) -> Vec<f64> {
        self.of_length_n((self.grad)(x))
    }
    fn hvp(&self, x: &[f64], v: &[f64]) -> Vec<f64> {
        if let Some(hvp) = &self.hvp {
            return self.of_length_n(hvp(x, v));
        }
        // NOTE: central difference of the gradient along v, with the step
        // scaled so that x ± h v moves each coordinate by about cbrt(eps)·(1 + |x|).
        let v_norm = crate::linop::norm_inf(v);
        if v_norm == 0.0 {
            return vec![0.0; self.n];
        }
        let h = f64::EPSILON.cbrt() * (1.0 + crate::linop::norm_inf(x)) / v_norm;
        let shifted = |s: f64| -> Vec<f64> {
            let xs: Vec<f64> = x.iter().zip(v).map(|(xi, vi)| xi + s * h * vi).collect();
            self.grad(&xs)
        };
        let (plus, minus) = (shifted(1.0), shifted(-1.0));
        plus.iter()
            .zip(&minus)
            .map(|(p, m)| (p - m) / (2.0 * h))
            .collect()
    }
    fn hessian(&self, x: &[f64]) -> DenseMatrix {
        match &self.hessian {
            // A Hessian of the wrong size reads as NaN, which solvers report.
            Some(hessian) => DenseMatrix::new(self.n, hessian(x))
                .unwrap_or_else(|| DenseMatrix::diagonal(&vec![f64::NAN; self.n])),
            None => DenseMatrix::from_operator(&HessianAt::new(self, x)),
        }
    }
}

/// How many times each part of an objective was evaluated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Function values (alone or with the gradient).
    pub f: usize,
    /// Gradients.
    pub grad: usize,
    /// Hessian-vector products.
    pub hvp: usize,
    /// Dense Hessians.
    pub hessian: usize,
}

/// An objective that counts its evaluations (see [`Counts`]).
///
/// ```
/// use optim::objective::{AutodiffObjective, Counted, Objective};
/// let f = Counted::new(AutodiffObjective::new(2, |x| x.square().sum()));
/// f.value_grad(&[1.0, 2.0]);
/// f.hvp(&[1.0, 2.0], &[0.0, 1.0]);
/// assert_eq!((f.counts().f, f.counts().grad, f.counts().hvp), (1, 1, 1));
/// ```
pub struct Counted<O> {
    inner: O,
    counts: Cell<Counts>,
}

impl<O: Objective> Counted<O> {
    /// Wraps `inner` with all counts at zero.
    pub fn new(inner: O) -> Self {
        Counted {
            inner,
            counts: Cell::new(Counts::default()),
        }
    }

    /// The evaluations so far.
    pub fn counts(&self) -> Counts {
        self.counts.get()
    }

    fn bump(&self, add: impl FnOnce(&mut Counts)) {
        let mut c = self.counts.get();
        add(&mut c);
        self.counts.set(c);
    }
}

impl<O: Objective> Objective for Counted<O> {
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn value(&self, x: &[f64]) -> f64 {
        self.bump(|c| c.f += 1);
        self.inner.value(x)
    }
    fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>) {
        self.bump(|c| {
            c.f += 1;
            c.grad += 1;
        });
        self.inner.value_grad(x)
    }
    fn grad(&self, x: &[f64]) -> Vec<f64> {
        self.bump(|c| c.grad += 1);
        self.inner.grad(x)
    }
    fn hvp(&self, x: &[f64], v: &[f64]) -> Vec<f64> {
        self.bump(|c| c.hvp += 1);
        self.inner.hvp(x, v)
    }
    fn hessian(&self, x: &[f64]) -> DenseMatrix {
        self.bump(|c| c.hessian += 1);
        self.inner.hessian(x)
    }
}

/// A point with its value and gradient, as solvers and line searches pass them around.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The point.
    pub x: Vec<f64>,
    /// `f(x)`.
    pub f: f64,
    /// `∇f(x)`.
    pub g: Vec<f64>,
}

impl Point {
    /// Evaluates `objective` (value and gradient) at `x`.
    pub fn at(objective: &(impl Objective + ?Sized), x: Vec<f64>) -> Point {
        let (f, g) = objective.value_grad(&x);
        Point { x, f, g }
    }

    /// Whether the value and every gradient entry are finite.
    pub fn is_finite(&self) -> bool {
        self.f.is_finite() && self.g.iter().all(|v| v.is_finite())
    }
}
