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
    pub negative_direction: Option<Vec<f64>>,
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
    assert_eq!(
        b.len(),
        n,
        "conjugate_gradient: right-hand side of length {} for dimension {n}",
        b.len()
    );
    let b_norm = norm(b);
    let mut x = x0.map_or_else(|| vec![0.0; n], <[f64]>::to_vec);
    let info = |x: Vec<f64>, status, iterations, residual_norm, negative_direction| CgInfo {
        x,
        status,
        iterations,
        residual_norm,
        negative_direction,
    };
    if b_norm == 0.0 && x0.is_none() {
        return info(x, CgStatus::ZeroRhs, 0, 0.0, None);
    }
    let mut r: Vec<f64> = match x0 {
        Some(_) => a.apply(&x).iter().zip(b).map(|(ax, bi)| bi - ax).collect(),
        None => b.to_vec(),
    };
    let precondition = |r: &[f64]| m_inv.map_or_else(|| r.to_vec(), |m| m.apply(r));
    let tol = (params.rel_tol * b_norm).max(params.abs_tol);
    let max_iter = params.max_iter.unwrap_or(n.max(1));
    let mut z = precondition(&r);
    let mut p = z.clone();
    let mut rz = dot(&r, &z);
    let mut r_norm = norm(&r);
    for k in 0..max_iter {
        if !r_norm.is_finite() {
            return info(x, CgStatus::NonFinite, k, r_norm, None);
        }
        if r_norm <= tol {
            return info(x, CgStatus::Converged, k, r_norm, None);
        }
        let ap = a.apply(&p);
        let curvature = dot(&p, &ap);
        if !curvature.is_finite() {
            return info(x, CgStatus::NonFinite, k + 1, r_norm, None);
        }
        if curvature <= 0.0 {
            return info(x, CgStatus::NonPositiveCurvature, k + 1, r_norm, Some(p));
        }
        let alpha = rz / curvature;
        axpy(alpha, &p, &mut x);
        axpy(-alpha, &ap, &mut r);
        r_norm = norm(&r);
        z = precondition(&r);
        let rz_next = dot(&r, &z);
        if rz == 0.0 {
            return info(x, CgStatus::Converged, k + 1, r_norm, None);
        }
        let beta = rz_next / rz;
        rz = rz_next;
        for (pi, zi) in p.iter_mut().zip(&z) {
            *pi = zi + beta * *pi;
        }
    }
    let status = if r_norm <= tol {
        CgStatus::Converged
    } else {
        CgStatus::MaxIterations
    };
    info(x, status, max_iter, r_norm, None)
}
