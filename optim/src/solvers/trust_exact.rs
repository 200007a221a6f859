//! Trust-region Newton with the exact Hessian and a nearly exact subproblem
//! solution by Cholesky factorisations (Moré & Sorensen 1983; Nocedal &
//! Wright, Algorithm 4.3).

use nalgebra::{DMatrix, DVector};

use super::region::{iterate, ModelStep, TrustRadius};
use super::run::{solve, Order};
use super::{Minimizer, Observer, Options, Report, Status};
use crate::objective::{Objective, Point};
use crate::settings::{at_least_one, between, SettingsError};

/// Trust-region Newton with the exact Hessian (scipy's `trust-exact`).
///
/// The subproblem `min ∇fᵀp + ½ pᵀ∇²f p` over `‖p‖ ≤ Δ` is solved by
/// `p(λ) = −(∇²f + λI)⁻¹∇f`: `λ = 0` when the Newton step is positive
/// definite and inside the region, otherwise the `λ ≥ max(0, −λ_min)` with
/// `‖p(λ)‖ ≈ Δ`, found by safeguarded Newton iterations on
/// `1/‖p(λ)‖ − 1/Δ`, one Cholesky factorisation each. One Hessian per
/// accepted step; a rejected step reuses it.
///
/// ```
/// use optim::objective::AutodiffObjective;
/// use optim::solvers::{Minimizer, Options, Status, TrustRegionExact};
/// let f = AutodiffObjective::new(2, |x| {
///     let (a, b) = (x.slice(0, 0, 1), x.slice(0, 1, 2));
///     ((b - a.square()).square() * 100.0 + (1.0 - a).square()).sum()
/// });
/// let r = TrustRegionExact::default().minimize(&f, &[-1.2, 1.0], &Options::default());
/// assert_eq!(r.status, Status::GradientTolerance);
/// assert_eq!(r.counts.hessian, r.iterations); // one per point stepped from
/// ```
#[derive(Clone, Debug)]
pub struct TrustRegionExact {
    /// Radius settings.
    pub radius: TrustRadius,
    /// Accept `‖p(λ)‖` within this fraction of `Δ` (default 0.01).
    pub boundary_tol: f64,
    /// Factorisations per subproblem (default 50).
    pub max_factorizations: usize,
}

impl Default for TrustRegionExact {
    fn default() -> Self {
        TrustRegionExact {
            radius: TrustRadius::default(),
            boundary_tol: 0.01,
            max_factorizations: 50,
        }
    }
}

impl TrustRegionExact {
    /// The subproblem at `g` with Hessian `h` and radius `delta`.
    fn subproblem(&self, h: &DMatrix<f64>, g: &DVector<f64>, delta: f64) -> ModelStep {
        let n = g.len();
        let step = |p: DVector<f64>, on_boundary: bool| ModelStep {
            hp: (h * &p).as_slice().to_vec(),
            p: p.as_slice().to_vec(),
            on_boundary,
        };
        // Bounds on λ: −λ_min ≥ −min diag, and λ_max ≤ max row sum (Gershgorin).
        let gershgorin = h
            .row_iter()
            .map(|r| r.iter().map(|v| v.abs()).sum::<f64>())
            .fold(0.0, f64::max);
        let mut lo = (-h.diagonal().min()).max(0.0);
        let mut hi = g.norm() / delta + gershgorin;
        let between = |lo: f64, hi: f64| (lo * hi).sqrt().max(lo + 0.01 * (hi - lo));
        let mut lambda = if lo == 0.0 { 0.0 } else { between(lo, hi) };
        let mut inside: Option<DVector<f64>> = None;
        for _ in 0..self.max_factorizations {
            let shifted = h + DMatrix::identity(n, n) * lambda;
            let Some(chol) = shifted.cholesky() else {
                lo = lambda;
                lambda = between(lo, hi);
                continue;
            };
            let p = chol.solve(&(-g));
            let p_norm = p.norm();
            if lambda == 0.0 && p_norm <= delta {
                return step(p, false);
            }
            if (p_norm - delta).abs() <= self.boundary_tol * delta {
                return step(p, true);
            }
            if p_norm < delta {
                hi = lambda;
                inside = Some(p.clone());
            } else {
                lo = lambda;
            }
            // Newton on 1/‖p(λ)‖ − 1/Δ: with R̃ᵀR̃ = H + λI and q = R̃⁻ᵀp,
            // λ ← λ + (‖p‖/‖q‖)² (‖p‖ − Δ)/Δ.
            let q = chol.l().solve_lower_triangular(&p);
            let next = q.map_or(f64::NAN, |q| {
                lambda + (p_norm / q.norm()).powi(2) * (p_norm - delta) / delta
            });
            lambda = if next > lo && next < hi {
                next
            } else {
                between(lo, hi)
            };
        }
        // NOTE: the hard case (∇f orthogonal to the lowest eigenvector) or a
        // budget run out: an interior solution if one was met, else the
        // steepest-descent step to the boundary.
        match inside {
            Some(p) => step(p, false),
            None => step(-g * (delta / g.norm()), true),
        }
    }
}

impl TrustRegionExact {
    /// Checks the settings: the radius's, `boundary_tol` in `(0, 1)` and at
    /// least one factorisation.
    ///
    /// # Errors
    /// The first setting that cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.radius.validate()?;
        between(
            "TrustRegionExact::boundary_tol",
            0.0,
            1.0,
            self.boundary_tol,
        )?;
        at_least_one(
            "TrustRegionExact::max_factorizations",
            self.max_factorizations,
        )
    }
}

impl Minimizer for TrustRegionExact {
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
                let mut hessian: Option<(Vec<f64>, DMatrix<f64>)> = None;
                iterate(&mut run, x, &self.radius, |objective, x: &Point, delta| {
                    let h = match hessian.take() {
                        Some((at, h)) if at == x.x => h,
                        _ => {
                            let h = objective.hessian(&x.x);
                            if h.data().iter().any(|v| !v.is_finite()) {
                                return Err(Status::NonFinite);
                            }
                            let n = x.x.len();
                            DMatrix::from_row_slice(n, n, h.data())
                        }
                    };
                    let step = self.subproblem(&h, &DVector::from_column_slice(&x.g), delta);
                    hessian = Some((x.x.clone(), h));
                    Ok(step)
                })
            },
        )
    }
}
