//! Limited-memory BFGS with the two-loop recursion (Nocedal & Wright,
//! Algorithms 7.4 and 7.5; Liu & Nocedal 1989).

use std::collections::VecDeque;

use super::bfgs::curvature_pair;
use super::run::{solve, Order};
use super::{Minimizer, Observer, Options, Report};
use crate::line_search::{LineSearch, LineSearchMethod, StrongWolfe};
use crate::linop::{axpy, dot, norm};
use crate::objective::{Objective, Point};
use crate::settings::{at_least_one, non_negative, SettingsError};

/// L-BFGS: the BFGS direction from the last `m` pairs `(s, y)`, in `O(mn)`
/// memory and work, with the initial matrix `(sᵀy / yᵀy) I` from the newest
/// pair. A pair with `sᵀy ≤ curvature_eps · ‖s‖‖y‖` is skipped.
///
/// ```
/// use optim::objective::AutodiffObjective;
/// use optim::solvers::{Lbfgs, Minimizer, Options, Status};
/// let f = AutodiffObjective::new(100, |x| (x.exp() - x).sum());
/// let r = Lbfgs::default().minimize(&f, &vec![1.0; 100], &Options::default());
/// assert_eq!(r.status, Status::GradientTolerance);
/// assert!(r.x.iter().all(|v| v.abs() < 1e-8));
/// ```
#[derive(Clone, Debug)]
pub struct Lbfgs {
    /// The number of pairs kept, `m` (default 10).
    pub history: usize,
    /// The line search (default: strong Wolfe, `c1 = 1e-4`, `c2 = 0.9`).
    pub line_search: LineSearchMethod,
    /// Pairs with `sᵀy ≤ curvature_eps · ‖s‖‖y‖` are skipped (default 1e-10).
    pub curvature_eps: f64,
}

impl Default for Lbfgs {
    fn default() -> Self {
        Lbfgs {
            history: 10,
            line_search: LineSearchMethod::StrongWolfe(StrongWolfe::default()),
            curvature_eps: 1e-10,
        }
    }
}

/// A curvature pair with `ρ = 1 / sᵀy`.
struct Pair {
    s: Vec<f64>,
    y: Vec<f64>,
    rho: f64,
}

/// `−H g` by the two-loop recursion (Algorithm 7.4), oldest pair first in `pairs`.
fn two_loop(pairs: &VecDeque<Pair>, g: &[f64]) -> Vec<f64> {
    let mut q: Vec<f64> = g.iter().map(|v| -v).collect();
    let mut alphas = Vec::with_capacity(pairs.len());
    for pair in pairs.iter().rev() {
        let a = pair.rho * dot(&pair.s, &q);
        axpy(-a, &pair.y, &mut q);
        alphas.push(a);
    }
    if let Some(newest) = pairs.back() {
        let gamma = 1.0 / (newest.rho * dot(&newest.y, &newest.y));
        q.iter_mut().for_each(|v| *v *= gamma);
    }
    for (pair, a) in pairs.iter().zip(alphas.iter().rev()) {
        let b = pair.rho * dot(&pair.y, &q);
        axpy(a - b, &pair.s, &mut q);
    }
    q
}

impl Lbfgs {
    /// Checks the settings: at least one pair kept, the line search's, and
    /// `curvature_eps ≥ 0`.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        at_least_one("Lbfgs::history", self.history)?;
        self.line_search.validate()?;
        non_negative("Lbfgs::curvature_eps", self.curvature_eps)
    }
}

impl Minimizer for Lbfgs {
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
                let mut pairs: VecDeque<Pair> = VecDeque::with_capacity(self.history);
                loop {
                    run.check_budget(&x)?;
                    let p = two_loop(&pairs, &x.g);
                    // Before any curvature is known, the first step moves by at most 1.
                    let alpha0 = if pairs.is_empty() {
                        (1.0 / norm(&x.g)).min(1.0)
                    } else {
                        1.0
                    };
                    let next: Point = self
                        .line_search
                        .search(run.objective(), &x, &p, alpha0)
                        .map_err(|e| run.line_search_failed(&x, e))?
                        .point;
                    let pair = curvature_pair(&x, &next, self.curvature_eps);
                    if let Some((s, y, sy)) = pair.filter(|_| self.history > 0) {
                        if pairs.len() == self.history {
                            pairs.pop_front();
                        }
                        pairs.push_back(Pair {
                            s,
                            y,
                            rho: 1.0 / sy,
                        });
                    }
                    x = run.advance(&x, next)?;
                }
            },
        )
    }
}
