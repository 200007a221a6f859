//! Newton's method with the exact Hessian: the modified Newton method with
//! a line search (Nocedal & Wright, Algorithm 3.2 with the added multiple of
//! the identity of §3.4, Algorithm 3.3), and the plain undamped iteration.

use nalgebra::{DMatrix, DVector};

use super::run::{solve, Order};
use super::{Minimizer, Observer, Options, Report, Status};
use crate::line_search::{round_off, step_from, LineSearchError, LineSearchFailure};
use crate::line_search::{LineSearch, LineSearchMethod, StrongWolfe};
use crate::linop::{dot, DenseMatrix, LinearOperator};
use crate::objective::{Objective, Point};
use crate::settings::{positive, SettingsError};

/// The factor by which a shift that left `∇²f + τI` indefinite grows.
/// From a floor near round-off, doubling (N&W's choice) took up to 27
/// factorisations and, on the MGH problems, more iterations (2 160 against
/// 504 over the 23 standard starts): a shift that overshoots by up to 10×
/// only shortens a step taken far from the minimiser.
const GROWTH: f64 = 10.0;

/// Newton's method: solve `(∇²f + τI) p = −∇f` and search along `p`.
///
/// With `modify`, `τ ≥ 0` is the first of `0, τ₀, 10τ₀, 100τ₀, …` for
/// which the Cholesky factorisation succeeds, so `p` is a descent
/// direction; `τ₀ = β‖∇²f‖_F` (plus `−min diag` when a diagonal entry is
/// not positive), a shift relative to the Hessian's own scale (Nocedal &
/// Wright, Algorithm 3.3, with their absolute `β = 10⁻³` made relative and
/// near round-off: an absolute shift swamps a Hessian of tiny entries, and
/// Newton then crawls like gradient descent). With [`Newton::undamped`], `τ = 0`, the system is
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
    /// The smallest shift tried, relative to `‖∇²f‖_F` (default 1e-8, about
    /// `√ε`: softmax regression on iris without L2 took 18 iterations, 716
    /// with 1e-3 relative; 11 815 with N&W's absolute 1e-3 as reported in
    /// issue 18).
    pub beta: f64,
}

impl Default for Newton {
    fn default() -> Self {
        Newton {
            line_search: Some(LineSearchMethod::StrongWolfe(StrongWolfe::default())),
            modify: true,
            beta: 1e-8,
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
        // The shifts are relative to the Hessian's scale, so that a Hessian
        // of tiny entries (a flat region, a separable classifier) is not
        // swamped by an absolute shift.
        let scale = h.norm();
        let floor = if scale > 0.0 {
            self.beta * scale
        } else {
            self.beta
        };
        let min_diag = h.diagonal().min();
        let mut tau = if min_diag > 0.0 {
            0.0
        } else {
            floor - min_diag
        };
        // NOTE: τ grows geometrically, so 1100 tries cover any finite shift before τ overflows.
        for _ in 0..1100 {
            let shifted = &h + DMatrix::identity(n, n) * tau;
            if let Some(chol) = shifted.cholesky() {
                return Ok(chol.solve(&rhs).as_slice().to_vec());
            }
            tau = (GROWTH * tau).max(floor);
        }
        Err(Status::NonFinite)
    }
}

impl Newton {
    /// Checks the settings: the line search's, if there is one, and `beta`
    /// finite and positive.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if let Some(search) = &self.line_search {
            search.validate()?;
        }
        positive("Newton::beta", self.beta)
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
            self.validate(),
            |mut run, mut x| {
                loop {
                    run.check_budget(&x)?;
                    let h = run.objective().hessian(&x.x);
                    let p = self
                        .direction(&h, &x.g)
                        .map_err(|status| run.fail(None, status))?;
                    let next = match &self.line_search {
                        None => Point::at(run.objective(), step_from(&x.x, 1.0, &p)),
                        Some(ls) => {
                            let curvature = dot(&p, &h.apply(&p));
                            match ls.search_with_curvature(run.objective(), &x, &p, 1.0, curvature)
                            {
                                Ok(step) => step.point,
                                // Newton needs only a decrease, not the Wolfe
                                // curvature condition: a search that found a
                                // clearly lower point but not a Wolfe step (a
                                // long step into a flat region) moves there.
                                Err(LineSearchFailure {
                                    error: LineSearchError::NoProgress,
                                    best: Some(best),
                                }) if best.f < x.f - round_off(x.f) => best,
                                Err(e) => return Err(run.line_search_failed(&x, e).into()),
                            }
                        }
                    };
                    x = run.advance(&x, next)?;
                }
            },
        )
    }
}
