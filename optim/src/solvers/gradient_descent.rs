//! Gradient descent (steepest descent), with a fixed step or a line search
//! (Nocedal & Wright §3.1–3.3; initial step by (3.60)).

use super::run::{solve, Order};
use super::{Minimizer, Observer, Options, Report};
use crate::line_search::step_from;
use crate::line_search::{Armijo, LineSearch, LineSearchMethod};
use crate::linop::{dot, norm_inf};
use crate::objective::{Objective, Point};
use crate::settings::{positive, SettingsError};

/// How long each gradient step is.
#[derive(Clone, Debug)]
pub enum StepRule {
    /// `x ← x − lr ∇f(x)`; converges for `lr < 2/L` on an `L`-smooth function.
    Fixed(f64),
    /// A line search along `−∇f(x)`, starting from the step that would give
    /// the same first-order decrease as the last one.
    LineSearch(LineSearchMethod),
}

/// Gradient descent.
///
/// ```
/// use optim::objective::AutodiffObjective;
/// use optim::solvers::{GradientDescent, Minimizer, Options, Status};
/// let f = AutodiffObjective::new(2, |x| (x.square() * 0.5).sum());
/// let r = GradientDescent::fixed(0.5).minimize(&f, &[1.0, -2.0], &Options::default());
/// assert_eq!(r.status, Status::GradientTolerance);
/// ```
#[derive(Clone, Debug)]
pub struct GradientDescent {
    /// The step rule (default: Armijo backtracking).
    pub step: StepRule,
}

impl Default for GradientDescent {
    fn default() -> Self {
        GradientDescent {
            step: StepRule::LineSearch(LineSearchMethod::Armijo(Armijo::default())),
        }
    }
}

impl GradientDescent {
    /// Gradient descent with the fixed step `lr`.
    pub fn fixed(lr: f64) -> Self {
        GradientDescent {
            step: StepRule::Fixed(lr),
        }
    }

    /// Gradient descent with a line search.
    pub fn with_line_search(line_search: LineSearchMethod) -> Self {
        GradientDescent {
            step: StepRule::LineSearch(line_search),
        }
    }
}

impl GradientDescent {
    /// Checks the settings: a fixed step must be finite and positive, a
    /// line search's settings must pass its check.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        match &self.step {
            StepRule::Fixed(lr) => positive("GradientDescent::step (fixed)", *lr),
            StepRule::LineSearch(search) => search.validate(),
        }
    }
}

impl Minimizer for GradientDescent {
    fn minimize_observed(
        &self,
        objective: &dyn Objective,
        x0: &[f64],
        options: &Options,
        observer: &mut dyn Observer,
    ) -> Report {
        solve(
            objective,
            x0,
            options,
            observer,
            Order::First,
            self.validate(),
            |mut run, mut x| {
                // First trial step: a unit move in the largest coordinate.
                let mut alpha0 = 1.0 / norm_inf(&x.g);
                loop {
                    run.check_budget(&x)?;
                    let p: Vec<f64> = x.g.iter().map(|g| -g).collect();
                    let next = match &self.step {
                        StepRule::Fixed(lr) => Point::at(run.objective(), step_from(&x.x, *lr, &p)),
                        StepRule::LineSearch(ls) => {
                            let step = ls
                                .search(run.objective(), &x, &p, alpha0)
                                .map_err(|e| run.line_search_failed(&x, e))?;
                            // N&W (3.60): α0 ← α ∇f_kᵀp_k / ∇f_{k+1}ᵀp_{k+1}.
                            alpha0 =
                                step.alpha * dot(&x.g, &x.g) / dot(&step.point.g, &step.point.g);
                            step.point
                        }
                    };
                    x = run.advance(&x, next)?;
                }
            },
        )
    }
}
