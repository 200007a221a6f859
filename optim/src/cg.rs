//! Preconditioned conjugate gradient for `A x = b` with `A` symmetric
//! (Hestenes & Stiefel 1952; Nocedal & Wright, Algorithm 5.3).

use crate::linop::{axpy, dot, norm, LinearOperator};

/// Settings for [`conjugate_gradient`].
#[derive(Clone, Debug)]
pub struct CgParams {
    /// Stop when `‖r‖ ≤ rel_tol · ‖b‖` (the residual of the current iterate).
    pub rel_tol: f64,
    /// Stop when `‖r‖ ≤ abs_tol`.
    pub abs_tol: f64,
    /// Iteration limit (default: the dimension, enough in exact arithmetic).
    /// A direction of non-positive curvature `pᵀAp ≤ 0` always ends the
    /// iteration (CG's step along it is undefined) and is reported.
    pub max_iter: Option<usize>,
}

impl Default for CgParams {
    fn default() -> Self {
        CgParams {
            rel_tol: 1e-10,
            abs_tol: 0.0,
            max_iter: None,
        }
    }
}

/// Why conjugate gradient stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgStatus {
    /// The residual reached the tolerance.
    Converged,
    /// The iteration limit was reached first.
    MaxIterations,
    /// A direction with `pᵀAp ≤ 0` was found; the solution is the last
    /// iterate before it (zero if it was the first direction).
    NonPositiveCurvature,
    /// `b` is zero: the solution is zero.
    ZeroRhs,
    /// A NaN or infinity appeared in a product or the residual.
    NonFinite,
}

/// The outcome of [`conjugate_gradient`].
#[derive(Clone, Debug)]
pub struct CgInfo {
    /// The approximate solution.
    pub x: Vec<f64>,
    /// Why the iteration stopped.
    pub status: CgStatus,
    /// Number of iterations (operator products).
    pub iterations: usize,
    /// Norm of the final residual `b - A x` (as updated by the recurrence).
    pub residual_norm: f64,
    /// The direction of non-positive curvature, when one was found.
    pub negative_direction: Option<NegativeCurvature>,
}

/// A direction `d` along which CG found `dᵀAd ≤ 0`, with that curvature.
#[derive(Clone, Debug)]
pub struct NegativeCurvature {
    /// The direction `d` (CG's search direction, not normalised).
    pub direction: Vec<f64>,
    /// `dᵀAd`, at most zero.
    pub curvature: f64,
}

/// Conjugate gradient on `A x = b`, one step at a time, for callers that
/// stop by a rule of their own or need every iterate: the trust-region
/// subproblem stops where the iterates leave the region, Hessian-free
/// optimization watches the value of the quadratic at each iterate.
/// [`conjugate_gradient`] drives it to a residual tolerance.
///
/// Each step is [`probe`](CgIteration::probe) — one product `A p` with the
/// current direction, and its curvature `pᵀAp`, for the caller to inspect —
/// then [`advance`](CgIteration::advance) along it.
///
/// ```
/// use optim::cg::CgIteration;
/// use optim::linop::DenseMatrix;
/// let a = DenseMatrix::new(2, vec![4.0, 1.0, 1.0, 3.0]).unwrap();
/// let mut cg = CgIteration::new(&a, &[1.0, 2.0], None, None::<&DenseMatrix>);
/// for _ in 0..2 {
///     let probe = cg.probe();
///     assert!(probe.curvature > 0.0);
///     cg.advance(&probe);
/// }
/// // Two steps solve a 2 × 2 system (up to rounding).
/// assert!((cg.x()[0] - 1.0 / 11.0).abs() < 1e-12 && (cg.x()[1] - 7.0 / 11.0).abs() < 1e-12);
/// ```
pub struct CgIteration<'a, A, M> {
    a: &'a A,
    m_inv: Option<&'a M>,
    x: Vec<f64>,
    r: Vec<f64>,
    p: Vec<f64>,
    rz: f64,
}

/// The product of the current direction `p` with `A`, taken by
/// [`CgIteration::probe`] before the step along `p`.
#[derive(Clone, Debug)]
pub struct CgProbe {
    /// `A p`.
    pub ap: Vec<f64>,
    /// `pᵀ A p`.
    pub curvature: f64,
}

/// `M⁻¹ r`, or `r` itself without a preconditioner.
fn precondition<M: LinearOperator>(m_inv: Option<&M>, r: &[f64]) -> Vec<f64> {
    m_inv.map_or_else(|| r.to_vec(), |m| m.apply(r))
}

impl<'a, A: LinearOperator, M: LinearOperator> CgIteration<'a, A, M> {
    /// Starts at `x0` (zero when `None`: the residual is then `b` itself, at
    /// no product), preconditioned by `m_inv` (an approximation of `A⁻¹`,
    /// symmetric positive definite) when given.
    ///
    /// # Panics
    /// When `b` or `x0` does not have the operator's dimension.
    pub fn new(a: &'a A, b: &[f64], x0: Option<&[f64]>, m_inv: Option<&'a M>) -> Self {
        let n = a.dim();
        assert_eq!(
            b.len(),
            n,
            "conjugate gradient: right-hand side of length {} for dimension {n}",
            b.len()
        );
        let (x, r) = match x0 {
            Some(x0) => {
                assert_eq!(
                    x0.len(),
                    n,
                    "conjugate gradient: start of length {} for dimension {n}",
                    x0.len()
                );
                let r = a.apply(x0).iter().zip(b).map(|(ax, bi)| bi - ax).collect();
                (x0.to_vec(), r)
            }
            None => (vec![0.0; n], b.to_vec()),
        };
        let p = precondition(m_inv, &r);
        let rz = dot(&r, &p);
        CgIteration {
            a,
            m_inv,
            x,
            r,
            p,
            rz,
        }
    }

    /// The current iterate `x`.
    pub fn x(&self) -> &[f64] {
        &self.x
    }

    /// The current iterate, taken out.
    pub fn into_x(self) -> Vec<f64> {
        self.x
    }

    /// The residual `b − A x` (as updated by the recurrence).
    pub fn residual(&self) -> &[f64] {
        &self.r
    }

    /// `rᵀ M⁻¹ r` with `M⁻¹` the preconditioner (`rᵀr` without one).
    pub fn residual_product(&self) -> f64 {
        self.rz
    }

    /// The direction the next step goes along.
    pub fn direction(&self) -> &[f64] {
        &self.p
    }

    /// `A p` and `pᵀAp` for the current direction `p`: one product.
    pub fn probe(&self) -> CgProbe {
        let ap = self.a.apply(&self.p);
        let curvature = dot(&self.p, &ap);
        CgProbe { ap, curvature }
    }

    /// The step length `α = rᵀM⁻¹r / pᵀAp` along the probed direction.
    pub fn step_length(&self, probe: &CgProbe) -> f64 {
        self.rz / probe.curvature
    }

    /// Steps along the probed direction: `x += α p`, `r −= α A p`, and the
    /// next direction `z + β p` with `z = M⁻¹ r` and `β` the ratio of the new
    /// `rᵀz` to the old (0 when the old one was 0).
    pub fn advance(&mut self, probe: &CgProbe) {
        let alpha = self.step_length(probe);
        axpy(alpha, &self.p, &mut self.x);
        axpy(-alpha, &probe.ap, &mut self.r);
        let z = precondition(self.m_inv, &self.r);
        let rz_next = dot(&self.r, &z);
        let beta = if self.rz == 0.0 {
            0.0
        } else {
            rz_next / self.rz
        };
        self.rz = rz_next;
        for (pi, zi) in self.p.iter_mut().zip(&z) {
            *pi = zi + beta * *pi;
        }
    }
}

/// Solves `A x = b` by conjugate gradient, optionally preconditioned by `m_inv`
/// (an approximation of `A⁻¹`, symmetric positive definite), starting from `x0`
/// (zero when `None`). Never divides by zero: breakdowns end the run with a status.
///
/// ```
/// use optim::cg::{conjugate_gradient, CgParams, CgStatus};
/// use optim::linop::DenseMatrix;
/// let a = DenseMatrix::new(2, vec![4.0, 1.0, 1.0, 3.0]).unwrap();
/// let info = conjugate_gradient(&a, &[1.0, 2.0], None, None::<&DenseMatrix>, &CgParams::default());
/// assert_eq!(info.status, CgStatus::Converged);
/// assert!((info.x[0] - 1.0 / 11.0).abs() < 1e-12 && (info.x[1] - 7.0 / 11.0).abs() < 1e-12);
/// ```
pub fn conjugate_gradient<A: LinearOperator, M: LinearOperator>(
    a: &A,
    b: &[f64],
    x0: Option<&[f64]>,
    m_inv: Option<&M>,
    params: &CgParams,
) -> CgInfo {
    let n = a.dim();
    let b_norm = norm(b);
    let info = |x: Vec<f64>, status, iterations, residual_norm, negative_direction| CgInfo {
        x,
        status,
        iterations,
        residual_norm,
        negative_direction,
    };
    if b_norm == 0.0 && x0.is_none() {
        assert_eq!(
            b.len(),
            n,
            "conjugate gradient: right-hand side of length {} for dimension {n}",
            b.len()
        );
        return info(vec![0.0; n], CgStatus::ZeroRhs, 0, 0.0, None);
    }
    let mut cg = CgIteration::new(a, b, x0, m_inv);
    let tol = (params.rel_tol * b_norm).max(params.abs_tol);
    let max_iter = params.max_iter.unwrap_or(n.max(1));
    let mut r_norm = norm(cg.residual());
    for k in 0..max_iter {
        if !r_norm.is_finite() {
            return info(cg.into_x(), CgStatus::NonFinite, k, r_norm, None);
        }
        if r_norm <= tol {
            return info(cg.into_x(), CgStatus::Converged, k, r_norm, None);
        }
        let probe = cg.probe();
        if !probe.curvature.is_finite() {
            return info(cg.into_x(), CgStatus::NonFinite, k + 1, r_norm, None);
        }
        if probe.curvature <= 0.0 {
            let negative = NegativeCurvature {
                direction: cg.direction().to_vec(),
                curvature: probe.curvature,
            };
            return info(
                cg.into_x(),
                CgStatus::NonPositiveCurvature,
                k + 1,
                r_norm,
                Some(negative),
            );
        }
        let rz = cg.residual_product();
        cg.advance(&probe);
        r_norm = norm(cg.residual());
        if rz == 0.0 {
            return info(cg.into_x(), CgStatus::Converged, k + 1, r_norm, None);
        }
    }
    let status = if r_norm <= tol {
        CgStatus::Converged
    } else {
        CgStatus::MaxIterations
    };
    info(cg.into_x(), status, max_iter, r_norm, None)
}
