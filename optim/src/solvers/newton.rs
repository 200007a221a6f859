//! Newton's method with the exact Hessian: the modified Newton method with
//! a line search (Nocedal & Wright, Algorithm 3.2 with the added multiple of
//! the identity of §3.4, Algorithm 3.3), and the plain undamped iteration.

use nalgebra::{DMatrix, DVector};

use super::run::{solve, Order};
use super::{Minimizer, Observer, Options, Report, Status};
use crate::line_search::step_from;
use crate::line_search::{LineSearch, LineSearchMethod, StrongWolfe};
use crate::linop::{dot, DenseMatrix, LinearOperator};
use crate::objective::{Objective, Point};

/// Newton's method: solve `(∇²f + τI) p = −∇f` and search along `p`.
///
/// With `modify`, `τ ≥ 0` is the smallest of `0, β, 2β, 4β, …` (starting
/// above `−min diag`) for which the Cholesky factorisation succeeds, so `p`
/// is a descent direction. With [`Newton::undamped`], `τ = 0`, the system is
/// solved by LU and the full step is taken, with no safeguard: the
/// iteration users study, which may diverge or head for a saddle.
///
/// ```
/// use optim::objective::AutodiffObjective;
/// use optim::solvers::{Minimizer, Newton, Options, Status};
/// // A strictly convex quadratic: one Newton step lands on the minimiser.
/// let f = AutodiffObjective::new(2, |x| (x.square() * x.tape().constant(autodiff::Tensor::vector(vec![1.0, 100.0]))).sum());
/// let r = Newton::undamped().minimize(&f, &[1.0, 1.0], &Options::default());
/// assert_eq!((r.status, r.iterations), (Status::GradientTolerance, 1));
/// ```
#[derive(Clone, Debug)]
pub struct Newton {
    /// The line search; `None` takes the full step (default: strong Wolfe from
    /// `α = 1`, which needed fewer Hessians than Armijo backtracking on the
    /// standard problems: see the README). It is given `pᵀ∇²f p` from the
    /// Hessian at hand, so a trial it rejects costs a value and no gradient.
    pub line_search: Option<LineSearchMethod>,
    /// Add a multiple of the identity when the Hessian is not positive
    /// definite (default true).
    pub modify: bool,
    /// The smallest shift `β` tried (default 1e-3, as Nocedal & Wright).
    pub beta: f64,
}

impl Default for Newton {
    fn default() -> Self {
        Newton {
            line_search: Some(LineSearchMethod::StrongWolfe(StrongWolfe::default())),
            modify: true,
            beta: 1e-3,
        }
    }
}

impl Newton {
    /// The plain Newton iteration `x ← x − ∇²f(x)⁻¹ ∇f(x)`: full steps, no modification.
    pub fn undamped() -> Self {
        Newton {
            line_search: None,
            modify: false,
            ..Newton::default()
        }
    }

    /// The Newton direction, or the status that ends the run.
    fn direction(&self, h: &DenseMatrix, g: &[f64]) -> Result<Vec<f64>, Status> {
        let n = g.len();
        if h.data().iter().any(|v| !v.is_finite()) {
            return Err(Status::NonFinite);
        }
        let rhs = DVector::from_iterator(n, g.iter().map(|v| -v));
        let h = DMatrix::from_row_slice(n, n, h.data());
        if !self.modify {
            return h
                .lu()
                .solve(&rhs)
                .filter(|p| p.iter().all(|v| v.is_finite()))
                .map(|p| p.as_slice().to_vec())
                .ok_or(Status::SingularHessian);
        }
        let min_diag = h.diagonal().min();
        let mut tau = if min_diag > 0.0 {
            0.0
        } else {
            self.beta - min_diag
        };
        // NOTE: τ doubles, so 1100 tries cover any finite shift before τ overflows.
        for _ in 0..1100 {
            let shifted = &h + DMatrix::identity(n, n) * tau;
            if let Some(chol) = shifted.cholesky() {
                return Ok(chol.solve(&rhs).as_slice().to_vec());
            }
            tau = (2.0 * tau).max(self.beta);
        }
        Err(Status::NonFinite)
    }
}

impl Minimizer for Newton {
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
            Order::Second,
            |mut run, mut x| loop {
                run.check_budget(&x)?;
                let h = run.objective().hessian(&x.x);
                let p = self
                    .direction(&h, &x.g)
                    .map_err(|status| run.fail(None, status))?;
                let next = match &self.line_search {
                    None => Point::at(run.objective(), step_from(&x.x, 1.0, &p)),
                    Some(ls) => {
                        let curvature = dot(&p, &h.apply(&p));
                        ls.search_with_curvature(run.objective(), &x, &p, 1.0, curvature)
                            .map_err(|e| run.line_search_failed(&x, e))?
                            .point
                    }
                };
                x = run.advance(&x, next)?;
            },
        )
    }
}
