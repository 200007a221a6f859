//! The trust-region iteration shared by the Steihaug and exact-subproblem
//! solvers (Nocedal & Wright, Algorithm 4.1).

use std::convert::Infallible;

use super::run::{Flow, Run};
use super::Status;
use crate::line_search::{round_off, step_from};
use crate::linop::{dot, norm};
use crate::objective::{Objective, Point};
use crate::settings::{holds, positive, SettingsError};

/// Radius settings, shared by the trust-region solvers.
#[derive(Clone, Debug)]
pub struct TrustRadius {
    /// Initial radius `Δ0` (default 1).
    pub delta0: f64,
    /// Largest radius (default 1e10).
    pub delta_max: f64,
    /// A step is taken when the actual reduction is more than `eta` times
    /// the predicted one (default 0.15).
    pub eta: f64,
}

impl TrustRadius {
    /// Checks the settings: `0 < delta0 ≤ delta_max` (finite), `eta` in `[0, 1/4)`.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        positive("TrustRadius::delta_max", self.delta_max)?;
        let rule = format!("in (0, delta_max = {}]", self.delta_max);
        holds(
            "TrustRadius::delta0",
            &rule,
            self.delta0,
            self.delta0 > 0.0 && self.delta0 <= self.delta_max,
        )?;
        holds(
            "TrustRadius::eta",
            "in [0, 0.25)",
            self.eta,
            (0.0..0.25).contains(&self.eta),
        )
    }
}

impl Default for TrustRadius {
    fn default() -> Self {
        TrustRadius {
            delta0: 1.0,
            delta_max: 1e10,
            eta: 0.15,
        }
    }
}

/// An approximate minimiser `p` of the model `m(p) = f + ∇fᵀp + ½ pᵀHp`
/// over `‖p‖ ≤ Δ`, with `Hp` and whether it lies on the boundary.
pub(crate) struct ModelStep {
    pub(crate) p: Vec<f64>,
    pub(crate) hp: Vec<f64>,
    pub(crate) on_boundary: bool,
}

/// Runs Algorithm 4.1 with `solve(objective, x, Δ)` as the subproblem
/// solver (which ends the run with its status when it cannot proceed).
///
/// `Δ` shrinks to `min(Δ/4, ‖p‖/2)` when the reduction ratio is below 1/4 and doubles
/// (up to `delta_max`) when it is above 3/4 with the step on the boundary.
/// A trial costs one value; the gradient is evaluated only for a step taken.
pub(crate) fn iterate(
    run: &mut Run,
    mut x: Point,
    radius: &TrustRadius,
    mut solve: impl FnMut(&dyn Objective, &Point, f64) -> Result<ModelStep, Status>,
) -> Flow<Infallible> {
    let mut delta = radius.delta0;
    loop {
        run.check_budget(&x)?;
        let step = solve(run.objective(), &x, delta).map_err(|status| run.fail(None, status))?;
        let trial_x = run.feasible(step_from(&x.x, 1.0, &step.p));
        let trial_f = run.objective().value(&trial_x);
        let predicted = -(dot(&x.g, &step.p) + 0.5 * dot(&step.p, &step.hp));
        // Near a minimiser both reductions sink to the round-off of f, where
        // the measured one is noise; shifting both by that level makes the
        // ratio tend to 1 there instead of to a random value.
        let noise = round_off(x.f);
        let rho = if trial_f.is_finite() && predicted > 0.0 {
            (x.f - trial_f + noise) / (predicted + noise)
        } else {
            f64::NEG_INFINITY
        };
        let p_norm = norm(&step.p);
        if rho < 0.25 {
            // A quarter of the radius, and below half the rejected step so
            // that the next subproblem cannot return it again.
            delta = (0.25 * delta).min(0.5 * p_norm);
        } else if rho > 0.75 && step.on_boundary {
            delta = (2.0 * delta).min(radius.delta_max);
        }
        if rho > radius.eta {
            let g = run.objective().grad(&trial_x);
            let trial = Point {
                x: trial_x,
                f: trial_f,
                g,
            };
            x = run.advance(&x, trial)?;
        } else if delta <= f64::EPSILON * (1.0 + norm(&x.x)) {
            return Err(run.fail(None, Status::TrustRegionCollapsed).into());
        }
    }
}
