//! The output-space curvature matrices `Q` (block-diagonal, one `D × D` block
//! per example) that the Gauss-Newton and Fisher operators sandwich as `JᵀQJ`.

use autodiff::Tensor;
use autodiff::Var;
use rand::rngs::StdRng;
use rand::SeedableRng;

use super::likelihood::{OutputLoss, OutputLossError};

/// `Q` for outputs `[B, D]`, stored in the form its quadratic needs.
#[derive(Clone, Debug)]
pub(crate) enum OutputMatrix {
    /// `Q = diag(w)`.
    Diagonal(Tensor),
    /// `Q_b = (diag(p_b) − p_b p_bᵀ) / B`, the softmax cross-entropy Hessian.
    Softmax(Tensor),
    /// `Q_b = Σ_j s_jb s_jbᵀ` for score-like vectors stacked as `[J, B, D]`.
    Outer(Tensor),
}

impl OutputMatrix {
    /// The Hessian of the loss with respect to the outputs, analytically
    /// (Schraudolph 2002; Martens 2010): the Gauss-Newton `H_L`.
    pub(crate) fn loss_hessian(loss: &OutputLoss, outputs: &Tensor) -> OutputMatrix {
        let rows = rows(outputs);
        let mean = loss.mean(outputs);
        match loss {
            OutputLoss::SoftmaxCrossEntropy { .. } => OutputMatrix::Softmax(mean),
            // d²/dz² softplus(z) = σ(z)(1 − σ(z))
            OutputLoss::BernoulliLogits { .. } => {
                OutputMatrix::Diagonal(mean.map(|p| p * (1.0 - p) / rows))
            }
            OutputLoss::Gaussian { variance, .. } => {
                OutputMatrix::Diagonal(outputs.map(|_| 1.0 / (variance * rows)))
            }
        }
    }

    /// The Fisher information of the likelihood in output space,
    /// `E_{y ~ p(y|z)}[s sᵀ] / B` with `s = ∇_z log p(y | z)` (Amari 1998).
    /// For the softmax it is assembled by enumerating the `C` classes,
    /// `Σ_c p_c (e_c − p)(e_c − p)ᵀ`; for the elementwise Bernoulli and
    /// Gaussian likelihoods the score covariance is diagonal:
    /// `E[(y − p)²] = p(1 − p)` and `E[(y − z)²] / σ⁴ = 1 / σ²`.
    pub(crate) fn fisher(loss: &OutputLoss, outputs: &Tensor) -> OutputMatrix {
        match loss {
            OutputLoss::SoftmaxCrossEntropy { .. } => {
                let rows = rows(outputs);
                let mean = loss.mean(outputs);
                let (b, c) = (outputs.shape()[0], outputs.shape()[1]);
                let p = mean.data();
                // s_{class, b} = √(p_{b,class} / B) (p_b − e_class)
                OutputMatrix::Outer(Tensor::from_fn(&[c, b, c], |i| {
                    let (class, row, col) = (i / (b * c), (i / c) % b, i % c);
                    let weight = (p[row * c + class] / rows).sqrt();
                    weight * (p[row * c + col] - if col == class { 1.0 } else { 0.0 })
                }))
            }
            // The score covariance of these elementwise likelihoods is their
            // loss Hessian (canonical links).
            OutputLoss::BernoulliLogits { .. } | OutputLoss::Gaussian { .. } => {
                OutputMatrix::loss_hessian(loss, outputs)
            }
        }
    }

    /// The Monte-Carlo Fisher: `(1 / S B) Σ_j s_j s_jᵀ` over `S` targets
    /// drawn from the model's predictive distribution.
    pub(crate) fn sampled_fisher(
        loss: &OutputLoss,
        outputs: &Tensor,
        samples: usize,
        seed: u64,
    ) -> Result<OutputMatrix, OutputLossError> {
        if samples == 0 {
            return Err(OutputLossError::NoSamples);
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let scale = (samples as f64 * rows(outputs)).sqrt().recip();
        let scores: Vec<f64> = (0..samples)
            .flat_map(|_| loss.sample(outputs, &mut rng).scores(outputs).into_vec())
            .map(|s| s * scale)
            .collect();
        Ok(OutputMatrix::Outer(stacked(samples, outputs, scores)))
    }

    /// The empirical Fisher: `(1 / B) s_b s_bᵀ` from the observed targets'
    /// scores (Kunstner et al. 2019 on why it is not the Fisher).
    pub(crate) fn empirical_fisher(loss: &OutputLoss, outputs: &Tensor) -> OutputMatrix {
        let scale = rows(outputs).sqrt().recip();
        let scores = loss.scores(outputs).into_vec();
        OutputMatrix::Outer(stacked(
            1,
            outputs,
            scores.into_iter().map(|s| s * scale).collect(),
        ))
    }

    /// `½ rᵀ Q r` for residuals `r` `[B, D]` on the tape.
    pub(crate) fn half_quadratic<'t>(&self, r: Var<'t>) -> Var<'t> {
        let tape = r.tape();
        match self {
            OutputMatrix::Diagonal(w) => (r.square() * tape.constant(w.clone())).sum() * 0.5,
            OutputMatrix::Softmax(p) => {
                let b = rows(p);
                let pr = r * tape.constant(p.clone());
                ((pr * r).sum() - pr.sum_axis(1, false).square().sum()) * (0.5 / b)
            }
            OutputMatrix::Outer(s) => {
                let shape = r.shape();
                let r = r.reshape(&[1, shape[0], shape[1]]);
                (r * tape.constant(s.clone()))
                    .sum_axis(2, false)
                    .square()
                    .sum()
                    * 0.5
            }
        }
    }
}

/// The batch size `B` as a divisor (at least 1).
fn rows(outputs: &Tensor) -> f64 {
    outputs.shape().first().copied().unwrap_or(1).max(1) as f64
}

/// `J` blocks of shape `[B, D]` from their concatenated values.
fn stacked(j: usize, outputs: &Tensor, values: Vec<f64>) -> Tensor {
    let mut shape = vec![j];
    shape.extend_from_slice(outputs.shape());
    Tensor::from_fn(&shape, |i| values[i])
}
