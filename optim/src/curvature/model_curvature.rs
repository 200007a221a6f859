//! Curvature of a loss through a model, `Jᵀ Q J`: the generalized Gauss-Newton
//! matrix (Schraudolph 2002; Martens 2010) and the Fisher information in its
//! exact, Monte-Carlo and empirical forms (Amari 1998; Martens 2014;
//! Kunstner, Balles & Hennig 2019).

use autodiff::{flatten, linearize, total_len, unflatten, value, Linearization, Tensor, Var};

use super::lanes;
use super::likelihood::{OutputLoss, OutputLossError};
use super::output_matrix::OutputMatrix;
use crate::linop::LinearOperator;

/// `v ↦ Jᵀ Q J v`, where `J` is the Jacobian of the model's outputs `z = m(θ)`
/// `[B, D]` with respect to the flattened parameters `θ`, and `Q` is an
/// output-space curvature matrix of the loss: its Hessian (Gauss-Newton), the
/// likelihood's Fisher information (exact or sampled), or the outer products
/// of the observed per-example scores (empirical Fisher). All four are
/// positive semi-definite for the losses of [`OutputLoss`].
///
/// # How the product is computed
///
/// With `z₀ = m(θ₀)` held constant, the function `φ(θ) = ½ (m(θ) − z₀)ᵀ Q (m(θ) − z₀)`
/// has Hessian `JᵀQJ + Σ_i [Q (m(θ) − z₀)]_i ∇²m_i`, and the second term
/// vanishes at `θ₀`. So one forward-over-reverse sweep of `φ` is exactly the
/// chain "jvp through the model, `Q` in output space, vjp back", and `K`
/// directions share one sweep as tangent lanes. `φ` is recorded once at
/// construction ([`autodiff::linearize`]), so each product repeats only the
/// tangent work.
///
/// ```
/// use autodiff::Tensor;
/// use optim::curvature::{ModelCurvature, OutputLoss};
/// use optim::linop::LinearOperator;
/// // A linear model z = X W with squared error: the Gauss-Newton matrix is XᵀX / B.
/// let x = Tensor::from_vec(&[2, 2], vec![1.0, 0.0, 1.0, 2.0])?;
/// let loss = OutputLoss::Gaussian { targets: Tensor::zeros(&[2, 1]), variance: 1.0 };
/// let ggn = ModelCurvature::gauss_newton(
///     |w| w[0].tape().constant(x.clone()).matmul(w[0]),
///     vec![Tensor::zeros(&[2, 1])],
///     &loss,
/// )?;
/// assert_eq!(ggn.apply(&[1.0, 0.0]), vec![1.0, 1.0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ModelCurvature {
    linearization: Linearization,
    params: Vec<Tensor>,
    outputs: Tensor,
    n: usize,
}

impl ModelCurvature {
    /// The generalized Gauss-Newton matrix `Jᵀ H_L J`, with `H_L` the loss
    /// Hessian in output space (analytic: `(diag(p) − ppᵀ) / B` per row for
    /// the softmax, `p(1 − p) / B` for Bernoulli logits, `1 / σ²B` for a Gaussian).
    pub fn gauss_newton<F>(
        model: F,
        params: Vec<Tensor>,
        loss: &OutputLoss,
    ) -> Result<ModelCurvature, OutputLossError>
    where
        F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
    {
        ModelCurvature::build(model, params, loss, |z| {
            Ok(OutputMatrix::loss_hessian(loss, z))
        })
    }

    /// The Fisher information `E_{y ~ p(y|z)}[∇_θ log p ∇_θ log pᵀ]` of the
    /// likelihood the loss is the negative logarithm of, computed exactly
    /// (for the softmax, by enumerating the classes). It equals the
    /// Gauss-Newton matrix for these canonical-link likelihoods (Martens 2014, §9.2).
    pub fn fisher<F>(
        model: F,
        params: Vec<Tensor>,
        loss: &OutputLoss,
    ) -> Result<ModelCurvature, OutputLossError>
    where
        F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
    {
        ModelCurvature::build(model, params, loss, |z| Ok(OutputMatrix::fisher(loss, z)))
    }

    /// The Fisher estimated from `samples` targets per example drawn from the
    /// model's own predictive distribution (seeded by `seed`): an unbiased,
    /// positive semi-definite estimate of [`fisher`](ModelCurvature::fisher).
    pub fn monte_carlo_fisher<F>(
        model: F,
        params: Vec<Tensor>,
        loss: &OutputLoss,
        samples: usize,
        seed: u64,
    ) -> Result<ModelCurvature, OutputLossError>
    where
        F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
    {
        ModelCurvature::build(model, params, loss, |z| {
            OutputMatrix::sampled_fisher(loss, z, samples, seed)
        })
    }

    /// The empirical Fisher `(1/B) Σ_b g_b g_bᵀ` from the per-example
    /// gradients `g_b = J_bᵀ ∇_{z_b} ℓ_b` at the observed targets. It is not
    /// the Fisher and not a curvature estimate in general (Kunstner et al. 2019).
    pub fn empirical_fisher<F>(
        model: F,
        params: Vec<Tensor>,
        loss: &OutputLoss,
    ) -> Result<ModelCurvature, OutputLossError>
    where
        F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
    {
        ModelCurvature::build(model, params, loss, |z| {
            Ok(OutputMatrix::empirical_fisher(loss, z))
        })
    }

    fn build<F>(
        model: F,
        params: Vec<Tensor>,
        loss: &OutputLoss,
        matrix: impl FnOnce(&Tensor) -> Result<OutputMatrix, OutputLossError>,
    ) -> Result<ModelCurvature, OutputLossError>
    where
        F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
    {
        let outputs = value(&model, &params);
        loss.validate(outputs.shape())?;
        let matrix = matrix(&outputs)?;
        // φ(θ) = ½ (m(θ) − z₀)ᵀ Q (m(θ) − z₀), whose Hessian at θ₀ is JᵀQJ.
        let linearization = linearize(
            |p| {
                let z = model(p);
                matrix.half_quadratic(z - z.tape().constant(outputs.clone()))
            },
            &params,
        );
        let n = total_len(&params);
        Ok(ModelCurvature {
            linearization,
            params,
            outputs,
            n,
        })
    }

    /// The model's outputs at the parameters.
    pub fn outputs(&self) -> &Tensor {
        &self.outputs
    }
}

impl LinearOperator for ModelCurvature {
    fn dim(&self) -> usize {
        self.n
    }

    fn apply(&self, v: &[f64]) -> Vec<f64> {
        flatten(&self.linearization.hvp(&unflatten(v, &self.params)))
    }

    fn apply_block(&self, vs: &[Vec<f64>]) -> Vec<Vec<f64>> {
        if vs.is_empty() {
            return Vec::new();
        }
        let directions = lanes::stack(vs, &self.params);
        lanes::split(&self.linearization.hvp_batch(&directions), vs.len())
    }
}
