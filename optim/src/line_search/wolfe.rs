//! Line search for the strong Wolfe conditions: bracketing followed by zoom,
//! with cubic interpolation (Nocedal & Wright, Algorithms 3.5 and 3.6, and
//! the interpolation formula (3.59)).
//!
//! Given the curvature `φ''(0)` as well (Newton's methods), a trial whose
//! value already rules it out costs that value alone: the zoom interpolates
//! it by the cubic through `φ(0)`, `φ'(0)`, `φ''(0)` and its value instead
//! of through both ends' values and slopes.

use super::{
    cubic_minimiser, failure, keep_best, lower, quadratic_minimiser, round_off,
    sufficient_decrease, Line, LineSearch, LineSearchError, LineSearchFailure, Sample, Step, Trial,
};
use crate::objective::{Objective, Point};
use crate::settings::{at_least_one, between, positive, SettingsError};

/// Finds `α` with `φ(α) ≤ φ(0) + c1 α φ'(0)` (sufficient decrease) and
/// `|φ'(α)| ≤ c2 |φ'(0)|` (strong curvature), where `φ(α) = f(x + α p)`.
///
/// ```
/// use optim::line_search::{LineSearch, StrongWolfe};
/// use optim::linop::dot;
/// use optim::objective::{AutodiffObjective, Point};
/// let f = AutodiffObjective::new(2, |x| (x.exp() - x * 2.0).sum());
/// let start = Point::at(&f, vec![0.0, 0.0]);
/// let p = vec![1.0, 1.0];
/// let wolfe = StrongWolfe::default();
/// let step = wolfe.search(&f, &start, &p, 0.01).unwrap();
/// let slope0 = dot(&start.g, &p);
/// assert!(step.point.f <= start.f + wolfe.c1 * step.alpha * slope0);
/// assert!(dot(&step.point.g, &p).abs() <= wolfe.c2 * slope0.abs());
/// ```
#[derive(Clone, Debug)]
pub struct StrongWolfe {
    /// Sufficient-decrease constant `c1` (default 1e-4).
    pub c1: f64,
    /// Curvature constant `c2` (default 0.9, for quasi-Newton methods; 0.1
    /// suits nonlinear conjugate gradient).
    pub c2: f64,
    /// Maximum number of trials, bracketing and zoom together (default 30).
    pub max_evals: usize,
    /// Largest step tried while bracketing (default 1e10).
    pub alpha_max: f64,
}

impl Default for StrongWolfe {
    fn default() -> Self {
        StrongWolfe {
            c1: 1e-4,
            c2: 0.9,
            max_evals: 30,
            alpha_max: 1e10,
        }
    }
}

impl StrongWolfe {
    /// Checks the settings: `0 < c1 < c2 < 1`, `alpha_max > 0`, at least
    /// one trial.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        between("StrongWolfe::c1", 0.0, 1.0, self.c1)?;
        between("StrongWolfe::c2", self.c1, 1.0, self.c2)?;
        positive("StrongWolfe::alpha_max", self.alpha_max)?;
        at_least_one("StrongWolfe::max_evals", self.max_evals)
    }
}

impl StrongWolfe {
    fn sufficient_decrease(&self, start: &Point, slope: f64, t: &Trial) -> bool {
        sufficient_decrease(self.c1, start, slope, &t.sample())
    }

    fn curvature(&self, slope: f64, t: &Trial) -> bool {
        t.dphi.abs() <= -self.c2 * slope
    }

    /// The trial at `α`. When `value_first`, its gradient is evaluated only
    /// if its value leaves it a candidate: finite, below the
    /// sufficient-decrease line or within round-off of `φ(0)`, and not
    /// clearly above `φ(lo)`.
    fn trial(&self, line: &Line, slope: f64, lo_phi: f64, alpha: f64, value_first: bool) -> Trial {
        if !value_first {
            return line.eval(alpha);
        }
        let t = line.value_at(alpha);
        let start = line.start;
        let noise = round_off(start.f);
        let candidate = t.phi <= (start.f + self.c1 * alpha * slope).max(start.f + noise)
            && t.phi <= lo_phi + noise;
        if candidate {
            line.with_gradient(t)
        } else {
            t
        }
    }

    /// Where to try next between `lo` and `hi`: the cubic through both
    /// ends' values and slopes; without `hi`'s slope, the cubic through
    /// `φ(0)`, `φ'(0)`, `φ''(0)` and `φ(hi)` while `lo` is the start (and
    /// that cubic has a minimiser), else the quadratic through `φ(lo)`,
    /// `φ'(lo)` and `φ(hi)`.
    fn interpolate(lo: &Trial, hi: &Trial, curvature: Option<f64>) -> Option<f64> {
        if !hi.phi.is_finite() {
            None
        } else if hi.has_gradient() {
            cubic_minimiser(&lo.sample(), &hi.sample())
        } else {
            curvature
                .filter(|_| lo.alpha == 0.0)
                .and_then(|c| taylor_cubic_minimiser(&lo.sample(), c, &hi.sample()))
                .or_else(|| Some(quadratic_minimiser(&lo.sample(), &hi.sample())))
        }
    }

    /// Algorithm 3.6: `lo` satisfies sufficient decrease and has the lowest
    /// value so far; the bracket between `lo` and `hi` contains a step that
    /// satisfies the strong Wolfe conditions.
    fn zoom(
        &self,
        line: &Line,
        slope: f64,
        curvature: Option<f64>,
        mut lo: Trial,
        mut hi: Trial,
        evals_left: usize,
    ) -> Result<Step, LineSearchFailure> {
        let start = line.start;
        let noise = round_off(start.f);
        let mut best = None;
        for _ in 0..evals_left {
            let (a, b) = (lo.alpha.min(hi.alpha), lo.alpha.max(hi.alpha));
            let width = b - a;
            if width <= f64::EPSILON * b || line.negligible(width) {
                break;
            }
            // Interpolation kept at least 10% of the bracket away from its
            // ends (a minimiser near an end shrinks the bracket tenfold);
            // bisection when there is none inside.
            let margin = 0.1 * width;
            let alpha = match Self::interpolate(&lo, &hi, curvature) {
                Some(t) if t > a && t < b => t.clamp(a + margin, b - margin),
                _ => 0.5 * (a + b),
            };
            let t = self.trial(line, slope, lo.phi, alpha, curvature.is_some());
            if !self.sufficient_decrease(start, slope, &t)
                || !lower(&lo.sample(), &t.sample(), noise)
            {
                keep_best(&mut best, start, std::mem::replace(&mut hi, t));
            } else {
                if self.curvature(slope, &t) {
                    return Ok(Step {
                        alpha,
                        point: t.point,
                    });
                }
                if t.dphi * (hi.alpha - lo.alpha) >= 0.0 {
                    hi = std::mem::replace(&mut lo, t);
                } else {
                    keep_best(&mut best, start, std::mem::replace(&mut lo, t));
                }
            }
        }
        keep_best(&mut best, start, lo);
        Err(failure(line, LineSearchError::NoProgress, best))
    }

    /// Algorithm 3.5, with `φ''(0)` when known.
    fn bracket(
        &self,
        objective: &dyn Objective,
        start: &Point,
        p: &[f64],
        alpha0: f64,
        curvature: Option<f64>,
    ) -> Result<Step, LineSearchFailure> {
        let (line, slope) = Line::along(objective, start, p)?;
        let mut prev = Trial {
            alpha: 0.0,
            phi: start.f,
            dphi: slope,
            point: start.clone(),
        };
        let mut alpha = alpha0.min(self.alpha_max);
        let value_first = curvature.is_some();
        for i in 0..self.max_evals {
            let t = self.trial(&line, slope, prev.phi, alpha, value_first);
            let left = self.max_evals - i - 1;
            // Algorithm 3.5: stop bracketing once the trial is too high or
            // the slope turns non-negative.
            let higher = i > 0 && !lower(&prev.sample(), &t.sample(), round_off(start.f));
            if !self.sufficient_decrease(start, slope, &t) || higher {
                return self.zoom(&line, slope, curvature, prev, t, left);
            }
            if self.curvature(slope, &t) {
                return Ok(Step {
                    alpha,
                    point: t.point,
                });
            }
            if t.dphi >= 0.0 {
                return self.zoom(&line, slope, curvature, t, prev, left);
            }
            if alpha >= self.alpha_max {
                return Err(LineSearchFailure {
                    error: LineSearchError::NoProgress,
                    best: Some(t.point),
                });
            }
            // Extrapolate: the cubic's minimiser, kept within [1.25 α, 10 α].
            let next = cubic_minimiser(&prev.sample(), &t.sample())
                .filter(|x| *x > alpha)
                .unwrap_or(10.0 * alpha)
                .clamp(1.25 * alpha, 10.0 * alpha);
            alpha = next.min(self.alpha_max);
            prev = t;
        }
        Err(LineSearchFailure {
            error: LineSearchError::NoProgress,
            best: (prev.alpha > 0.0).then_some(prev.point),
        })
    }
}

impl LineSearch for StrongWolfe {
    fn search(
        &self,
        objective: &dyn Objective,
        start: &Point,
        p: &[f64],
        alpha0: f64,
    ) -> Result<Step, LineSearchFailure> {
        self.bracket(objective, start, p, alpha0, None)
    }

    fn search_with_curvature(
        &self,
        objective: &dyn Objective,
        start: &Point,
        p: &[f64],
        alpha0: f64,
        curvature: f64,
    ) -> Result<Step, LineSearchFailure> {
        self.bracket(
            objective,
            start,
            p,
            alpha0,
            Some(curvature).filter(|c| c.is_finite()),
        )
    }
}

/// The minimiser of the cubic `φ(0) + φ'(0) α + ½ φ''(0) α² + k α³` through
/// `φ(b)`, where `a` is the start (`α = 0`) and `c = φ''(0)`; `None` when it
/// has no local minimiser.
fn taylor_cubic_minimiser(a: &Sample, c: f64, b: &Sample) -> Option<f64> {
    let (d, h) = (a.dphi, b.alpha);
    let k = (b.phi - a.phi - d * h - 0.5 * c * h * h) / (h * h * h);
    // φ'(α) = d + c α + 3k α² = 0 at α = −2d / (c + √(c² − 12 k d)), the
    // root where φ'' = √(c² − 12 k d) > 0 (written without cancellation).
    let disc = c * c - 12.0 * k * d;
    let denom = c + disc.sqrt();
    let t = -2.0 * d / denom;
    (disc >= 0.0 && denom > 0.0 && t.is_finite()).then_some(t)
}
