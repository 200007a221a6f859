//! TRON: a trust-region Newton method within box constraints that needs
//! only Hessian-vector products (Lin & Moré, "Newton's method for large
//! bound-constrained optimization problems", SIAM J. Optim. 9, 1999).

use super::region::{iterate, ModelStep, TrustRadius};
use super::run::{solve_in, Order};
use super::{Minimizer, Observer, Options, Report, Status};
use crate::bounds::Bounds;
use crate::cg::CgIteration;
use crate::linop::{dot, norm, DenseMatrix, FnOperator, LinearOperator};
use crate::objective::{HessianAt, Objective, Point};

/// Sufficient decrease of the model in the projected searches, `μ₀`.
const MU0: f64 = 0.01;

/// Step factors of the Cauchy search: shrink by 10, grow by 10.
const INTERPOLATE: f64 = 0.1;
const EXTRAPOLATE: f64 = 10.0;

/// Trials allowed in one projected search.
const MAX_TRIALS: usize = 60;

/// Trust-region Newton within the box `lo ≤ x ≤ hi` (TRON).
///
/// Each iteration works on the model `q(s) = ∇fᵀs + ½ sᵀ∇²f s` with
/// `x + s` in the box and `‖s‖ ≤ Δ`: a projected search along `−∇f`
/// finds a Cauchy step with `q(s) ≤ μ₀ ∇fᵀs` (`μ₀ = 0.01`), extrapolating
/// or backtracking its step by factors of 10 from the previous one; then,
/// while it helps, CG on the variables free at `x + s` (within the trust
/// region, stopping on its boundary or on negative curvature), followed by
/// a projected search along the CG step with sufficient decrease of `q`.
/// The subspace loop ends when the CG step is taken whole without meeting
/// a new bound, or on the trust region's boundary. The radius is managed as
/// [`TrustRadius`] says, as in [`TrustRegion`](super::TrustRegion).
///
/// A start outside the box is projected into it. The gradient test is on
/// the projected gradient `‖P(x − ∇f) − x‖∞`. The negative-curvature check
/// of the unbounded solvers does not apply on an active set, so
/// [`Report::lambda_min`] stays `None`.
///
/// ```
/// use optim::bounds::Bounds;
/// use optim::objective::AutodiffObjective;
/// use optim::solvers::{Minimizer, Options, Status, Tron};
/// // Rosenbrock with x₁ ≤ 0.5: the minimum moves to (0.5, 0.25).
/// let f = AutodiffObjective::new(2, |x| {
///     let (a, b) = (x.slice(0, 0, 1), x.slice(0, 1, 2));
///     ((b - a.square()).square() * 100.0 + (1.0 - a).square()).sum()
/// });
/// let bounds = Bounds::new(vec![-2.0, -2.0], vec![0.5, 2.0]).unwrap();
/// let r = Tron::new(bounds).minimize(&f, &[-1.2, 1.0], &Options::default());
/// assert_eq!(r.status, Status::GradientTolerance);
/// assert!((r.x[0] - 0.5).abs() < 1e-12 && (r.x[1] - 0.25).abs() < 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct Tron {
    /// The box.
    pub bounds: Bounds,
    /// Radius settings.
    pub radius: TrustRadius,
    /// CG iteration limit per subspace step (default: the dimension).
    pub max_cg: Option<usize>,
}

impl Tron {
    /// TRON on `bounds` with the default settings.
    pub fn new(bounds: Bounds) -> Self {
        Tron {
            bounds,
            radius: TrustRadius::default(),
            max_cg: None,
        }
    }
}

/// The model `q(s) = gᵀs + ½ sᵀHs` at a point, by products with `H`.
struct Model<'a> {
    hessian: HessianAt<'a, dyn Objective + 'a>,
    g: &'a [f64],
}

/// A step `s` of the model with `Hs` and `q(s)`.
struct ModelPoint {
    s: Vec<f64>,
    hs: Vec<f64>,
    q: f64,
}

impl Model<'_> {
    /// `s` with `Hs` (one product) and `q(s)`.
    fn at(&self, s: Vec<f64>) -> ModelPoint {
        let hs = self.hessian.apply(&s);
        let q = dot(self.g, &s) + 0.5 * dot(&s, &hs);
        ModelPoint { s, hs, q }
    }

    /// `∇q(s) = g + Hs`.
    fn gradient(&self, p: &ModelPoint) -> Vec<f64> {
        self.g.iter().zip(&p.hs).map(|(g, h)| g + h).collect()
    }
}

/// `P(z) − x`: the step to the projection of `z`.
fn step_to(bounds: &Bounds, x: &[f64], z: &[f64]) -> Vec<f64> {
    bounds
        .project(z)
        .iter()
        .zip(x)
        .map(|(p, xi)| p - xi)
        .collect()
}

/// The components of `v` at `indices`.
fn gather(v: &[f64], indices: &[usize]) -> Vec<f64> {
    indices.iter().map(|&i| v[i]).collect()
}

/// The `τ ≥ 0` with `‖z + τ d‖² = r2`.
fn to_sphere(z: &[f64], d: &[f64], r2: f64) -> f64 {
    let (a, b, c) = (dot(d, d), 2.0 * dot(z, d), dot(z, z) - r2);
    (-b + (b * b - 4.0 * a * c).max(0.0).sqrt()) / (2.0 * a)
}

impl Tron {
    /// The Cauchy step `s(α) = P(x − α g) − x` with `‖s‖ ≤ Δ` and
    /// `q(s) ≤ μ₀ gᵀs`, searched from the previous `α`, which it updates.
    fn cauchy_step(&self, model: &Model, x: &[f64], delta: f64, alpha: &mut f64) -> ModelPoint {
        let g = model.g;
        let trial = |a: f64| {
            let z: Vec<f64> = x.iter().zip(g).map(|(xi, gi)| xi - a * gi).collect();
            let s = step_to(&self.bounds, x, &z);
            if norm(&s) > delta {
                return None;
            }
            let p = model.at(s);
            (p.q <= MU0 * dot(g, &p.s)).then_some(p)
        };
        let minus_g: Vec<f64> = g.iter().map(|v| -v).collect();
        let last_breakpoint = self
            .bounds
            .breakpoints(x, &minus_g)
            .iter()
            .zip(g)
            .filter(|(_, &gi)| gi != 0.0)
            .fold(0.0f64, |m, (&t, _)| m.max(t));
        match trial(*alpha) {
            Some(mut best) => {
                for _ in 0..MAX_TRIALS {
                    if *alpha >= last_breakpoint {
                        break;
                    }
                    match trial(*alpha * EXTRAPOLATE) {
                        Some(p) => {
                            *alpha *= EXTRAPOLATE;
                            best = p;
                        }
                        None => break,
                    }
                }
                best
            }
            None => {
                for _ in 0..MAX_TRIALS {
                    *alpha *= INTERPOLATE;
                    if let Some(p) = trial(*alpha) {
                        return p;
                    }
                }
                model.at(vec![0.0; x.len()])
            }
        }
    }

    /// Steihaug's CG on the free variables, `H_FF d = r`, keeping
    /// `‖s + d‖ ≤ Δ`; returns `d` on the free variables and whether it ends
    /// on the boundary. `None` when a product is not finite.
    fn free_cg(
        &self,
        model: &Model,
        s: &[f64],
        free: &[usize],
        r: &[f64],
        delta: f64,
        tol: f64,
    ) -> Option<(Vec<f64>, bool)> {
        let n = s.len();
        let reduced = FnOperator::new(free.len(), |v: &[f64]| {
            let mut full = vec![0.0; n];
            for (&i, &vi) in free.iter().zip(v) {
                full[i] = vi;
            }
            gather(&model.hessian.apply(&full), free)
        });
        let s_free = gather(s, free);
        // What of Δ² the fixed part of s leaves to the free part.
        let room = delta * delta - (dot(s, s) - dot(&s_free, &s_free));
        let mut cg = CgIteration::new(&reduced, r, None, None::<&DenseMatrix>);
        for _ in 0..self.max_cg.unwrap_or(n).max(1) {
            let probe = cg.probe();
            if !probe.curvature.is_finite() {
                return None;
            }
            let alpha = cg.step_length(&probe);
            let reach: Vec<f64> = s_free
                .iter()
                .zip(cg.x())
                .zip(cg.direction())
                .map(|((si, zi), di)| si + zi + alpha * di)
                .collect();
            if probe.curvature <= 0.0 || dot(&reach, &reach) >= room {
                let d = cg.direction().to_vec();
                let from: Vec<f64> = s_free.iter().zip(cg.x()).map(|(a, b)| a + b).collect();
                let tau = to_sphere(&from, &d, room.max(0.0));
                let mut z = cg.into_x();
                z.iter_mut().zip(&d).for_each(|(zi, di)| *zi += tau * di);
                return Some((z, true));
            }
            cg.advance(&probe);
            if cg.residual_product().sqrt() <= tol {
                break;
            }
        }
        Some((cg.into_x(), false))
    }

    /// The projected search along `d` from the step `from`: `s(β) = P(x +
    /// from + β d) − x` with `q(s(β)) ≤ q(from) + μ₀ ∇q(from)ᵀ(s(β) − from)`,
    /// halving `β` from 1. Returns the step and whether `β = 1` was taken
    /// without meeting a bound.
    fn projected_search(
        &self,
        model: &Model,
        x: &[f64],
        from: &ModelPoint,
        d: &[f64],
    ) -> (ModelPoint, bool) {
        let gq = model.gradient(from);
        let mut beta = 1.0;
        for _ in 0..MAX_TRIALS {
            let z: Vec<f64> = x
                .iter()
                .zip(&from.s)
                .zip(d)
                .map(|((xi, si), di)| xi + si + beta * di)
                .collect();
            let projected = self.bounds.project(&z);
            let clipped = projected != z;
            let s: Vec<f64> = projected.iter().zip(x).map(|(p, xi)| p - xi).collect();
            let moved: Vec<f64> = s.iter().zip(&from.s).map(|(a, b)| a - b).collect();
            let p = model.at(s);
            if p.q <= from.q + MU0 * dot(&gq, &moved) {
                return (p, beta == 1.0 && !clipped);
            }
            beta *= 0.5;
        }
        (
            ModelPoint {
                s: from.s.clone(),
                hs: from.hs.clone(),
                q: from.q,
            },
            false,
        )
    }

    /// The step of one iteration: the Cauchy step, then subspace CG steps
    /// with projected searches while they meet new bounds.
    fn step(
        &self,
        objective: &dyn Objective,
        x: &Point,
        delta: f64,
        alpha: &mut f64,
    ) -> Option<ModelStep> {
        let model = Model {
            hessian: HessianAt::new(objective, &x.x),
            g: &x.g,
        };
        let mut current = self.cauchy_step(&model, &x.x, delta, alpha);
        let pg = self.bounds.projected_gradient(&x.x, &x.g);
        let pg_norm = norm(&pg);
        let tol = pg_norm.sqrt().min(0.5) * pg_norm;
        let mut on_boundary = false;
        for _ in 0..x.x.len() {
            let at: Vec<f64> = x.x.iter().zip(&current.s).map(|(a, b)| a + b).collect();
            let free: Vec<usize> = self
                .bounds
                .free(&at)
                .iter()
                .enumerate()
                .filter_map(|(i, &f)| f.then_some(i))
                .collect();
            let gq = model.gradient(&current);
            let r: Vec<f64> = free.iter().map(|&i| -gq[i]).collect();
            if free.is_empty() || norm(&r) <= tol {
                break;
            }
            let (d_free, boundary) = self.free_cg(&model, &current.s, &free, &r, delta, tol)?;
            let mut d = vec![0.0; x.x.len()];
            for (&i, &di) in free.iter().zip(&d_free) {
                d[i] = di;
            }
            let (next, whole) = self.projected_search(&model, &x.x, &current, &d);
            current = next;
            on_boundary = boundary;
            if boundary || whole {
                break;
            }
        }
        current
            .hs
            .iter()
            .all(|v| v.is_finite())
            .then_some(ModelStep {
                p: current.s,
                hp: current.hs,
                on_boundary,
            })
    }
}

impl Minimizer for Tron {
    fn minimize_observed(
        &self,
        objective: &dyn Objective,
        x0: &[f64],
        options: &Options,
        observer: &mut dyn Observer,
    ) -> Report {
        solve_in(
            objective,
            x0,
            options,
            observer,
            Order::First,
            Ok(()),
            Some(&self.bounds),
            |mut run, x| {
                let mut alpha = 1.0;
                iterate(&mut run, x, &self.radius, |objective, x, delta| {
                    self.step(objective, x, delta, &mut alpha)
                        .ok_or(Status::NonFinite)
                })
            },
        )
    }
}
