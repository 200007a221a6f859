//! BFGS with a dense inverse-Hessian approximation (Nocedal & Wright,
//! Algorithm 6.1, with the initial scaling (6.20)).

use super::run::{solve, Order};
use super::{Minimizer, Observer, Options, Report};
use crate::line_search::{LineSearch, LineSearchMethod, StrongWolfe};
use crate::linop::{dot, norm};
use crate::objective::{Objective, Point};
use crate::settings::{non_negative, SettingsError};

/// BFGS: `p = −H ∇f` with `H ≈ ∇²f⁻¹` updated from each step `s` and
/// gradient change `y` by `H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ`, `ρ = 1/sᵀy`.
///
/// `H` starts as the identity, and is rescaled to `(sᵀy / yᵀy) I` before the
/// first update. A pair with `sᵀy ≤ curvature_eps · ‖s‖‖y‖` is skipped,
/// which keeps `H` positive definite. Memory and work per step are `O(n²)`.
///
/// ```
/// use optim::objective::AutodiffObjective;
/// use optim::solvers::{Bfgs, Minimizer, Options, Status};
/// let f = AutodiffObjective::new(3, |x| ((x - 1.0).square().sum() + x.sum().square()));
/// let r = Bfgs::default().minimize(&f, &[0.0; 3], &Options::default());
/// assert_eq!(r.status, Status::GradientTolerance);
/// ```
#[derive(Clone, Debug)]
pub struct Bfgs {
    /// The line search (default: strong Wolfe, `c1 = 1e-4`, `c2 = 0.9`).
    pub line_search: LineSearchMethod,
    /// Pairs with `sᵀy ≤ curvature_eps · ‖s‖‖y‖` are skipped (default 1e-10).
    pub curvature_eps: f64,
}

impl Default for Bfgs {
    fn default() -> Self {
        Bfgs {
            line_search: LineSearchMethod::StrongWolfe(StrongWolfe::default()),
            curvature_eps: 1e-10,
        }
    }
}

/// The dense inverse-Hessian approximation, row-major.
struct InverseHessian {
    n: usize,
    h: Vec<f64>,
    updated: bool,
}

impl InverseHessian {
    fn identity(n: usize) -> Self {
        let mut h = vec![0.0; n * n];
        for i in 0..n {
            h[i * n + i] = 1.0;
        }
        InverseHessian {
            n,
            h,
            updated: false,
        }
    }

    fn apply(&self, v: &[f64]) -> Vec<f64> {
        self.h.chunks_exact(self.n).map(|row| dot(row, v)).collect()
    }

    /// The BFGS update, expanded as
    /// `H − ρ (s (Hy)ᵀ + (Hy) sᵀ) + (ρ² yᵀHy + ρ) s sᵀ` (H symmetric).
    fn update(&mut self, s: &[f64], y: &[f64], sy: f64) {
        if !self.updated {
            let scale = sy / dot(y, y);
            self.h.iter_mut().for_each(|v| *v *= scale);
            self.updated = true;
        }
        let rho = 1.0 / sy;
        let hy = self.apply(y);
        let c = rho * rho * dot(y, &hy) + rho;
        for (i, row) in self.h.chunks_exact_mut(self.n).enumerate() {
            for (j, v) in row.iter_mut().enumerate() {
                *v += -rho * (s[i] * hy[j] + hy[i] * s[j]) + c * s[i] * s[j];
            }
        }
    }
}

/// The step `s`, the gradient change `y` and `sᵀy` from `from` to `to`, or
/// `None` when `sᵀy ≤ eps · ‖s‖‖y‖`: a pair whose curvature is not safely
/// positive would make the update indefinite (shared with L-BFGS).
pub(super) fn curvature_pair(
    from: &Point,
    to: &Point,
    eps: f64,
) -> Option<(Vec<f64>, Vec<f64>, f64)> {
    let s: Vec<f64> = to.x.iter().zip(&from.x).map(|(a, b)| a - b).collect();
    let y: Vec<f64> = to.g.iter().zip(&from.g).map(|(a, b)| a - b).collect();
    let sy = dot(&s, &y);
    (sy > eps * norm(&s) * norm(&y)).then_some((s, y, sy))
}

impl Bfgs {
    /// Checks the settings: the line search's, and `curvature_eps ≥ 0`.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.line_search.validate()?;
        non_negative("Bfgs::curvature_eps", self.curvature_eps)
    }
}

impl Minimizer for Bfgs {
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
                let mut h = InverseHessian::identity(x.x.len());
                loop {
                    run.check_budget(&x)?;
                    let p: Vec<f64> = h.apply(&x.g).iter().map(|v| -v).collect();
                    // Before any curvature is known, the first step moves by at most 1.
                    let alpha0 = if h.updated {
                        1.0
                    } else {
                        (1.0 / norm(&x.g)).min(1.0)
                    };
                    let next: Point = self
                        .line_search
                        .search(run.objective(), &x, &p, alpha0)
                        .map_err(|e| run.line_search_failed(&x, e))?
                        .point;
                    if let Some((s, y, sy)) = curvature_pair(&x, &next, self.curvature_eps) {
                        h.update(&s, &y, sy);
                    }
                    x = run.advance(&x, next)?;
                }
            },
        )
    }
}
