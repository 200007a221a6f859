//! Trust-region Newton with the Steihaug–Toint truncated CG subproblem
//! solver, which needs only Hessian-vector products (Nocedal & Wright,
//! Algorithms 4.1 and 7.2).

use super::region::{iterate, ModelStep, TrustRadius};
use super::run::solve;
use super::{Minimizer, Observer, Options, Report, Status};
use crate::line_search::step_from;
use crate::linop::{axpy, dot, norm};
use crate::objective::{Objective, Point};

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
    /// Algorithm 7.2 (CG–Steihaug); `None` when a product is not finite.
    fn steihaug(&self, objective: &dyn Objective, x: &Point, delta: f64) -> Option<ModelStep> {
        let n = x.x.len();
        let g_norm = norm(&x.g);
        let tol = g_norm.sqrt().min(0.5) * g_norm;
        let mut z = vec![0.0; n];
        let mut hz = vec![0.0; n];
        let mut r = x.g.clone();
        let mut d: Vec<f64> = r.iter().map(|v| -v).collect();
        let mut rr = dot(&r, &r);
        let boundary = |z: &mut Vec<f64>, hz: &mut Vec<f64>, d: &[f64], hd: &[f64]| {
            let tau = to_boundary(z, d, delta);
            axpy(tau, d, z);
            axpy(tau, hd, hz);
        };
        for _ in 0..self.max_cg.unwrap_or(n).max(1) {
            let hd = objective.hvp(&x.x, &d);
            let curvature = dot(&d, &hd);
            if !curvature.is_finite() {
                return None;
            }
            let alpha = rr / curvature;
            let next_norm = norm(&step_from(&z, alpha, &d));
            if curvature <= 0.0 || next_norm >= delta {
                boundary(&mut z, &mut hz, &d, &hd);
                return Some(ModelStep {
                    p: z,
                    hp: hz,
                    on_boundary: true,
                });
            }
            axpy(alpha, &d, &mut z);
            axpy(alpha, &hd, &mut hz);
            axpy(alpha, &hd, &mut r);
            let rr_next = dot(&r, &r);
            if rr_next.sqrt() < tol {
                break;
            }
            let beta = rr_next / rr;
            rr = rr_next;
            for (di, ri) in d.iter_mut().zip(&r) {
                *di = -ri + beta * *di;
            }
        }
        Some(ModelStep {
            p: z,
            hp: hz,
            on_boundary: false,
        })
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
        solve(objective, x0, options, observer, |mut run, x| {
            iterate(&mut run, x, &self.radius, |objective, x, delta| {
                self.steihaug(objective, x, delta).ok_or(Status::NonFinite)
            })
        })
    }
}
