//! The curvature of a loss through a model, `v ↦ Jᵀ Q J v`, as a linear
//! operator over the flattened parameters.

use std::cell::RefCell;

use autodiff::{Scalar, TensorOf, VarOf};
use optim::curvature::HessianOperator;
use optim::linop::LinearOperator;

use super::OutputMatrix;
use crate::step::StepError;

/// `v ↦ Jᵀ Q J v`, where `J` is the Jacobian of the model's outputs
/// `z = m(θ)` `[B, k]` in the flattened parameters `θ` and `Q` an
/// output-space curvature ([`OutputMatrix`]): the generalized Gauss-Newton
/// matrix (Schraudolph 2002; Martens 2010) or the Fisher information in its
/// exact, Monte-Carlo or empirical form (Amari 1998; Martens 2014; Kunstner,
/// Balles & Hennig 2019), as chosen by [`super::Curvature`].
///
/// # How the product is computed
///
/// With `z₀ = m(θ₀)` held constant, `φ(θ) = ½ (m(θ) − z₀)ᵀ Q (m(θ) − z₀)`
/// has Hessian `JᵀQJ + Σ_i [Q (m(θ) − z₀)]_i ∇²m_i`, and the second term
/// vanishes at `θ₀`. So one forward-over-reverse sweep of `φ` is exactly
/// "jvp through the model, `Q` in output space, vjp back", and `K`
/// directions share one sweep as tangent lanes. The operator is `φ`'s
/// [`HessianOperator`]: `φ` is recorded once with one forward pass of the
/// model — `z₀` and `Q` are read from that same pass — so each product
/// repeats only the tangent work.
///
/// ```
/// use autodiff::Tensor;
/// use models::curvature::{ModelCurvature, OutputMatrix};
/// use optim::linop::LinearOperator;
/// // A linear model z = X w with Q = I / B: the Gauss-Newton matrix XᵀX / B.
/// let x = Tensor::from_vec(&[2, 2], vec![1.0, 0.0, 1.0, 2.0])?;
/// let ggn = ModelCurvature::new(
///     |w| w[0].tape().constant(x.clone()).matmul(w[0]),
///     vec![Tensor::zeros(&[2, 1])],
///     |z| Ok(OutputMatrix::Diagonal(z.map(|_| 0.5))),
/// )?;
/// assert_eq!(ggn.apply(&[1.0, 0.0]), vec![1.0, 1.0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ModelCurvature<S: Scalar = f64> {
    hessian: HessianOperator<S>,
    outputs: TensorOf<S>,
}

impl<S: Scalar> ModelCurvature<S> {
    /// Records `model` at `params` once; `output_matrix` is given the
    /// outputs of that pass and returns `Q`.
    ///
    /// # Errors
    /// Whatever `output_matrix` returns.
    pub fn new<F>(
        model: F,
        params: Vec<TensorOf<S>>,
        output_matrix: impl FnOnce(&TensorOf<S>) -> Result<OutputMatrix, StepError>,
    ) -> Result<ModelCurvature<S>, StepError>
    where
        F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
    {
        let pending = RefCell::new(Some(output_matrix));
        let outcome: RefCell<Option<Result<TensorOf<S>, StepError>>> = RefCell::new(None);
        let hessian = HessianOperator::in_precision(
            |p| {
                let z = model(p);
                let z0 = z.value();
                let matrix = pending.borrow_mut().take().map(|f| f(&z0));
                match matrix {
                    Some(Ok(q)) => {
                        let quadratic = q.half_quadratic(z - z.tape().constant(z0.clone()));
                        *outcome.borrow_mut() = Some(Ok(z0));
                        quadratic
                    }
                    Some(Err(e)) => {
                        *outcome.borrow_mut() = Some(Err(e));
                        z.sum() * S::zero()
                    }
                    None => unreachable!("linearize records its function once"),
                }
            },
            params,
        );
        let outputs = outcome
            .into_inner()
            .unwrap_or_else(|| unreachable!("linearize records its function once"))?;
        Ok(ModelCurvature { hessian, outputs })
    }

    /// The model's outputs at the parameters.
    pub fn outputs(&self) -> &TensorOf<S> {
        &self.outputs
    }
}

impl<S: Scalar> LinearOperator for ModelCurvature<S> {
    fn dim(&self) -> usize {
        self.hessian.dim()
    }

    fn apply(&self, v: &[f64]) -> Vec<f64> {
        self.hessian.apply(v)
    }

    fn apply_block(&self, vs: &[Vec<f64>]) -> Vec<Vec<f64>> {
        self.hessian.apply_block(vs)
    }
}
