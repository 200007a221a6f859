//! Line search for the strong Wolfe conditions: bracketing followed by zoom,
//! with cubic interpolation (Nocedal & Wright, Algorithms 3.5 and 3.6, and
//! the interpolation formula (3.59)).

use super::{
    cubic_minimiser, keep_best, lower, round_off, sufficient_decrease, Line, LineSearch,
    LineSearchError, LineSearchFailure, Step, Trial,
};
use crate::objective::{Objective, Point};

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
    fn sufficient_decrease(&self, start: &Point, slope: f64, t: &Trial) -> bool {
        sufficient_decrease(self.c1, start, slope, &t.sample())
    }

    fn curvature(&self, slope: f64, t: &Trial) -> bool {
        t.dphi.abs() <= -self.c2 * slope
    }

    /// Algorithm 3.6: `lo` satisfies sufficient decrease and has the lowest
    /// value so far; the bracket between `lo` and `hi` contains a step that
    /// satisfies the strong Wolfe conditions.
    fn zoom(
        &self,
        line: &Line,
        slope: f64,
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
            // Cubic interpolation when both ends are usable, kept at least 10%
            // of the bracket away from its ends (a minimiser near an end
            // shrinks the bracket tenfold); bisection otherwise.
            let margin = 0.1 * width;
            let alpha = match hi
                .phi
                .is_finite()
                .then(|| cubic_minimiser(&lo.sample(), &hi.sample()))
                .flatten()
            {
                Some(t) if t > a && t < b => t.clamp(a + margin, b - margin),
                _ => 0.5 * (a + b),
            };
            let t = line.eval(alpha);
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
        Err(LineSearchFailure {
            error: LineSearchError::NoProgress,
            best,
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
        let (line, slope) = Line::along(objective, start, p)?;
        let mut prev = Trial {
            alpha: 0.0,
            phi: start.f,
            dphi: slope,
            point: start.clone(),
        };
        let mut alpha = alpha0.min(self.alpha_max);
        for i in 0..self.max_evals {
            let t = line.eval(alpha);
            let left = self.max_evals - i - 1;
            // Algorithm 3.5: stop bracketing once the trial is too high or
            // the slope turns non-negative.
            let higher = i > 0 && !lower(&prev.sample(), &t.sample(), round_off(start.f));
            if !self.sufficient_decrease(start, slope, &t) || higher {
                return self.zoom(&line, slope, prev, t, left);
            }
            if self.curvature(slope, &t) {
                return Ok(Step {
                    alpha,
                    point: t.point,
                });
            }
            if t.dphi >= 0.0 {
                return self.zoom(&line, slope, t, prev, left);
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
