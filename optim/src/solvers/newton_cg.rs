//! Line-search Newton–CG, also called truncated Newton (Nocedal & Wright,
//! Algorithm 7.1).

use super::run::{solve, Order};
use super::{Minimizer, Observer, Options, Report, Status};
use crate::cg::{conjugate_gradient, CgParams, CgStatus, NegativeCurvature};
use crate::curvature::{NystromParams, NystromSketch};
use crate::line_search::{LineSearch, LineSearchMethod, StrongWolfe};
use crate::linop::{axpy, dot, norm};
use crate::objective::{HessianAt, Objective};
use crate::settings::{at_least_one, SettingsError};

/// Newton–CG: CG on `∇²f p = −∇f` with H·v products only, stopped when the
/// residual is below `η‖∇f‖` with the forcing term `η = min(0.5, √‖∇f‖)`
/// (superlinear convergence), or on the first direction of non-positive
/// curvature (then the last CG iterate plus that direction, turned downhill
/// and stretched to its natural length: see the crate's README, "Far
/// starts"); then a line search from `α = 1`.
///
/// ```
/// use optim::objective::AutodiffObjective;
/// use optim::solvers::{Minimizer, NewtonCg, Options, Status};
/// let f = AutodiffObjective::new(50, |x| (x.exp() - x).sum() + x.sum().square());
/// let r = NewtonCg::default().minimize(&f, &vec![1.0; 50], &Options::default());
/// assert_eq!(r.status, Status::GradientTolerance);
/// assert_eq!(r.counts.hessian, 0); // only H·v products
/// ```
#[derive(Clone, Debug)]
pub struct NewtonCg {
    /// The line search (default: strong Wolfe, `c1 = 1e-4`, `c2 = 0.9`).
    pub line_search: LineSearchMethod,
    /// CG iteration limit per step (default: the dimension).
    pub max_cg: Option<usize>,
    /// Precondition each step's CG with a Nyström sketch of the Hessian at
    /// the iterate (Frangella, Tropp & Udell 2021; `rank` products per
    /// step, in blocks of lanes). Where the sketch cannot be built — the
    /// Hessian is not positive semi-definite there, or its sketch is
    /// singular — the step runs plain CG. Default: none.
    pub nystrom: Option<NystromParams>,
}

impl Default for NewtonCg {
    fn default() -> Self {
        NewtonCg {
            line_search: LineSearchMethod::StrongWolfe(StrongWolfe::default()),
            max_cg: None,
            nystrom: None,
        }
    }
}

/// The most a direction of negative curvature is stretched (see
/// [`along_negative_curvature`]): far enough to leave a plateau, not so far
/// that the first trial of the line search overflows.
const MAX_STRETCH: f64 = 1e3;

/// The CG iterate `z` before a direction `d` of non-positive curvature,
/// plus `d` turned downhill (`∇fᵀd ≤ 0`): along `d` the quadratic model
/// falls without bound, so the line search may go far (Gould, Lucidi, Roma
/// & Toint 2000). When `d` is CG's first direction, `−∇f`, and `z = 0`, this
/// is the steepest-descent step.
///
/// CG's `d` has the length of its residual, which says nothing about how
/// far to go: near a saddle on a plateau both are tiny and a unit step
/// along `d` crawls (Biggs EXP6 from 100× its start took 20 000 such steps).
/// The natural length along `d` is `‖∇f‖ / |κ|`, with `κ = dᵀHd/‖d‖²` the
/// curvature: the distance over which the negative curvature changes the
/// slope by the gradient's size. `d` is stretched to it when it is shorter
/// (by at most [`MAX_STRETCH`]), and left alone when the curvature is
/// strong enough that it is already that long.
fn along_negative_curvature(mut z: Vec<f64>, negative: &NegativeCurvature, g: &[f64]) -> Vec<f64> {
    let d = &negative.direction;
    let d_norm = norm(d);
    let kappa = negative.curvature.abs() / (d_norm * d_norm);
    let natural_length = norm(g) / kappa;
    let stretch = (natural_length / d_norm).clamp(1.0, MAX_STRETCH);
    let downhill = if dot(g, d) > 0.0 { -1.0 } else { 1.0 };
    axpy(downhill * stretch, d, &mut z);
    z
}

impl NewtonCg {
    /// Checks the settings: the line search's, and a CG limit of at least one.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.line_search.validate()?;
        self.max_cg
            .map_or(Ok(()), |m| at_least_one("NewtonCg::max_cg", m))
    }
}

impl Minimizer for NewtonCg {
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
            |mut run, mut x| loop {
                run.check_budget(&x)?;
                let g_norm = norm(&x.g);
                let params = CgParams {
                    rel_tol: g_norm.sqrt().min(0.5),
                    abs_tol: 0.0,
                    max_iter: self.max_cg,
                };
                let minus_g: Vec<f64> = x.g.iter().map(|v| -v).collect();
                let hessian = HessianAt::new(run.objective(), &x.x);
                let sketch = self
                    .nystrom
                    .as_ref()
                    .and_then(|settings| NystromSketch::new(&hessian, settings).ok());
                let m_inv = sketch.as_ref().and_then(|s| s.preconditioner(0.0).ok());
                let info = conjugate_gradient(&hessian, &minus_g, None, m_inv.as_ref(), &params);
                let p = match info.status {
                    CgStatus::NonFinite => return Err(run.fail(None, Status::NonFinite).into()),
                    CgStatus::ZeroRhs => minus_g,
                    CgStatus::NonPositiveCurvature => match info.negative_direction {
                        Some(d) => along_negative_curvature(info.x, &d, &x.g),
                        None => minus_g,
                    },
                    _ => info.x,
                };
                let next = self
                    .line_search
                    .search(run.objective(), &x, &p, 1.0)
                    .map_err(|e| run.line_search_failed(&x, e))?
                    .point;
                x = run.advance(&x, next)?;
            },
        )
    }
}
