//! The bridge from this crate's losses to the curvature operators of
//! [`optim::curvature`]: which likelihood, at which scale, each loss is.

use autodiff::Tensor;
use optim::curvature::OutputLoss;

use super::Trouble;
use crate::data::Targets;
use crate::loss::{BceWithLogits, Loss, Mse, SoftmaxCrossEntropy};

/// A [`Loss`] that is, at exactly its scale, one of the negative
/// log-likelihoods of [`OutputLoss`], so that the Gauss-Newton and Fisher
/// operators of [`optim::curvature::ModelCurvature`] apply to it.
pub trait OutputLikelihood: Loss {
    /// The same loss as an [`OutputLoss`] for outputs with `columns` columns.
    ///
    /// # Errors
    /// [`Trouble::Incompatible`] when the targets are of the wrong kind or
    /// the loss has no [`OutputLoss`] at its scale.
    fn output_loss(&self, columns: usize, targets: &Targets) -> Result<OutputLoss, Trouble>;
}

fn values<'a>(targets: &'a Targets, who: &str) -> Result<&'a Tensor, Trouble> {
    match targets {
        Targets::Values(t) => Ok(t),
        Targets::Classes { .. } => Err(Trouble::Incompatible(format!(
            "{who} needs real-valued targets"
        ))),
    }
}

impl OutputLikelihood for Mse {
    /// `(1/Bk) Σ (f − y)²` is `Σ (f − y)² / (2σ²B)` with `σ² = k/2`.
    fn output_loss(&self, columns: usize, targets: &Targets) -> Result<OutputLoss, Trouble> {
        Ok(OutputLoss::Gaussian {
            targets: values(targets, "Mse")?.clone(),
            variance: columns as f64 / 2.0,
        })
    }
}

impl OutputLikelihood for BceWithLogits {
    /// Equal only for one logit: `BceWithLogits` averages over all `B k`
    /// elements, the Bernoulli likelihood over the `B` rows.
    fn output_loss(&self, columns: usize, targets: &Targets) -> Result<OutputLoss, Trouble> {
        if columns != 1 {
            return Err(Trouble::Incompatible(format!(
                "BceWithLogits with {columns} logits is not a per-row likelihood"
            )));
        }
        let targets = match targets {
            Targets::Classes { labels, classes: 2 } => {
                Tensor::from_fn(&[labels.len(), 1], |i| labels[i] as f64)
            }
            other => values(other, "BceWithLogits")?.clone(),
        };
        Ok(OutputLoss::BernoulliLogits { targets })
    }
}

impl OutputLikelihood for SoftmaxCrossEntropy {
    fn output_loss(&self, _columns: usize, targets: &Targets) -> Result<OutputLoss, Trouble> {
        match targets.labels() {
            Some(labels) => Ok(OutputLoss::SoftmaxCrossEntropy {
                labels: labels.to_vec(),
            }),
            None => Err(Trouble::Incompatible(
                "SoftmaxCrossEntropy needs class labels".into(),
            )),
        }
    }
}
