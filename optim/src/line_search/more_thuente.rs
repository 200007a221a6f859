//! Line search for the strong Wolfe conditions by the interval updates of
//! Moré & Thuente ("Line search algorithms with guaranteed sufficient
//! decrease", ACM TOMS 20, 1994), the search MINPACK-2 and L-BFGS-B use.

use super::{
    cubic_minimiser, failure, keep_best, lower, quadratic_minimiser, round_off,
    sufficient_decrease, Line, LineSearch, LineSearchError, LineSearchFailure, Sample, Step,
};
use crate::objective::{Objective, Point};
use crate::settings::{at_least_one, between, non_negative, positive, SettingsError};

/// Finds `α` with `φ(α) ≤ φ(0) + c1 α φ'(0)` and `|φ'(α)| ≤ c2 |φ'(0)|`,
/// where `φ(α) = f(x + α p)`.
///
/// The search keeps an interval `[x, y]` of steps (`x` the best so far) and
/// chooses each trial from cubic, quadratic and secant interpolants of `φ`
/// and `φ'` at its ends and the last trial, by the four cases of Moré and
/// Thuente. Until a step with sufficient decrease and `φ' ≥ 0` is met, it
/// works on `ψ(α) = φ(α) − c1 α φ'(0)` instead of `φ`, so the interval
/// always holds a step that satisfies both conditions. Until the interval
/// brackets such a step, trials extrapolate to between 1.1 and 4 times the
/// distance from `x`; once it does, the interval must shrink by a third
/// every two trials or the next trial bisects it.
///
/// ```
/// use optim::line_search::{LineSearch, MoreThuente};
/// use optim::linop::dot;
/// use optim::objective::{AutodiffObjective, Point};
/// let f = AutodiffObjective::new(2, |x| (x.exp() - x * 2.0).sum());
/// let start = Point::at(&f, vec![0.0, 0.0]);
/// let p = vec![1.0, 1.0];
/// let search = MoreThuente::default();
/// let step = search.search(&f, &start, &p, 0.01).unwrap();
/// let slope0 = dot(&start.g, &p);
/// assert!(step.point.f <= start.f + search.c1 * step.alpha * slope0);
/// assert!(dot(&step.point.g, &p).abs() <= search.c2 * slope0.abs());
/// ```
#[derive(Clone, Debug)]
pub struct MoreThuente {
    /// Sufficient-decrease constant `c1` (default 1e-4).
    pub c1: f64,
    /// Curvature constant `c2` (default 0.9).
    pub c2: f64,
    /// The search gives up when the interval is narrower than `xtol` times
    /// its right end (default 1e-14).
    pub xtol: f64,
    /// Maximum number of trials (default 30).
    pub max_evals: usize,
    /// Largest step tried (default 1e10). A step there with sufficient
    /// decrease and `φ' < 0` is accepted.
    pub alpha_max: f64,
}

impl Default for MoreThuente {
    fn default() -> Self {
        MoreThuente {
            c1: 1e-4,
            c2: 0.9,
            xtol: 1e-14,
            max_evals: 30,
            alpha_max: 1e10,
        }
    }
}

impl MoreThuente {
    /// Checks the settings: `0 < c1 < c2 < 1`, `xtol ≥ 0`, `alpha_max > 0`,
    /// at least one trial.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        between("MoreThuente::c1", 0.0, 1.0, self.c1)?;
        between("MoreThuente::c2", self.c1, 1.0, self.c2)?;
        non_negative("MoreThuente::xtol", self.xtol)?;
        positive("MoreThuente::alpha_max", self.alpha_max)?;
        at_least_one("MoreThuente::max_evals", self.max_evals)
    }
}

/// Extrapolation limits while nothing is bracketed: the next trial lies
/// between these multiples of its distance from the best step.
const EXTRAPOLATE: (f64, f64) = (1.1, 4.0);

/// A bracketed interval must shrink to this fraction of its width of two
/// trials earlier, or the next trial bisects it.
const SHRINK: f64 = 0.66;

impl Sample {
    /// The sample of `φ(α) − α c` (shifting the slope by `c`).
    fn tilted(self, c: f64) -> Sample {
        Sample {
            alpha: self.alpha,
            phi: self.phi - self.alpha * c,
            dphi: self.dphi - c,
        }
    }
}

/// The interval of the search: `x` is the best step so far, `y` the other
/// end, and `bracketed` whether the two enclose an acceptable step; values
/// closer than `noise` are ordered by their slopes (see `lower`).
struct Interval {
    x: Sample,
    y: Sample,
    bracketed: bool,
    noise: f64,
}

/// The zero of the line through `(a, φ'(a))` and `(b, φ'(b))`.
fn secant(a: &Sample, b: &Sample) -> f64 {
    b.alpha + b.dphi / (b.dphi - a.dphi) * (a.alpha - b.alpha)
}

/// `v` when finite, else `fallback`.
fn finite_or(v: f64, fallback: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        fallback
    }
}

impl Interval {
    /// Takes the trial `t` into the interval and returns the next trial,
    /// kept within `[lo, hi]` when extrapolating. Moré and Thuente's cases:
    /// 1. `φ(t) > φ(x)`: a minimiser lies between `x` and `t`; the cubic
    ///    step, or halfway to the quadratic step when that is closer to `x`.
    /// 2. `φ(t) ≤ φ(x)`, slopes of opposite sign: a minimiser lies between;
    ///    whichever of the cubic and secant steps is farther from `t`.
    /// 3. Same sign, `|φ'|` decreasing: the cubic step if the cubic's
    ///    minimiser lies beyond `t` (else the extrapolation limit), or the
    ///    secant step; the nearer to `t` when bracketed (and at most 0.66 of
    ///    the way to `y`), the farther otherwise.
    /// 4. Same sign, `|φ'|` not decreasing: the cubic step between `t` and
    ///    `y` when bracketed, else the extrapolation limit.
    fn update(&mut self, t: Sample, lo: f64, hi: f64) -> f64 {
        let x = self.x;
        let forward = t.alpha > x.alpha;
        let limit = if forward { hi } else { lo };
        let midpoint = 0.5 * (x.alpha + t.alpha);
        let opposite_slopes = t.dphi * x.dphi.signum() < 0.0;
        let higher = !lower(&x, &t, self.noise);
        let next = if higher {
            self.bracketed = true;
            let cubic = cubic_minimiser(&x, &t).unwrap_or(midpoint);
            let quadratic = finite_or(quadratic_minimiser(&x, &t), midpoint);
            if (cubic - x.alpha).abs() < (quadratic - x.alpha).abs() {
                cubic
            } else {
                cubic + 0.5 * (quadratic - cubic)
            }
        } else if opposite_slopes {
            self.bracketed = true;
            let cubic = cubic_minimiser(&x, &t).unwrap_or(midpoint);
            let secant = finite_or(secant(&x, &t), midpoint);
            if (cubic - t.alpha).abs() > (secant - t.alpha).abs() {
                cubic
            } else {
                secant
            }
        } else if t.dphi.abs() < x.dphi.abs() {
            let cubic = cubic_minimiser(&x, &t)
                .filter(|c| (c - t.alpha) * (t.alpha - x.alpha) > 0.0)
                .unwrap_or(limit);
            let secant = finite_or(secant(&x, &t), limit);
            let nearer_cubic = (cubic - t.alpha).abs() < (secant - t.alpha).abs();
            if self.bracketed {
                let step = if nearer_cubic { cubic } else { secant };
                let cap = t.alpha + SHRINK * (self.y.alpha - t.alpha);
                if forward {
                    step.min(cap)
                } else {
                    step.max(cap)
                }
            } else {
                let step = if nearer_cubic { secant } else { cubic };
                step.clamp(lo, hi)
            }
        } else if self.bracketed {
            let y = self.y;
            cubic_minimiser(&t, &y).unwrap_or(0.5 * (t.alpha + y.alpha))
        } else {
            limit
        };
        if higher {
            self.y = t;
        } else {
            if opposite_slopes {
                self.y = x;
            }
            self.x = t;
        }
        next
    }
}

impl LineSearch for MoreThuente {
    fn search(
        &self,
        objective: &dyn Objective,
        start: &Point,
        p: &[f64],
        alpha0: f64,
    ) -> Result<Step, LineSearchFailure> {
        let (line, slope) = Line::along(objective, start, p)?;
        let origin = Sample {
            alpha: 0.0,
            phi: start.f,
            dphi: slope,
        };
        let noise = round_off(start.f);
        let mut interval = Interval {
            x: origin,
            y: origin,
            bracketed: false,
            noise,
        };
        // Stage one works on ψ, until a step with sufficient decrease and φ' ≥ 0.
        let mut stage_one = true;
        let mut alpha = alpha0.min(self.alpha_max);
        let (mut lo, mut hi) = (0.0, (1.0 + EXTRAPOLATE.1) * alpha);
        let (mut width, mut width_before) = (self.alpha_max, 2.0 * self.alpha_max);
        let mut best = None;
        for _ in 0..self.max_evals {
            let trial = line.eval(alpha);
            let t = trial.sample();
            let decrease = sufficient_decrease(self.c1, start, slope, &t);
            if decrease && t.dphi.abs() <= -self.c2 * slope {
                return Ok(Step {
                    alpha,
                    point: trial.point,
                });
            }
            if alpha >= self.alpha_max && decrease && t.dphi < 0.0 {
                // Still downhill at the largest step allowed (a bound, for
                // L-BFGS-B): the step is taken, as MINPACK-2's search does.
                return Ok(Step {
                    alpha,
                    point: trial.point,
                });
            }
            keep_best(&mut best, start, trial);
            stage_one = stage_one && !(decrease && t.dphi >= 0.0);
            // In stage one, a lower value without sufficient decrease is
            // interpolated on ψ, φ tilted by c1 φ'(0).
            let tilt = if stage_one && !lower(&t, &interval.x, noise) && !decrease {
                self.c1 * slope
            } else {
                0.0
            };
            let mut tilted = Interval {
                x: interval.x.tilted(tilt),
                y: interval.y.tilted(tilt),
                ..interval
            };
            let mut next = tilted.update(t.tilted(tilt), lo, hi);
            interval = Interval {
                x: tilted.x.tilted(-tilt),
                y: tilted.y.tilted(-tilt),
                ..tilted
            };
            let (x, y) = (interval.x.alpha, interval.y.alpha);
            if interval.bracketed {
                if (y - x).abs() >= SHRINK * width_before {
                    next = x + 0.5 * (y - x);
                }
                width_before = width;
                width = (y - x).abs();
                (lo, hi) = (x.min(y), x.max(y));
            } else {
                (lo, hi) = (
                    next + EXTRAPOLATE.0 * (next - x),
                    next + EXTRAPOLATE.1 * (next - x),
                );
            }
            alpha = next.clamp(0.0, self.alpha_max);
            let collapsed = hi - lo <= self.xtol * hi || line.negligible(hi - lo);
            if interval.bracketed && (alpha <= lo || alpha >= hi || collapsed) {
                break;
            }
        }
        Err(failure(&line, LineSearchError::NoProgress, best))
    }
}
