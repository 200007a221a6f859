//! Line searches: given a point, a descent direction `p` and a first trial
//! step, find a step `α` that decreases `f(x + α p)` enough.
//!
//! The accepted point comes back with its value and gradient, so the solver
//! never re-evaluates it: the strong Wolfe search needs both at every trial,
//! Armijo backtracking needs only values and asks for the gradient once. A
//! trial where `f` or `∇f` is not finite is treated as a step that went too
//! far, so a search can back away from an overflow.

mod armijo;
mod wolfe;

pub use armijo::Armijo;
pub use wolfe::StrongWolfe;

use crate::linop::{dot, norm_inf};
use crate::objective::{Objective, Point};

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
}

/// The line searches a solver can be configured with.
#[derive(Clone, Debug)]
pub enum LineSearchMethod {
    /// Backtracking until sufficient decrease.
    Armijo(Armijo),
    /// Strong Wolfe conditions, with bracketing and zoom.
    StrongWolfe(StrongWolfe),
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
        }
    }
}

/// `x + α p`.
pub(crate) fn step_from(x: &[f64], alpha: f64, p: &[f64]) -> Vec<f64> {
    x.iter().zip(p).map(|(xi, pi)| xi + alpha * pi).collect()
}

/// `φ(α) = f(x + α p)` and `φ'(α) = ∇f(x + α p)ᵀ p`, one evaluation per trial.
struct Line<'a> {
    objective: &'a dyn Objective,
    start: &'a Point,
    p: &'a [f64],
}

/// A trial step: `α`, `φ(α)`, `φ'(α)` and the point.
struct Trial {
    alpha: f64,
    phi: f64,
    dphi: f64,
    point: Point,
}

impl Line<'_> {
    /// `φ'(0)`, checked to be a finite negative slope.
    fn initial_slope(&self) -> Result<f64, LineSearchFailure> {
        let slope = dot(&self.start.g, self.p);
        if slope < 0.0 && slope.is_finite() {
            Ok(slope)
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

    fn eval(&self, alpha: f64) -> Trial {
        let point = Point::at(self.objective, self.x_at(alpha));
        let dphi = dot(&point.g, self.p);
        let finite = point.is_finite() && dphi.is_finite();
        Trial {
            alpha,
            // NOTE: a non-finite trial reads as +∞, i.e. "too far".
            phi: if finite { point.f } else { f64::INFINITY },
            dphi: if finite { dphi } else { f64::NAN },
            point,
        }
    }
}

/// Keeps in `best` the lowest trial point below `φ(0)`, for a failure report.
fn keep_best(best: &mut Option<Point>, start: &Point, t: Trial) {
    if t.phi < best.as_ref().map_or(start.f, |b| b.f) {
        *best = Some(t.point);
    }
}
