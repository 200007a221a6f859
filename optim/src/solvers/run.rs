//! What every solver shares: options, termination tests, the observer, the
//! evaluation counts and the report.

use std::convert::Infallible;

use super::curvature_check::curvature_at;
use crate::bounds::Bounds;
use crate::line_search::{round_off, LineSearchError, LineSearchFailure};
use crate::linop::norm_inf;
use crate::objective::{Counted, Counts, Objective, Point};
use crate::settings::{non_negative, SettingsError};

/// When to stop, and what to record. The tests apply after every accepted step.
#[derive(Clone, Debug)]
pub struct Options {
    /// Stop when `‖∇f‖∞ ≤ gtol` (default 1e-8); a bounded solver tests the
    /// projected gradient `‖P(x − ∇f) − x‖∞` instead.
    pub gtol: f64,
    /// Stop when `|f_k − f_{k+1}| ≤ ftol · max(|f_k|, |f_{k+1}|, 1)`
    /// (default 0: off).
    pub ftol: f64,
    /// Stop when `‖x_{k+1} − x_k‖∞ ≤ xtol · (1 + ‖x_{k+1}‖∞)` (default 0: off).
    pub xtol: f64,
    /// Iteration limit (default 1000).
    pub max_iter: usize,
    /// Limit on function evaluations, counting value-and-gradient calls
    /// (default: none).
    pub max_evals: Option<usize>,
    /// Keep every iterate in [`Report::trajectory`] (default false).
    pub record_trajectory: bool,
    /// When a line search cannot decrease `f` by more than its round-off
    /// at a point with `‖∇f‖∞ ≤ round_off_gtol`, the run ends with
    /// [`Status::RoundOff`] instead of [`Status::LineSearchFailed`]
    /// (default 1e-6).
    pub round_off_gtol: f64,
}

impl Options {
    /// Checks every setting: the tolerances must be finite and `≥ 0`. A run
    /// with settings that fail this ends before its first step with
    /// [`Status::InvalidSettings`] and the error in [`Report::invalid`].
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        non_negative("Options::gtol", self.gtol)?;
        non_negative("Options::ftol", self.ftol)?;
        non_negative("Options::xtol", self.xtol)?;
        non_negative("Options::round_off_gtol", self.round_off_gtol)
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            gtol: 1e-8,
            ftol: 0.0,
            xtol: 0.0,
            max_iter: 1000,
            max_evals: None,
            record_trajectory: false,
            round_off_gtol: 1e-6,
        }
    }
}

/// Why a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// `‖∇f‖∞ ≤ gtol` (with bounds, the projected gradient).
    GradientTolerance,
    /// The relative change of `f` fell below `ftol`.
    FunctionTolerance,
    /// The step fell below `xtol`.
    StepTolerance,
    /// The iteration limit was reached.
    MaxIterations,
    /// The evaluation limit was reached.
    MaxEvaluations,
    /// The observer asked to stop.
    StoppedByObserver,
    /// `f`, `∇f` or a curvature product was NaN or infinite.
    NonFinite,
    /// The line search found no acceptable step.
    LineSearchFailed,
    /// The search direction was not a descent direction.
    NotDescentDirection,
    /// The Newton system could not be solved (undamped Newton).
    SingularHessian,
    /// The trust region shrank below roundoff without an acceptable step.
    TrustRegionCollapsed,
    /// The line search could not change `f` by more than its round-off, at
    /// a point with `‖∇f‖∞ ≤` [`Options::round_off_gtol`]: as near a
    /// minimiser as the values of `f` can tell, though above `gtol`
    /// ([`Report::grad_norm_inf`] says how near).
    RoundOff,
    /// The gradient test (or [`Status::RoundOff`]) was met where `∇²f` has
    /// a negative eigenvalue ([`Report::lambda_min`] < 0): a saddle point or
    /// a maximum, not a minimum. Only solvers that use curvature check it.
    NegativeCurvature,
    /// A convergence test was met at a point where `f` is above its value
    /// at the start: the iteration went uphill (undamped Newton can), so the
    /// point answers no minimisation.
    AboveStart,
    /// A setting (of the [`Options`] or of the solver) cannot work; the run
    /// ended at the start point before any step, and [`Report::invalid`]
    /// names the setting.
    InvalidSettings,
}

impl Status {
    /// Whether a convergence test (gradient, function or step tolerance, or
    /// the gradient at round-off level) ended the run at a point not shown
    /// to be anything but a minimiser.
    pub fn is_converged(self) -> bool {
        matches!(
            self,
            Status::GradientTolerance
                | Status::FunctionTolerance
                | Status::StepTolerance
                | Status::RoundOff
        )
    }
}

/// The outcome of a run.
#[derive(Clone, Debug)]
pub struct Report {
    /// The final point when a convergence test ended the run; otherwise the
    /// point with the lowest `f` seen.
    pub x: Vec<f64>,
    /// `f(x)`.
    pub f: f64,
    /// `‖∇f(x)‖∞`; for a bounded solver, the projected gradient
    /// `‖P(x − ∇f(x)) − x‖∞`.
    pub grad_norm_inf: f64,
    /// Accepted steps.
    pub iterations: usize,
    /// Evaluations of the objective.
    pub counts: Counts,
    /// Why the run ended.
    pub status: Status,
    /// An upper bound on the smallest eigenvalue of `∇²f(x)` — the smallest
    /// Ritz value of a few Lanczos steps on H·v — when a solver that uses
    /// curvature met the gradient test (or ended at [`Status::RoundOff`]);
    /// `None` otherwise.
    pub lambda_min: Option<f64>,
    /// The iterates, starting with `x0`, when [`Options::record_trajectory`] is set.
    pub trajectory: Option<Vec<Vec<f64>>>,
    /// The setting that cannot work, when the status is [`Status::InvalidSettings`].
    pub invalid: Option<SettingsError>,
}

/// What an observer sees after each accepted step (and once at the start,
/// as iteration 0).
#[derive(Debug)]
pub struct IterState<'a> {
    /// The iteration number.
    pub iteration: usize,
    /// The current point.
    pub x: &'a [f64],
    /// `f(x)`.
    pub f: f64,
    /// `∇f(x)`.
    pub g: &'a [f64],
    /// Evaluations so far.
    pub counts: Counts,
}

/// An observer's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Go on.
    Continue,
    /// End the run with [`Status::StoppedByObserver`].
    Stop,
}

/// A per-iteration callback that can log, record or stop a run. Any
/// `FnMut(&IterState) -> Control` closure is one.
pub trait Observer {
    /// Called after each accepted step.
    fn observe(&mut self, state: &IterState) -> Control;
}

impl<F: FnMut(&IterState) -> Control> Observer for F {
    fn observe(&mut self, state: &IterState) -> Control {
        self(state)
    }
}

/// A minimisation algorithm.
pub trait Minimizer {
    /// Minimises `objective` from `x0`, calling `observer` after each step.
    fn minimize_observed(
        &self,
        objective: &dyn Objective,
        x0: &[f64],
        options: &Options,
        observer: &mut dyn Observer,
    ) -> Report;

    /// Minimises `objective` from `x0`.
    fn minimize(&self, objective: &dyn Objective, x0: &[f64], options: &Options) -> Report {
        self.minimize_observed(objective, x0, options, &mut |_: &IterState| {
            Control::Continue
        })
    }
}

/// A run in progress: the counted objective, the best point, the iteration
/// count and the trajectory. Solvers end a run by returning `Err(report)`,
/// so `?` propagates every stopping reason.
pub(crate) struct Run<'a> {
    objective: Counted<&'a dyn Objective>,
    options: &'a Options,
    observer: &'a mut dyn Observer,
    iterations: usize,
    f_start: f64,
    best: Point,
    trajectory: Option<Vec<Vec<f64>>>,
    check_curvature: bool,
    bounds: Option<&'a Bounds>,
}

/// Whether a solver checks the curvature where it converges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// Gradients only: nothing is known of the curvature at the end.
    First,
    /// Curvature products: a converged point is checked for negative
    /// curvature and reported as [`Status::NegativeCurvature`] if it has any.
    Second,
}

pub(crate) type Flow<T> = Result<T, Box<Report>>;

impl<'a> Run<'a> {
    /// Evaluates `x0` and checks it (non-finite, already converged, observer).
    pub(crate) fn start(
        objective: &'a dyn Objective,
        x0: &[f64],
        options: &'a Options,
        observer: &'a mut dyn Observer,
        order: Order,
        settings: Result<(), SettingsError>,
        bounds: Option<&'a Bounds>,
    ) -> Flow<(Run<'a>, Point)> {
        assert_eq!(
            x0.len(),
            objective.dim(),
            "minimize: start point of length {} for dimension {}",
            x0.len(),
            objective.dim()
        );
        let x0 = match bounds {
            Some(b) => {
                assert_eq!(
                    b.dim(),
                    x0.len(),
                    "minimize: bounds of dimension {} for a start point of length {}",
                    b.dim(),
                    x0.len()
                );
                b.project(x0)
            }
            None => x0.to_vec(),
        };
        let objective = Counted::new(objective);
        let x = Point::at(&objective, x0.clone());
        let mut run = Run {
            objective,
            options,
            observer,
            iterations: 0,
            f_start: x.f,
            best: x.clone(),
            trajectory: options.record_trajectory.then(|| vec![x0]),
            check_curvature: order == Order::Second,
            bounds,
        };
        run.settings(options.validate().and(settings), &x)?;
        if !x.is_finite() {
            return Err(run.report(x, Status::NonFinite).into());
        }
        run.observe_and_test_gradient(&x)?;
        Ok((run, x))
    }

    /// The counted objective.
    pub(crate) fn objective(&self) -> &Counted<&'a dyn Objective> {
        &self.objective
    }

    /// Ends the run when an iteration or evaluation limit has been reached.
    pub(crate) fn check_budget(&self, current: &Point) -> Flow<()> {
        if self.iterations >= self.options.max_iter {
            return Err(self.report(current.clone(), Status::MaxIterations).into());
        }
        if self
            .options
            .max_evals
            .is_some_and(|m| self.objective.counts().f >= m)
        {
            return Err(self.report(current.clone(), Status::MaxEvaluations).into());
        }
        Ok(())
    }

    /// Accepts the step `from → to`: records it, calls the observer and
    /// applies the termination tests. Returns `to` when the run goes on.
    pub(crate) fn advance(&mut self, from: &Point, to: Point) -> Flow<Point> {
        self.iterations += 1;
        if !to.is_finite() {
            return Err(self.report(to, Status::NonFinite).into());
        }
        if let Some(t) = &mut self.trajectory {
            t.push(to.x.clone());
        }
        self.observe_and_test_gradient(&to)?;
        let o = self.options;
        let f_scale = from.f.abs().max(to.f.abs()).max(1.0);
        if o.ftol > 0.0 && (from.f - to.f).abs() <= o.ftol * f_scale {
            return Err(self.report(to, Status::FunctionTolerance).into());
        }
        let step = from
            .x
            .iter()
            .zip(&to.x)
            .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        if o.xtol > 0.0 && step <= o.xtol * (1.0 + norm_inf(&to.x)) {
            return Err(self.report(to, Status::StepTolerance).into());
        }
        self.check_budget(&to)?;
        Ok(to)
    }

    /// Ends the run at `current` with [`Status::InvalidSettings`] when the
    /// options' or the solver's settings fail their check (at the start,
    /// before the gradient test, so a start that already meets `gtol` is
    /// not reported as converged with settings that cannot work).
    fn settings(&self, check: Result<(), SettingsError>, current: &Point) -> Flow<()> {
        check.map_err(|error| {
            let mut report = self.report(current.clone(), Status::InvalidSettings);
            report.invalid = Some(error);
            report.into()
        })
    }

    /// Ends the run with a failure `status`, reporting the best point seen
    /// (or `candidate` if it is lower).
    pub(crate) fn fail(&self, candidate: Option<Point>, status: Status) -> Report {
        self.report(candidate.unwrap_or_else(|| self.best.clone()), status)
    }

    /// Ends the run after a line search from `from` failed: with
    /// [`Status::RoundOff`] at `from` when the search found nothing below
    /// `f(from)` beyond round-off and `‖∇f(from)‖∞ ≤ round_off_gtol`.
    pub(crate) fn line_search_failed(&self, from: &Point, failure: LineSearchFailure) -> Report {
        let noise_only = failure
            .best
            .as_ref()
            .is_none_or(|b| from.f - b.f <= round_off(from.f));
        let near = self.stationarity(from) <= self.options.round_off_gtol.max(self.options.gtol);
        match failure.error {
            LineSearchError::NotDescent => self.fail(failure.best, Status::NotDescentDirection),
            LineSearchError::NoProgress if noise_only && near => {
                self.report(from.clone(), Status::RoundOff)
            }
            LineSearchError::NoProgress => self.fail(failure.best, Status::LineSearchFailed),
        }
    }

    /// `‖∇f‖∞`, or with bounds the projected gradient `‖P(x − ∇f) − x‖∞`.
    pub(crate) fn stationarity(&self, x: &Point) -> f64 {
        match self.bounds {
            Some(b) => b.projected_gradient_norm(&x.x, &x.g),
            None => norm_inf(&x.g),
        }
    }

    /// `x` moved into the box, when the run has one.
    pub(crate) fn feasible(&self, x: Vec<f64>) -> Vec<f64> {
        match self.bounds {
            Some(b) => b.project(&x),
            None => x,
        }
    }

    fn observe_and_test_gradient(&mut self, x: &Point) -> Flow<()> {
        if x.f < self.best.f {
            self.best = x.clone();
        }
        let state = IterState {
            iteration: self.iterations,
            x: &x.x,
            f: x.f,
            g: &x.g,
            counts: self.objective.counts(),
        };
        if self.observer.observe(&state) == Control::Stop {
            return Err(self.report(x.clone(), Status::StoppedByObserver).into());
        }
        if self.stationarity(x) <= self.options.gtol {
            return Err(self.report(x.clone(), Status::GradientTolerance).into());
        }
        Ok(())
    }

    /// The report: converged runs (and stops by the observer) report `x`,
    /// others the lowest point seen. A convergence test met above the
    /// start's value, or (second order) a stationary point where the
    /// curvature is negative, is reported as such, not as convergence.
    fn report(&self, x: Point, status: Status) -> Report {
        let mut status = status;
        let mut lambda_min = None;
        if status.is_converged() {
            let stationary = matches!(status, Status::GradientTolerance | Status::RoundOff);
            if self.check_curvature && stationary {
                let curvature = curvature_at(&self.objective, &x.x);
                lambda_min = curvature.map(|c| c.lambda_min);
                if curvature.is_some_and(|c| c.negative) {
                    status = Status::NegativeCurvature;
                }
            }
            if status.is_converged() && x.f > self.f_start + round_off(self.f_start) {
                status = Status::AboveStart;
            }
        }
        let keep_x = status.is_converged()
            || matches!(
                status,
                Status::StoppedByObserver | Status::NegativeCurvature | Status::AboveStart
            );
        let point = if keep_x || (x.is_finite() && x.f <= self.best.f) {
            x
        } else {
            self.best.clone()
        };
        Report {
            grad_norm_inf: self.stationarity(&point),
            f: point.f,
            x: point.x,
            iterations: self.iterations,
            counts: self.objective.counts(),
            status,
            lambda_min,
            trajectory: self.trajectory.clone(),
            invalid: None,
        }
    }
}

/// Starts a run at `x0` (of a solver of the given `order`) and hands it, with the evaluated start point, to a
/// solver body written with `?` on [`Flow`]; returns the report it ends with.
pub(crate) fn solve<'a>(
    objective: &'a dyn Objective,
    x0: &[f64],
    options: &'a Options,
    observer: &'a mut dyn Observer,
    order: Order,
    settings: Result<(), SettingsError>,
    body: impl FnOnce(Run<'a>, Point) -> Flow<Infallible>,
) -> Report {
    solve_in(
        objective, x0, options, observer, order, settings, None, body,
    )
}

/// [`solve`] within `bounds`: the start is projected into the box, and the
/// gradient test (and [`Report::grad_norm_inf`]) uses the projected
/// gradient `‖P(x − ∇f) − x‖∞`.
// Each argument is one thing a run needs; bundling them would add a type
// that only this call uses.
#[allow(clippy::too_many_arguments)]
pub(crate) fn solve_in<'a>(
    objective: &'a dyn Objective,
    x0: &[f64],
    options: &'a Options,
    observer: &'a mut dyn Observer,
    order: Order,
    settings: Result<(), SettingsError>,
    bounds: Option<&'a Bounds>,
    body: impl FnOnce(Run<'a>, Point) -> Flow<Infallible>,
) -> Report {
    match Run::start(objective, x0, options, observer, order, settings, bounds)
        .and_then(|(run, x)| body(run, x))
    {
        Err(report) => *report,
        Ok(never) => match never {},
    }
}
