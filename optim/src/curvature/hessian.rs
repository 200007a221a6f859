//! The exact Hessian of a scalar function at a point, as a linear operator
//! (Pearlmutter 1994: H·v by forward-over-reverse differentiation).

use autodiff::{
    flatten, linearize, total_len, unflatten, Linearization, Scalar, Tensor, TensorOf, Var, VarOf,
};

use super::lanes;
use crate::linop::LinearOperator;

/// `v ↦ ∇²f(x) v` for a scalar function `f` of parameter tensors, at the
/// point `x`, with vectors flattened over all tensors in order
/// ([`autodiff::flatten`]).
///
/// The function is recorded once at construction ([`autodiff::linearize`]):
/// each product then repeats only the tangent work of a forward-over-reverse
/// sweep, exact to round-off, and [`apply_block`] sends `K` directions
/// through a single sweep as `K` tangent lanes.
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
///
/// The function may be evaluated in `f32` ([`HessianOperator::in_precision`]):
/// vectors stay `f64` at the operator's boundary and are rounded to the
/// point's precision on the way in.
pub struct HessianOperator<S: Scalar = f64> {
    linearization: Linearization<S>,
    point: Vec<TensorOf<S>>,
    n: usize,
}

impl HessianOperator {
    /// The Hessian of `f` at `point` (one tensor per input of `f`).
    ///
    /// # Panics
    /// When `f` does not return a scalar.
    pub fn new<F>(f: F, point: Vec<Tensor>) -> HessianOperator
    where
        F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
    {
        HessianOperator::in_precision(f, point)
    }
}

impl<S: Scalar> HessianOperator<S> {
    /// The Hessian of `f` at `point`, evaluated in the point's precision `S`.
    ///
    /// ```
    /// use autodiff::Tensor32;
    /// use optim::curvature::HessianOperator;
    /// use optim::linop::LinearOperator;
    /// let h = HessianOperator::in_precision(|x| x[0].powf(3.0).sum(), vec![Tensor32::vector(vec![1.0, 2.0])]);
    /// assert_eq!(h.apply(&[1.0, 1.0]), vec![6.0, 12.0]);
    /// ```
    ///
    /// # Panics
    /// When `f` does not return a scalar.
    pub fn in_precision<F>(f: F, point: Vec<TensorOf<S>>) -> HessianOperator<S>
    where
        F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
    {
        let linearization = linearize(f, &point);
        let n = total_len(&point);
        HessianOperator {
            linearization,
            point,
            n,
        }
    }

    /// The point the Hessian is taken at.
    pub fn point(&self) -> &[TensorOf<S>] {
        &self.point
    }

    /// The function's value at the point.
    pub fn value(&self) -> f64 {
        self.linearization.value().as_f64()
    }

    /// The gradient at the point, flattened.
    pub fn gradient(&self) -> Vec<f64> {
        flatten(self.linearization.grad())
            .into_iter()
            .map(Scalar::as_f64)
            .collect()
    }
}

impl<S: Scalar> LinearOperator for HessianOperator<S> {
    fn dim(&self) -> usize {
        self.n
    }

    fn apply(&self, v: &[f64]) -> Vec<f64> {
        let v: Vec<S> = v.iter().map(|&e| S::of(e)).collect();
        let product = self.linearization.hvp(&unflatten(&v, &self.point));
        flatten(&product).into_iter().map(Scalar::as_f64).collect()
    }

    fn apply_block(&self, vs: &[Vec<f64>]) -> Vec<Vec<f64>> {
        if vs.is_empty() {
            return Vec::new();
        }
        let products = self.linearization.hvp_batch(&lanes::stack(vs, &self.point));
        lanes::split(&products, vs.len())
    }
}
