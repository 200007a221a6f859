//! A finite-difference Hessian-vector product, for comparison with the exact one.

use autodiff::{check, flatten, total_len, unflatten, Tensor, Var};

use crate::linop::{norm, LinearOperator};

/// `v ↦ (∇f(x + h v̂) − ∇f(x − h v̂)) / 2h · ‖v‖` with `v̂ = v / ‖v‖`: central
/// differences of the gradient ([`autodiff::check::fd_hvp`]), two gradients
/// per product, with truncation error O(h²) and rounding error O(ε/h).
///
/// `step` is a distance in parameter space: the difference is taken along
/// the unit vector `v̂`, so the error does not depend on the scale of `v`.
/// Prefer [`HessianOperator`](super::HessianOperator), which is exact; this
/// operator exists to measure what finite differences cost in accuracy.
///
/// ```
/// use autodiff::Tensor;
/// use optim::curvature::FiniteDifferenceHessian;
/// use optim::linop::LinearOperator;
/// let h = FiniteDifferenceHessian::new(|x| x[0].powf(3.0).sum(), vec![Tensor::vector(vec![1.0, 2.0])], 1e-5);
/// let hv = h.apply(&[1.0, 1.0]);
/// assert!((hv[0] - 6.0).abs() < 1e-6 && (hv[1] - 12.0).abs() < 1e-6);
/// ```
pub struct FiniteDifferenceHessian<F> {
    f: F,
    point: Vec<Tensor>,
    step: f64,
    n: usize,
}

impl<F> FiniteDifferenceHessian<F>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    /// Central differences of the gradient of `f` at `point` with step `step`.
    pub fn new(f: F, point: Vec<Tensor>, step: f64) -> FiniteDifferenceHessian<F> {
        let n = total_len(&point);
        FiniteDifferenceHessian { f, point, step, n }
    }

    /// The same with the step `cbrt(ε) · max(1, ‖x‖∞)`
    /// ([`autodiff::check::default_step`]), which balances the two errors.
    pub fn with_default_step(f: F, point: Vec<Tensor>) -> FiniteDifferenceHessian<F> {
        let step = check::default_step(&flatten(&point));
        FiniteDifferenceHessian::new(f, point, step)
    }

    /// The step `h`.
    pub fn step(&self) -> f64 {
        self.step
    }
}

impl<F> LinearOperator for FiniteDifferenceHessian<F>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    fn dim(&self) -> usize {
        self.n
    }

    fn apply(&self, v: &[f64]) -> Vec<f64> {
        let scale = norm(v);
        if scale == 0.0 {
            return vec![0.0; v.len()];
        }
        let unit: Vec<f64> = v.iter().map(|x| x / scale).collect();
        let hv = check::fd_hvp(
            &self.f,
            &self.point,
            &unflatten(&unit, &self.point),
            self.step,
        );
        hv.into_iter().map(|x| x * scale).collect()
    }
}
