//! Trust-region Newton with the Steihaug–Toint truncated CG subproblem
//! solver, which needs only Hessian-vector products (Nocedal & Wright,
//! Algorithms 4.1 and 7.2).

use super::region::{iterate, ModelStep, TrustRadius};
use super::run::{solve, Order};
use super::{Minimizer, Observer, Options, Report, Status};
use crate::cg::CgIteration;
use crate::line_search::step_from;
use crate::linop::{axpy, dot, norm, DenseMatrix};
use crate::objective::{HessianAt, Objective, Point};
use crate::settings::{at_least_one, SettingsError};

/// Trust-region Newton–CG (Steihaug).
///
/// Each iteration approximately minimises the model
/// `m(p) = f + ∇fᵀp + ½ pᵀ∇²f p` over `‖p‖ ≤ Δ` by CG from `p = 0`, stopping
/// at the boundary, on negative curvature, or when the residual is below
/// `min(0.5, √‖∇f‖)‖∇f‖`; the radius is managed as [`TrustRadius`] says.
///
/// ```
/// use optim::objective::AutodiffObjective;
/// use optim::solvers::{Minimizer, Options, Status, TrustRegion};
/// let f = AutodiffObjective::new(2, |x| {
///     let (a, b) = (x.slice(0, 0, 1), x.slice(0, 1, 2));
///     ((b - a.square()).square() * 100.0 + (1.0 - a).square()).sum()
/// });
/// let r = TrustRegion::default().minimize(&f, &[-1.2, 1.0], &Options::default());
/// assert_eq!(r.status, Status::GradientTolerance);
/// assert_eq!(r.counts.hessian, 0); // only H·v products
/// ```
#[derive(Clone, Debug, Default)]
pub struct TrustRegion {
    /// Radius settings.
    pub radius: TrustRadius,
    /// CG iteration limit per subproblem (default: the dimension).
    pub max_cg: Option<usize>,
}

/// The `τ ≥ 0` with `‖z + τ d‖ = Δ`.
fn to_boundary(z: &[f64], d: &[f64], delta: f64) -> f64 {
    let (a, b, c) = (dot(d, d), 2.0 * dot(z, d), dot(z, z) - delta * delta);
    (-b + (b * b - 4.0 * a * c).max(0.0).sqrt()) / (2.0 * a)
}

impl TrustRegion {
    /// Algorithm 7.2 (CG–Steihaug) on `∇²f p = −∇f`; `None` when a
    /// product is not finite.
    fn steihaug(&self, objective: &dyn Objective, x: &Point, delta: f64) -> Option<ModelStep> {
        let n = x.x.len();
        let g_norm = norm(&x.g);
        let tol = g_norm.sqrt().min(0.5) * g_norm;
        let minus_g: Vec<f64> = x.g.iter().map(|v| -v).collect();
        let hessian = HessianAt::new(objective, &x.x);
        let mut cg = CgIteration::new(&hessian, &minus_g, None, None::<&DenseMatrix>);
        // H z, kept alongside the iterate z for the model's value.
        let mut hz = vec![0.0; n];
        for _ in 0..self.max_cg.unwrap_or(n).max(1) {
            let probe = cg.probe();
            if !probe.curvature.is_finite() {
                return None;
            }
            let alpha = cg.step_length(&probe);
            let next_norm = norm(&step_from(cg.x(), alpha, cg.direction()));
            if probe.curvature <= 0.0 || next_norm >= delta {
                let d = cg.direction().to_vec();
                let mut z = cg.into_x();
                let tau = to_boundary(&z, &d, delta);
                axpy(tau, &d, &mut z);
                axpy(tau, &probe.ap, &mut hz);
                return Some(ModelStep {
                    p: z,
                    hp: hz,
                    on_boundary: true,
                });
            }
            axpy(alpha, &probe.ap, &mut hz);
            cg.advance(&probe);
            if cg.residual_product().sqrt() < tol {
                break;
            }
        }
        Some(ModelStep {
            p: cg.into_x(),
            hp: hz,
            on_boundary: false,
        })
    }
}

impl TrustRegion {
    /// Checks the settings: the radius's, and a CG limit of at least one.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.radius.validate()?;
        self.max_cg
            .map_or(Ok(()), |m| at_least_one("TrustRegion::max_cg", m))
    }
}

impl Minimizer for TrustRegion {
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
            |mut run, x| {
                iterate(&mut run, x, &self.radius, |objective, x, delta| {
                    self.steihaug(objective, x, delta).ok_or(Status::NonFinite)
                })
            },
        )
    }
}
