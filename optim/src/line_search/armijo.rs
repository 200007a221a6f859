//! Backtracking line search with the Armijo (sufficient decrease) condition
//! and quadratic interpolation (Nocedal & Wright, Algorithm 3.1 and §3.5).

use super::{Line, LineSearch, LineSearchError, LineSearchFailure, Step};
use crate::objective::{Objective, Point};
use crate::settings::{at_least_one, between, SettingsError};

/// Backtracks from the first trial until `f(x + α p) ≤ f(x) + c1 α ∇fᵀp`.
///
/// Each new trial is the minimiser of the quadratic that interpolates
/// `φ(0)`, `φ'(0)` and the last `φ(α)`, kept within `[0.1 α, 0.5 α]`.
/// Trials cost a value only; the gradient is evaluated once, at the
/// accepted point. A failure has no better point than the start to offer.
///
/// ```
/// use optim::line_search::{Armijo, LineSearch};
/// use optim::objective::{AutodiffObjective, Point};
/// let f = AutodiffObjective::new(1, |x| x.square().sum());
/// let start = Point::at(&f, vec![1.0]);
/// let step = Armijo::default().search(&f, &start, &[-10.0], 1.0).unwrap();
/// assert!(step.point.f < start.f);
/// ```
#[derive(Clone, Debug)]
pub struct Armijo {
    /// Sufficient-decrease constant `c1` (default 1e-4).
    pub c1: f64,
    /// Maximum number of trials (default 50).
    pub max_evals: usize,
}

impl Default for Armijo {
    fn default() -> Self {
        Armijo {
            c1: 1e-4,
            max_evals: 50,
        }
    }
}

impl Armijo {
    /// Checks the settings: `c1` in `(0, 1)`, at least one trial.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        between("Armijo::c1", 0.0, 1.0, self.c1)?;
        at_least_one("Armijo::max_evals", self.max_evals)
    }
}

impl LineSearch for Armijo {
    fn search(
        &self,
        objective: &dyn Objective,
        start: &Point,
        p: &[f64],
        alpha0: f64,
    ) -> Result<Step, LineSearchFailure> {
        let (line, slope) = Line::along(objective, start, p)?;
        let mut alpha = alpha0;
        for _ in 0..self.max_evals {
            if line.negligible(alpha) {
                break;
            }
            let x = line.x_at(alpha);
            let f = objective.value(&x);
            // NOTE: a non-finite value reads as +∞, i.e. "too far".
            let phi = if f.is_finite() { f } else { f64::INFINITY };
            if phi <= start.f + self.c1 * alpha * slope {
                let g = objective.grad(&x);
                return Ok(Step {
                    alpha,
                    point: Point { x, f, g },
                });
            }
            // Minimiser of q(a) = φ(0) + φ'(0) a + c a² through (α, φ(α)).
            let curvature = phi - start.f - slope * alpha;
            let interpolated = -slope * alpha * alpha / (2.0 * curvature);
            alpha = if interpolated.is_finite() {
                interpolated.clamp(0.1 * alpha, 0.5 * alpha)
            } else {
                0.5 * alpha
            };
        }
        Err(LineSearchFailure {
            error: LineSearchError::NoProgress,
            best: None,
        })
    }
}
