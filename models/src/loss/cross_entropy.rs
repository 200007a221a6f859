//! Softmax cross-entropy with integer labels.

use autodiff::{Scalar, TensorOf, VarOf};
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::curvature::OutputMatrix;
use crate::data::Targets;
use crate::loss::sampling::{draw_classes, softmax_rows};
use crate::loss::{argmax_rows, ensure_fits, fraction_equal, Loss};

/// Mean softmax cross-entropy of logits `f: [B, C]` against class labels,
/// the batch-mean negative log-likelihood of `y ~ Categorical(softmax(f))`.
/// Output curvature (Hessian and Fisher) per row: `(diag(p) - p pᵀ) / B`
/// with `p = softmax(f)`.
///
/// ```
/// use autodiff::{value, Tensor};
/// use models::{Loss, SoftmaxCrossEntropy, Targets};
/// let y = Targets::Classes { labels: vec![1], classes: 2 };
/// let f = Tensor::from_rows(&[vec![0.0, 0.0]])?;
/// let l = value(|x| SoftmaxCrossEntropy.loss(x[0], &y), &[f]).item();
/// assert!((l - 2f64.ln()).abs() < 1e-15);
/// # Ok::<(), autodiff::TensorError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SoftmaxCrossEntropy;

fn labels<S: Scalar>(targets: &Targets<S>) -> &[usize] {
    targets
        .labels()
        .expect("SoftmaxCrossEntropy: needs class labels, got real-valued targets")
}

impl<S: Scalar> Loss<S> for SoftmaxCrossEntropy {
    fn loss<'t>(&self, outputs: VarOf<'t, S>, targets: &Targets<S>) -> VarOf<'t, S> {
        ensure_fits(self, &outputs.shape(), targets);
        outputs.softmax_cross_entropy(labels(targets))
    }

    fn check(&self, outputs: &[usize], targets: &Targets<S>) -> Result<(), String> {
        let Targets::Classes { labels, classes } = targets else {
            return Err("SoftmaxCrossEntropy: needs class labels, got real-valued targets".into());
        };
        let expected = [labels.len(), *classes];
        if outputs != expected {
            return Err(format!(
                "SoftmaxCrossEntropy: outputs have shape {outputs:?} but there are {} labels of {classes} classes; expected outputs of shape {expected:?}",
                labels.len()
            ));
        }
        match labels.iter().find(|&&y| y >= *classes) {
            Some(y) => Err(format!(
                "SoftmaxCrossEntropy: label {y} for outputs with {classes} classes"
            )),
            None => Ok(()),
        }
    }

    fn hessian(&self, outputs: &TensorOf<S>, _targets: &Targets<S>) -> OutputMatrix {
        OutputMatrix::Softmax(softmax_rows(&outputs.cast()))
    }

    fn fisher(&self, outputs: &TensorOf<S>) -> Option<OutputMatrix> {
        Some(OutputMatrix::Softmax(softmax_rows(&outputs.cast())))
    }

    fn sample(&self, outputs: &TensorOf<S>, seed: u64) -> Option<Targets<S>> {
        let mut rng = StdRng::seed_from_u64(seed);
        Some(Targets::Classes {
            labels: draw_classes(&softmax_rows(&outputs.cast()), &mut rng),
            classes: outputs.shape()[1],
        })
    }

    fn accuracy(&self, outputs: &TensorOf<S>, targets: &Targets<S>) -> Option<f64> {
        Some(fraction_equal(&argmax_rows(outputs), labels(targets)))
    }
}
