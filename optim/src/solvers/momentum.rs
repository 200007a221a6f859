//! Heavy-ball momentum (Polyak 1964) and Nesterov's accelerated gradient
//! (Nesterov 1983, in the form of Sutskever et al. 2013).

use super::run::{solve, Order};
use super::{Minimizer, Observer, Options, Report};
use crate::line_search::step_from;
use crate::objective::{Objective, Point};
use crate::settings::{fraction, positive, SettingsError};

/// Which momentum method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MomentumKind {
    /// `x_{k+1} = x_k − lr ∇f(x_k) + β (x_k − x_{k−1})`.
    HeavyBall,
    /// `y_k = x_k + β (x_k − x_{k−1})`, `x_{k+1} = y_k − lr ∇f(y_k)`; the
    /// gradient is taken at the look-ahead point `y_k`, which is also the
    /// point the run reports and tests.
    Nesterov,
}

/// Gradient descent with momentum and a fixed step.
///
/// On a quadratic with eigenvalues in `[μ, L]`, heavy ball with
/// `lr = 4/(√L + √μ)²`, `β = ((√κ − 1)/(√κ + 1))²` converges at the rate
/// `(√κ − 1)/(√κ + 1)`, against `(κ − 1)/(κ + 1)` for gradient descent.
///
/// ```
/// use optim::objective::AutodiffObjective;
/// use optim::solvers::{Minimizer, Momentum, MomentumKind, Options, Status};
/// let f = AutodiffObjective::new(2, |x| (x.square() * 0.5).sum());
/// let nag = Momentum { lr: 0.5, beta: 0.5, kind: MomentumKind::Nesterov };
/// assert_eq!(nag.minimize(&f, &[1.0, -2.0], &Options::default()).status, Status::GradientTolerance);
/// ```
#[derive(Clone, Debug)]
pub struct Momentum {
    /// The step `lr` (default 1e-2).
    pub lr: f64,
    /// The momentum `β` (default 0.9).
    pub beta: f64,
    /// Heavy ball or Nesterov (default heavy ball).
    pub kind: MomentumKind,
}

impl Default for Momentum {
    fn default() -> Self {
        Momentum {
            lr: 1e-2,
            beta: 0.9,
            kind: MomentumKind::HeavyBall,
        }
    }
}

impl Momentum {
    /// Checks the settings: `lr` finite and positive, `β` in `[0, 1)`.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        positive("Momentum::lr", self.lr)?;
        fraction("Momentum::beta", self.beta)
    }
}

impl Minimizer for Momentum {
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
            |mut run, mut y| {
                // `prev` is x_{k−1}; both methods are "gradient step, then add β times
                // the last move of the anchor" (the iterate x_k for heavy ball, the
                // gradient-step point for Nesterov).
                let mut prev = x0.to_vec();
                loop {
                    run.check_budget(&y)?;
                    let base = step_from(&y.x, -self.lr, &y.g);
                    let anchor = match self.kind {
                        MomentumKind::HeavyBall => y.x.clone(),
                        MomentumKind::Nesterov => base.clone(),
                    };
                    let next: Vec<f64> = base
                        .iter()
                        .zip(anchor.iter().zip(&prev))
                        .map(|(b, (a, p))| b + self.beta * (a - p))
                        .collect();
                    prev = anchor;
                    let next = Point::at(run.objective(), next);
                    y = run.advance(&y, next)?;
                }
            },
        )
    }
}
