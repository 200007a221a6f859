//! The exact Hessian of a scalar function at a point, as a linear operator
//! (Pearlmutter 1994: H·v by forward-over-reverse differentiation).

use autodiff::{flatten, hvp, hvp_batch, total_len, unflatten, Tensor, Var};

use super::lanes;
use crate::linop::LinearOperator;

/// `v ↦ ∇²f(x) v` for a scalar function `f` of parameter tensors, at the
/// point `x`, with vectors flattened over all tensors in order
/// ([`autodiff::flatten`]).
///
/// Each product is one forward-over-reverse sweep of the engine (a few
/// gradients' worth of work), exact to round-off; [`apply_block`] sends `K`
/// directions through a single sweep as `K` tangent lanes.
///
/// [`apply_block`]: LinearOperator::apply_block
///
/// ```
/// use autodiff::Tensor;
/// use optim::curvature::HessianOperator;
/// use optim::linop::LinearOperator;
/// // f(x) = Σ x³ has Hessian diag(6x).
/// let h = HessianOperator::new(|x| x[0].powf(3.0).sum(), vec![Tensor::vector(vec![1.0, 2.0])]);
/// assert_eq!(h.apply(&[1.0, 1.0]), vec![6.0, 12.0]);
/// assert_eq!(h.apply_block(&[vec![1.0, 0.0], vec![0.0, 1.0]]), vec![vec![6.0, 0.0], vec![0.0, 12.0]]);
/// ```
pub struct HessianOperator<F> {
    f: F,
    point: Vec<Tensor>,
    n: usize,
}

impl<F> HessianOperator<F>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    /// The Hessian of `f` at `point` (one tensor per input of `f`).
    pub fn new(f: F, point: Vec<Tensor>) -> HessianOperator<F> {
        let n = total_len(&point);
        HessianOperator { f, point, n }
    }

    /// The point the Hessian is taken at.
    pub fn point(&self) -> &[Tensor] {
        &self.point
    }
}

impl<F> LinearOperator for HessianOperator<F>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    fn dim(&self) -> usize {
        self.n
    }

    fn apply(&self, v: &[f64]) -> Vec<f64> {
        flatten(&hvp(&self.f, &self.point, &unflatten(v, &self.point)).hvp)
    }

    fn apply_block(&self, vs: &[Vec<f64>]) -> Vec<Vec<f64>> {
        if vs.is_empty() {
            return Vec::new();
        }
        let r = hvp_batch(&self.f, &self.point, &lanes::stack(vs, &self.point));
        lanes::split(&r.hvp, vs.len())
    }
}
