//! Line searches: given a point, a descent direction `p` and a first trial
//! step, find a step `α` that decreases `f(x + α p)` enough.
//!
//! The accepted point comes back with its value and gradient, so the solver
//! never re-evaluates it. Armijo backtracking needs only values and asks for
//! the gradient once; the Wolfe searches need both at every trial, except
//! when the direction's curvature `pᵀ∇²f p` is known (Newton's methods):
//! then the strong Wolfe search interpolates a rejected trial from its value
//! and skips its gradient. A trial where `f` or `∇f` is not finite is treated
//! as a step that went too far, so a search can back away from an overflow.

mod armijo;
mod more_thuente;
mod wolfe;

pub use armijo::Armijo;
pub use more_thuente::MoreThuente;
pub use wolfe::StrongWolfe;

use crate::linop::{dot, norm_inf};
use crate::objective::{Objective, Point};
use crate::settings::SettingsError;

/// Why a line search gave up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineSearchError {
    /// The direction is not a descent direction (`∇fᵀp ≥ 0`, or not finite).
    NotDescent,
    /// No step satisfying the conditions was found within the evaluation
    /// budget or before the steps (or the bracket) became too small to move
    /// `x` (usually roundoff near a minimiser, or a wrong gradient).
    NoProgress,
}

/// An unsuccessful search: the reason, and the best trial point found that
/// decreased `f` (if any).
#[derive(Clone, Debug)]
pub struct LineSearchFailure {
    /// Why the search stopped.
    pub error: LineSearchError,
    /// The trial with the lowest finite value below `f(x)`, if there was one.
    pub best: Option<Point>,
}

/// An accepted step.
#[derive(Clone, Debug)]
pub struct Step {
    /// The step length `α`.
    pub alpha: f64,
    /// `x + α p` with its value and gradient.
    pub point: Point,
}

/// A line search along a direction.
pub trait LineSearch {
    /// Searches along `p` from `start`, trying `alpha0` first.
    fn search(
        &self,
        objective: &dyn Objective,
        start: &Point,
        p: &[f64],
        alpha0: f64,
    ) -> Result<Step, LineSearchFailure>;

    /// Searches along `p` knowing `φ''(0) = pᵀ∇²f(x) p`, as a Newton-type
    /// method does. A search may use it to interpolate a trial it rejects
    /// from the trial's value alone; by default it is not used.
    fn search_with_curvature(
        &self,
        objective: &dyn Objective,
        start: &Point,
        p: &[f64],
        alpha0: f64,
        curvature: f64,
    ) -> Result<Step, LineSearchFailure> {
        let _ = curvature;
        self.search(objective, start, p, alpha0)
    }
}

/// The line searches a solver can be configured with.
#[derive(Clone, Debug)]
pub enum LineSearchMethod {
    /// Backtracking until sufficient decrease.
    Armijo(Armijo),
    /// Strong Wolfe conditions, with bracketing and zoom.
    StrongWolfe(StrongWolfe),
    /// Strong Wolfe conditions, by Moré and Thuente's interval updates.
    MoreThuente(MoreThuente),
}

impl LineSearchMethod {
    /// Checks the chosen search's settings.
    ///
    /// ```
    /// use optim::line_search::{LineSearchMethod, StrongWolfe};
    /// let wolfe = StrongWolfe { c1: 0.5, c2: 0.1, ..StrongWolfe::default() };
    /// let err = LineSearchMethod::StrongWolfe(wolfe).validate().unwrap_err();
    /// assert_eq!(err.to_string(), "StrongWolfe::c2 must be in (0.5, 1), got 0.1");
    /// ```
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        match self {
            LineSearchMethod::Armijo(s) => s.validate(),
            LineSearchMethod::StrongWolfe(s) => s.validate(),
            LineSearchMethod::MoreThuente(s) => s.validate(),
        }
    }
}

impl LineSearch for LineSearchMethod {
    fn search(
        &self,
        objective: &dyn Objective,
        start: &Point,
        p: &[f64],
        alpha0: f64,
    ) -> Result<Step, LineSearchFailure> {
        match self {
            LineSearchMethod::Armijo(s) => s.search(objective, start, p, alpha0),
            LineSearchMethod::StrongWolfe(s) => s.search(objective, start, p, alpha0),
            LineSearchMethod::MoreThuente(s) => s.search(objective, start, p, alpha0),
        }
    }

    fn search_with_curvature(
        &self,
        objective: &dyn Objective,
        start: &Point,
        p: &[f64],
        alpha0: f64,
        curvature: f64,
    ) -> Result<Step, LineSearchFailure> {
        match self {
            LineSearchMethod::StrongWolfe(s) => {
                s.search_with_curvature(objective, start, p, alpha0, curvature)
            }
            _ => self.search(objective, start, p, alpha0),
        }
    }
}

/// `x + α p`.
pub(crate) fn step_from(x: &[f64], alpha: f64, p: &[f64]) -> Vec<f64> {
    x.iter().zip(p).map(|(xi, pi)| xi + alpha * pi).collect()
}

/// `φ(α) = f(x + α p)` and `φ'(α) = ∇f(x + α p)ᵀ p`.
struct Line<'a> {
    objective: &'a dyn Objective,
    start: &'a Point,
    p: &'a [f64],
}

/// A trial step: `α`, `φ(α)`, `φ'(α)` and the point. Until the gradient is
/// evaluated, `φ'(α)` is NaN and the point's gradient is empty.
struct Trial {
    alpha: f64,
    phi: f64,
    dphi: f64,
    point: Point,
}

/// `α`, `φ(α)` and `φ'(α)` at one step, without the point.
#[derive(Clone, Copy, Debug)]
struct Sample {
    alpha: f64,
    phi: f64,
    dphi: f64,
}

impl Trial {
    fn sample(&self) -> Sample {
        Sample {
            alpha: self.alpha,
            phi: self.phi,
            dphi: self.dphi,
        }
    }
}

/// The minimiser of the quadratic through `φ(a)`, `φ'(a)` and `φ(b)`.
fn quadratic_minimiser(a: &Sample, b: &Sample) -> f64 {
    let h = b.alpha - a.alpha;
    a.alpha - a.dphi * h * h / (2.0 * (b.phi - a.phi - a.dphi * h))
}

/// The minimiser of the cubic that interpolates `φ` and `φ'` at `a` and `b`
/// (Nocedal & Wright (3.59)); `None` when the cubic has no minimiser.
fn cubic_minimiser(a: &Sample, b: &Sample) -> Option<f64> {
    let d1 = a.dphi + b.dphi - 3.0 * (a.phi - b.phi) / (a.alpha - b.alpha);
    let disc = d1 * d1 - a.dphi * b.dphi;
    // NOTE: also rejects a NaN discriminant.
    if disc.is_nan() || disc < 0.0 {
        return None;
    }
    let d2 = (b.alpha - a.alpha).signum() * disc.sqrt();
    let t = b.alpha - (b.alpha - a.alpha) * (b.dphi + d2 - d1) / (b.dphi - a.dphi + 2.0 * d2);
    t.is_finite().then_some(t)
}

/// The size of a change in a value `f` that rounding alone can produce.
pub(crate) fn round_off(f: f64) -> f64 {
    1e3 * f64::EPSILON * f.abs()
}

/// Whether `φ(b) < φ(a)`. When the two values differ by no more than
/// `noise`, rounding decides their order, so the difference is taken from
/// the slopes instead, by the trapezoidal rule `(b − a)(φ'(a) + φ'(b))/2`
/// (exact for a quadratic).
fn lower(a: &Sample, b: &Sample, noise: f64) -> bool {
    let slopes = a.dphi + b.dphi;
    if (b.phi - a.phi).abs() <= noise && slopes.is_finite() {
        (b.alpha - a.alpha) * slopes < 0.0
    } else {
        b.phi < a.phi
    }
}

/// Armijo's condition `φ(α) ≤ φ(0) + c1 α φ'(0)`, or — when the change in φ
/// is at round-off level and cannot be resolved — its derivative form
/// `φ'(α) ≤ (2c1 − 1) φ'(0)` (the approximate Wolfe condition of Hager &
/// Zhang 2005), which is exact for a quadratic and lets a search near the
/// minimiser still accept the step that reduces the gradient.
fn sufficient_decrease(c1: f64, start: &Point, slope: f64, t: &Sample) -> bool {
    let armijo = t.phi <= start.f + c1 * t.alpha * slope;
    let unresolved = t.phi <= start.f + round_off(start.f);
    armijo || (unresolved && t.dphi <= (2.0 * c1 - 1.0) * slope)
}

impl Line<'_> {
    /// The line from `start` along `p`, with `φ'(0)`, checked to be a finite
    /// negative slope.
    fn along<'a>(
        objective: &'a dyn Objective,
        start: &'a Point,
        p: &'a [f64],
    ) -> Result<(Line<'a>, f64), LineSearchFailure> {
        let slope = dot(&start.g, p);
        if slope < 0.0 && slope.is_finite() {
            Ok((
                Line {
                    objective,
                    start,
                    p,
                },
                slope,
            ))
        } else {
            Err(LineSearchFailure {
                error: LineSearchError::NotDescent,
                best: None,
            })
        }
    }

    /// Whether `x + α p` is `x` to working precision: then no trial can
    /// show a decrease, and accepting one would only hide a stall.
    fn negligible(&self, alpha: f64) -> bool {
        alpha * norm_inf(self.p) <= f64::EPSILON * norm_inf(&self.start.x).max(f64::MIN_POSITIVE)
    }

    fn x_at(&self, alpha: f64) -> Vec<f64> {
        step_from(&self.start.x, alpha, self.p)
    }

    /// The trial at `α` with value and gradient, evaluated together.
    fn eval(&self, alpha: f64) -> Trial {
        Trial::from_point(alpha, Point::at(self.objective, self.x_at(alpha)), self.p)
    }

    /// The trial at `α` with its value only (`φ'(α)` NaN until
    /// [`with_gradient`](Line::with_gradient)).
    fn value_at(&self, alpha: f64) -> Trial {
        let x = self.x_at(alpha);
        let f = self.objective.value(&x);
        Trial {
            alpha,
            // NOTE: a non-finite value reads as +∞, i.e. "too far".
            phi: if f.is_finite() { f } else { f64::INFINITY },
            dphi: f64::NAN,
            point: Point {
                x,
                f,
                g: Vec::new(),
            },
        }
    }

    /// `t` with its gradient, evaluated now unless it already has one.
    fn with_gradient(&self, t: Trial) -> Trial {
        if t.has_gradient() {
            return t;
        }
        let g = self.objective.grad(&t.point.x);
        Trial::from_point(t.alpha, Point { g, ..t.point }, self.p)
    }
}

impl Trial {
    fn from_point(alpha: f64, point: Point, p: &[f64]) -> Trial {
        let dphi = dot(&point.g, p);
        let finite = point.is_finite() && dphi.is_finite();
        Trial {
            alpha,
            // NOTE: a non-finite trial reads as +∞, i.e. "too far".
            phi: if finite { point.f } else { f64::INFINITY },
            dphi: if finite { dphi } else { f64::NAN },
            point,
        }
    }

    fn has_gradient(&self) -> bool {
        self.point.g.len() == self.point.x.len()
    }
}

/// Keeps in `best` the lowest trial below `φ(0)`, for a failure report.
fn keep_best(best: &mut Option<Trial>, start: &Point, t: Trial) {
    if t.phi < best.as_ref().map_or(start.f, |b| b.phi) {
        *best = Some(t);
    }
}

/// The failure report for `error`, with the best trial completed by its
/// gradient (one evaluation, only when it was never needed before).
fn failure(line: &Line, error: LineSearchError, best: Option<Trial>) -> LineSearchFailure {
    LineSearchFailure {
        error,
        best: best.map(|t| line.with_gradient(t).point),
    }
}
