//! Binary cross-entropy on logits.

use autodiff::{Scalar, TensorOf, VarOf};
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::curvature::OutputMatrix;
use crate::data::Targets;
use crate::loss::sampling::{draw_bernoulli, sigmoid};
use crate::loss::{ensure_fits, mismatch, target_free_hessian, values, Loss};

/// Binary cross-entropy of logits `f: [B, k]` against targets in `[0, 1]`,
/// averaged over all elements: `L = (1/Bk) Σ softplus(f) - y f`, the
/// batch-mean negative log-likelihood of `k` independent `y ~ Bernoulli(σ(f))`
/// per example, weighted by `c = 1/k`. Output curvature (Hessian and
/// Fisher): `σ(f)(1 - σ(f)) / (Bk)`, element-wise.
///
/// Targets may be real values `[B, k]` or, for a single logit, class labels
/// with two classes (read as 0 and 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BceWithLogits;

fn target_tensor<S: Scalar>(targets: &Targets<S>) -> TensorOf<S> {
    match targets {
        Targets::Classes { labels, classes: 2 } => {
            TensorOf::from_fn(&[labels.len(), 1], |i| S::of(labels[i] as f64))
        }
        other => values(other, "BceWithLogits").clone(),
    }
}

impl<S: Scalar> Loss<S> for BceWithLogits {
    fn loss<'t>(&self, outputs: VarOf<'t, S>, targets: &Targets<S>) -> VarOf<'t, S> {
        ensure_fits(self, &outputs.shape(), targets);
        let y = outputs.tape().constant(target_tensor(targets));
        outputs.binary_cross_entropy_with_logits(y)
    }

    fn check(&self, outputs: &[usize], targets: &Targets<S>) -> Result<(), String> {
        let shape = match targets {
            Targets::Classes { labels, classes: 2 } => vec![labels.len(), 1],
            Targets::Classes { classes, .. } => {
                return Err(format!(
                    "BceWithLogits: class labels with {classes} classes (it takes two, or real targets in [0, 1])"
                ))
            }
            Targets::Values(y) => {
                if let Some(bad) = y.data().iter().find(|v| !(0.0..=1.0).contains(&v.as_f64())) {
                    return Err(format!("BceWithLogits: target {bad} is outside [0, 1]"));
                }
                y.shape().to_vec()
            }
        };
        if shape == outputs {
            Ok(())
        } else {
            Err(mismatch(
                "BceWithLogits",
                outputs,
                &shape,
                "targets",
                outputs,
            ))
        }
    }

    fn hessian(&self, outputs: &TensorOf<S>, _targets: &Targets<S>) -> OutputMatrix {
        let n = outputs.len().max(1) as f64;
        OutputMatrix::Diagonal(outputs.cast::<f64>().map(|z| {
            let p = sigmoid(z);
            p * (1.0 - p) / n
        }))
    }

    fn fisher(&self, outputs: &TensorOf<S>) -> Option<OutputMatrix> {
        Some(target_free_hessian(self, outputs))
    }

    fn sample(&self, outputs: &TensorOf<S>, seed: u64) -> Option<Targets<S>> {
        let mut rng = StdRng::seed_from_u64(seed);
        let drawn = draw_bernoulli(&outputs.cast::<f64>().map(sigmoid), &mut rng);
        Some(Targets::Values(drawn.cast()))
    }

    fn likelihood_weight(&self, columns: usize) -> f64 {
        1.0 / columns.max(1) as f64
    }

    fn accuracy(&self, outputs: &TensorOf<S>, targets: &Targets<S>) -> Option<f64> {
        let y = target_tensor(targets);
        let hits = outputs
            .data()
            .iter()
            .zip(y.data())
            .filter(|(&z, &t)| (z > S::zero()) == (t > S::of(0.5)))
            .count();
        Some(hits as f64 / outputs.len().max(1) as f64)
    }
}
