//! Losses in output space that are negative log-likelihoods: what the
//! Gauss-Newton and Fisher operators need to know about the loss.

use autodiff::{Tensor, Var};
use rand::rngs::StdRng;
use rand::Rng;
use thiserror::Error;

use super::vectors::gaussian;

/// A loss of model outputs `z` of shape `[B, D]` (one row per example),
/// always the mean over the batch of the per-example negative log-likelihood
/// `ℓ_b = −log p(y_b | z_b)` (constants dropped).
#[derive(Clone, Debug, PartialEq)]
pub enum OutputLoss {
    /// Softmax cross-entropy of logits `[B, C]` against class labels:
    /// `ℓ_b = logsumexp(z_b) − z_{b, y_b}`.
    SoftmaxCrossEntropy {
        /// One label below `C` per example.
        labels: Vec<usize>,
    },
    /// Independent Bernoulli outputs with logits `z` against targets in `[0, 1]`:
    /// `ℓ_b = Σ_d softplus(z_bd) − y_bd z_bd`.
    BernoulliLogits {
        /// Targets, the shape of the outputs.
        targets: Tensor,
    },
    /// A Gaussian with mean `z` and fixed variance `σ²`:
    /// `ℓ_b = ‖z_b − y_b‖² / 2σ²`. Squared error `½‖z − y‖²` is `variance = 1`.
    Gaussian {
        /// Targets, the shape of the outputs.
        targets: Tensor,
        /// The variance `σ² > 0`.
        variance: f64,
    },
}

/// Outputs and loss data that do not fit together.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum OutputLossError {
    /// The model's outputs are not a matrix `[B, D]`.
    #[error("model outputs of shape {0:?}: expected a matrix [batch, outputs]")]
    OutputShape(Vec<usize>),
    /// There are not as many labels as rows of outputs.
    #[error("{labels} labels for {rows} rows of outputs")]
    LabelCount {
        /// Number of labels.
        labels: usize,
        /// Number of output rows.
        rows: usize,
    },
    /// A label is not below the number of classes.
    #[error("label {label} is not below the {classes} classes")]
    Label {
        /// The label.
        label: usize,
        /// The number of classes (output columns).
        classes: usize,
    },
    /// The targets do not have the outputs' shape.
    #[error("targets of shape {targets:?} for outputs of shape {outputs:?}")]
    TargetShape {
        /// The targets' shape.
        targets: Vec<usize>,
        /// The outputs' shape.
        outputs: Vec<usize>,
    },
    /// A Bernoulli target lies outside `[0, 1]` (or is NaN).
    #[error("Bernoulli target {0} is outside [0, 1]")]
    BernoulliTarget(f64),
    /// The Gaussian variance is not positive and finite.
    #[error("Gaussian variance {0} is not positive and finite")]
    Variance(f64),
    /// A Monte-Carlo estimate was asked for with zero samples.
    #[error("a Monte-Carlo Fisher needs at least one sample")]
    NoSamples,
}

impl OutputLoss {
    /// Checks that this loss fits outputs of shape `shape`.
    pub fn validate(&self, shape: &[usize]) -> Result<(), OutputLossError> {
        let &[rows, columns] = shape else {
            return Err(OutputLossError::OutputShape(shape.to_vec()));
        };
        let same_shape = |targets: &Tensor| {
            if targets.shape() == shape {
                Ok(())
            } else {
                Err(OutputLossError::TargetShape {
                    targets: targets.shape().to_vec(),
                    outputs: shape.to_vec(),
                })
            }
        };
        match self {
            OutputLoss::SoftmaxCrossEntropy { labels } => {
                if labels.len() != rows {
                    return Err(OutputLossError::LabelCount {
                        labels: labels.len(),
                        rows,
                    });
                }
                match labels.iter().find(|&&y| y >= columns) {
                    Some(&label) => Err(OutputLossError::Label {
                        label,
                        classes: columns,
                    }),
                    None => Ok(()),
                }
            }
            OutputLoss::BernoulliLogits { targets } => {
                same_shape(targets)?;
                match targets.data().iter().find(|y| !(0.0..=1.0).contains(*y)) {
                    Some(&y) => Err(OutputLossError::BernoulliTarget(y)),
                    None => Ok(()),
                }
            }
            OutputLoss::Gaussian { targets, variance } => {
                same_shape(targets)?;
                if *variance > 0.0 && variance.is_finite() {
                    Ok(())
                } else {
                    Err(OutputLossError::Variance(*variance))
                }
            }
        }
    }

    /// The loss of `outputs` `[B, D]` on the tape: the batch mean of `ℓ_b`.
    /// Compose it with a model to get the training objective.
    ///
    /// # Panics
    /// When the data do not fit the outputs; check with
    /// [`validate`](OutputLoss::validate) first.
    ///
    /// ```
    /// use autodiff::{value, Tensor};
    /// use optim::curvature::OutputLoss;
    /// let loss = OutputLoss::Gaussian { targets: Tensor::zeros(&[2, 1]), variance: 1.0 };
    /// let z = Tensor::from_vec(&[2, 1], vec![1.0, 3.0])?;
    /// // (1² / 2 + 3² / 2) / 2
    /// assert_eq!(value(|x| loss.loss(x[0]), &[z]).item(), 2.5);
    /// # Ok::<(), autodiff::TensorError>(())
    /// ```
    pub fn loss<'t>(&self, outputs: Var<'t>) -> Var<'t> {
        let rows = outputs.shape().first().copied().unwrap_or(1).max(1) as f64;
        let tape = outputs.tape();
        match self {
            OutputLoss::SoftmaxCrossEntropy { labels } => outputs.softmax_cross_entropy(labels),
            OutputLoss::BernoulliLogits { targets } => {
                let y = tape.constant(targets.clone());
                (outputs.softplus() - y * outputs).sum() / rows
            }
            OutputLoss::Gaussian { targets, variance } => {
                let y = tape.constant(targets.clone());
                (outputs - y).square().sum() / (2.0 * variance * rows)
            }
        }
    }

    /// The model's predictive mean in output space: softmax probabilities,
    /// sigmoid probabilities, or the Gaussian mean `z` itself.
    pub(crate) fn mean(&self, outputs: &Tensor) -> Tensor {
        match self {
            OutputLoss::SoftmaxCrossEntropy { .. } => softmax_rows(outputs),
            OutputLoss::BernoulliLogits { .. } => outputs.map(sigmoid),
            OutputLoss::Gaussian { .. } => outputs.clone(),
        }
    }

    /// The same loss with its targets replaced by a draw from the model's
    /// predictive distribution `p(y | z)` (for the Monte-Carlo Fisher).
    pub(crate) fn sample(&self, outputs: &Tensor, rng: &mut StdRng) -> OutputLoss {
        let mean = self.mean(outputs);
        match self {
            OutputLoss::SoftmaxCrossEntropy { .. } => OutputLoss::SoftmaxCrossEntropy {
                labels: draw_classes(&mean, rng),
            },
            OutputLoss::BernoulliLogits { .. } => OutputLoss::BernoulliLogits {
                targets: draw_bernoulli(&mean, rng),
            },
            OutputLoss::Gaussian { variance, .. } => {
                let sigma = variance.sqrt();
                let noise = gaussian(mean.len(), rng);
                OutputLoss::Gaussian {
                    targets: Tensor::from_fn(mean.shape(), |i| mean.data()[i] + sigma * noise[i]),
                    variance: *variance,
                }
            }
        }
    }

    /// The per-example scores `∇_{z_b} ℓ_b` `[B, D]` (gradients of the
    /// unaveraged per-example losses with respect to the outputs).
    pub(crate) fn scores(&self, outputs: &Tensor) -> Tensor {
        let mean = self.mean(outputs);
        match self {
            // ∇_z (logsumexp(z) − z_y) = p − e_y
            OutputLoss::SoftmaxCrossEntropy { labels } => {
                let columns = outputs.shape()[1];
                Tensor::from_fn(outputs.shape(), |i| {
                    let hit = labels[i / columns] == i % columns;
                    mean.data()[i] - if hit { 1.0 } else { 0.0 }
                })
            }
            // ∇_z (softplus(z) − y z) = σ(z) − y
            OutputLoss::BernoulliLogits { targets } => {
                Tensor::from_fn(outputs.shape(), |i| mean.data()[i] - targets.data()[i])
            }
            // ∇_z ‖z − y‖² / 2σ² = (z − y) / σ²
            OutputLoss::Gaussian { targets, variance } => Tensor::from_fn(outputs.shape(), |i| {
                (outputs.data()[i] - targets.data()[i]) / variance
            }),
        }
    }
}

/// The logistic function `σ(z) = 1 / (1 + e⁻ᶻ)`, as `½ + ½ tanh(z/2)` (no
/// overflow for large `|z|`).
pub fn sigmoid(z: f64) -> f64 {
    0.5 + 0.5 * (0.5 * z).tanh()
}

/// The softmax of every row of a matrix `[B, C]` (shifted by the row's
/// maximum, so that large logits do not overflow).
///
/// ```
/// use autodiff::Tensor;
/// use optim::curvature::softmax_rows;
/// let p = softmax_rows(&Tensor::from_rows(&[vec![0.0, 0.0], vec![1000.0, 0.0]])?);
/// assert_eq!(p.data(), &[0.5, 0.5, 1.0, 0.0]);
/// # Ok::<(), autodiff::TensorError>(())
/// ```
pub fn softmax_rows(outputs: &Tensor) -> Tensor {
    let columns = outputs.shape()[1];
    let mut p = outputs.data().to_vec();
    for row in p.chunks_exact_mut(columns.max(1)) {
        let m = row.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x));
        row.iter_mut().for_each(|x| *x = (*x - m).exp());
        let total: f64 = row.iter().sum();
        row.iter_mut().for_each(|x| *x /= total);
    }
    Tensor::from_fn(outputs.shape(), |i| p[i])
}

/// One class per row of probabilities `[B, C]`, drawn by inverting the
/// cumulative sum with one uniform number per row.
pub fn draw_classes(probabilities: &Tensor, rng: &mut StdRng) -> Vec<usize> {
    let columns = probabilities.shape()[1];
    probabilities
        .data()
        .chunks_exact(columns.max(1))
        .map(|p| {
            let u: f64 = rng.gen();
            let mut total = 0.0;
            p.iter()
                .position(|&pc| {
                    total += pc;
                    u < total
                })
                .unwrap_or(columns - 1)
        })
        .collect()
}

/// A 0/1 draw for every probability, one uniform number each.
pub fn draw_bernoulli(probabilities: &Tensor, rng: &mut StdRng) -> Tensor {
    Tensor::from_fn(probabilities.shape(), |i| {
        if rng.gen::<f64>() < probabilities.data()[i] {
            1.0
        } else {
            0.0
        }
    })
}
