//! L-BFGS-B: limited-memory BFGS within box constraints (Byrd, Lu, Nocedal
//! & Zhu, "A limited memory algorithm for bound constrained optimization",
//! SIAM J. Sci. Comput. 16, 1995).

use nalgebra::{DMatrix, DVector};

use super::cauchy::{generalized_cauchy_point, CauchyPoint};
use super::compact::CompactMemory;
use super::run::{solve_in, Order};
use super::{Minimizer, Observer, Options, Report};
use crate::bounds::Bounds;
use crate::line_search::{LineSearch, LineSearchFailure, MoreThuente, Step};
use crate::linop::{dot, norm};
use crate::objective::{Objective, Point};

/// L-BFGS-B: minimises `f` over the box `lo ≤ x ≤ hi`.
///
/// Each iteration finds the generalized Cauchy point (the first minimiser
/// of the quadratic model along the projected steepest-descent path), then
/// minimises the model over the variables still free there (the direct
/// primal method: the reduced quasi-Newton step, cut back to the box), and
/// searches along the step from `x` to that point with Moré and Thuente's
/// strong Wolfe search, never beyond the box. The model's matrix is the
/// compact limited-memory BFGS matrix of the last `history` pairs; a pair
/// with `sᵀy ≤ curvature_eps · yᵀy` is skipped, and a direction that is not
/// downhill or a failed search clears the memory and retries once.
///
/// A start outside the box is projected into it. The gradient test is on
/// the projected gradient `‖P(x − ∇f) − x‖∞`, which [`Report::grad_norm_inf`]
/// reports.
///
/// ```
/// use optim::bounds::Bounds;
/// use optim::objective::AutodiffObjective;
/// use optim::solvers::{Lbfgsb, Minimizer, Options, Status};
/// // (x₁ − 2)² + (x₂ + 1)² over [0, 1]²: the minimum is at the corner (1, 0).
/// let f = AutodiffObjective::new(2, |x| {
///     (x.slice(0, 0, 1) - 2.0).square().sum() + (x.slice(0, 1, 2) + 1.0).square().sum()
/// });
/// let bounds = Bounds::new(vec![0.0, 0.0], vec![1.0, 1.0]).unwrap();
/// let r = Lbfgsb::new(bounds).minimize(&f, &[0.5, 0.5], &Options::default());
/// assert_eq!(r.status, Status::GradientTolerance);
/// assert_eq!(r.x, vec![1.0, 0.0]);
/// ```
#[derive(Clone, Debug)]
pub struct Lbfgsb {
    /// The box.
    pub bounds: Bounds,
    /// The number of pairs kept, `m` (default 10).
    pub history: usize,
    /// The line search (default as in L-BFGS-B: `c1 = 1e-3`, `c2 = 0.9`);
    /// its `alpha_max` is replaced by the largest step that stays in the box.
    pub line_search: MoreThuente,
    /// Pairs with `sᵀy ≤ curvature_eps · yᵀy` are skipped (default: machine epsilon).
    pub curvature_eps: f64,
}

impl Lbfgsb {
    /// L-BFGS-B on `bounds` with the default settings.
    pub fn new(bounds: Bounds) -> Self {
        Lbfgsb {
            bounds,
            history: 10,
            line_search: MoreThuente {
                c1: 1e-3,
                ..MoreThuente::default()
            },
            curvature_eps: f64::EPSILON,
        }
    }
}

/// Minimises the model over the variables free at the Cauchy point, from
/// there (the direct primal method, section 5.1): the reduced step
/// `d = −B̂⁻¹ r̂` with `B̂ = θI − ZᵀW M WᵀZ` inverted by Sherman–Morrison–
/// Woodbury, then cut back (`α ≤ 1`) so that `xᶜ + α d` stays in the box.
fn subspace_minimization(
    bounds: &Bounds,
    x: &[f64],
    g: &[f64],
    memory: &CompactMemory,
    cauchy: &CauchyPoint,
) -> Vec<f64> {
    let free: Vec<usize> = bounds
        .free(&cauchy.x)
        .iter()
        .enumerate()
        .filter_map(|(i, &f)| f.then_some(i))
        .collect();
    if free.is_empty() {
        return cauchy.x.clone();
    }
    let theta = memory.theta();
    // The model's gradient at xᶜ, g + θ(xᶜ − x) − W M c, on the free variables.
    let wmc = memory.w(&(memory.m() * &cauchy.c));
    let r: Vec<f64> = free
        .iter()
        .map(|&i| g[i] + theta * (cauchy.x[i] - x[i]) - wmc[i])
        .collect();
    let mut d: Vec<f64> = r.iter().map(|v| -v / theta).collect();
    if !memory.is_empty() {
        let k2 = memory.m().nrows();
        let wz = DMatrix::from_fn(free.len(), k2, |a, j| memory.w_row(free[a])[j]);
        let v = memory.m() * wz.tr_mul(&DVector::from_column_slice(&r));
        let n_mat = DMatrix::identity(k2, k2) - memory.m() * wz.tr_mul(&wz) / theta;
        if let Some(v) = n_mat.lu().solve(&v) {
            let correction = &wz * v;
            for (di, ci) in d.iter_mut().zip(correction.iter()) {
                *di -= ci / (theta * theta);
            }
        }
    }
    let mut alpha: f64 = 1.0;
    for (&i, &di) in free.iter().zip(&d) {
        let room = if di > 0.0 {
            bounds.hi()[i] - cauchy.x[i]
        } else {
            bounds.lo()[i] - cauchy.x[i]
        };
        if di != 0.0 {
            alpha = alpha.min(room / di);
        }
    }
    let mut bar = cauchy.x.clone();
    for (&i, &di) in free.iter().zip(&d) {
        bar[i] += alpha.max(0.0) * di;
    }
    bounds.project(&bar)
}

/// An objective evaluated at the projection of its argument into the box,
/// so that a line search's trials beyond the box by round-off are
/// evaluated at the box.
struct InBox<'a> {
    inner: &'a dyn Objective,
    bounds: &'a Bounds,
}

impl Objective for InBox<'_> {
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn value(&self, x: &[f64]) -> f64 {
        self.inner.value(&self.bounds.project(x))
    }
    fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>) {
        self.inner.value_grad(&self.bounds.project(x))
    }
    fn hvp(&self, x: &[f64], v: &[f64]) -> Vec<f64> {
        self.inner.hvp(&self.bounds.project(x), v)
    }
}

impl Lbfgsb {
    /// One iteration's search: Cauchy point, subspace minimisation, then
    /// the line search from `x` towards their result.
    fn search(
        &self,
        objective: &dyn Objective,
        x: &Point,
        memory: &CompactMemory,
    ) -> Result<Step, LineSearchFailure> {
        let cauchy = generalized_cauchy_point(&self.bounds, &x.x, &x.g, memory);
        let bar = subspace_minimization(&self.bounds, &x.x, &x.g, memory, &cauchy);
        let d: Vec<f64> = bar.iter().zip(&x.x).map(|(b, xi)| b - xi).collect();
        let alpha_max = self.bounds.max_step(&x.x, &d).clamp(1.0, 1e10);
        // Before any curvature is known, the first step moves by at most 1.
        let alpha0 = if memory.is_empty() {
            (1.0 / norm(&d)).min(1.0)
        } else {
            1.0
        };
        let search = MoreThuente {
            alpha_max,
            ..self.line_search.clone()
        };
        let in_box = InBox {
            inner: objective,
            bounds: &self.bounds,
        };
        let mut step = search.search(&in_box, x, &d, alpha0)?;
        step.point.x = self.bounds.project(&step.point.x);
        Ok(step)
    }
}

impl Minimizer for Lbfgsb {
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
            |mut run, mut x| {
                let mut memory = CompactMemory::new(x.x.len(), self.history);
                loop {
                    run.check_budget(&x)?;
                    let mut found = self.search(run.objective(), &x, &memory);
                    if found.is_err() && !memory.is_empty() {
                        memory.clear();
                        found = self.search(run.objective(), &x, &memory);
                    }
                    let next = found.map_err(|e| run.line_search_failed(&x, e))?.point;
                    let s: Vec<f64> = next.x.iter().zip(&x.x).map(|(a, b)| a - b).collect();
                    let y: Vec<f64> = next.g.iter().zip(&x.g).map(|(a, b)| a - b).collect();
                    if dot(&s, &s) > 0.0 {
                        memory.push(s, y, self.curvature_eps);
                    }
                    x = run.advance(&x, next)?;
                }
            },
        )
    }
}
