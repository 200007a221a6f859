//! Binary cross-entropy on logits.

use autodiff::{Tensor, Var};
use optim::curvature::{draw_bernoulli, sigmoid};
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::data::Targets;
use crate::loss::{values, Loss};

/// Binary cross-entropy of logits `f: [B, k]` against targets in `[0, 1]`,
/// averaged over all elements: `L = (1/Bk) Σ softplus(f) - y f`, the negative
/// log-likelihood of `y ~ Bernoulli(σ(f))`. Output curvature:
/// `σ(f)(1 - σ(f)) / (Bk)`, element-wise.
///
/// Targets may be real values `[B, k]` or, for a single logit, class labels
/// with two classes (read as 0 and 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BceWithLogits;

fn target_tensor(targets: &Targets) -> Tensor {
    match targets {
        Targets::Classes { labels, classes: 2 } => {
            Tensor::from_fn(&[labels.len(), 1], |i| labels[i] as f64)
        }
        other => values(other, "BceWithLogits").clone(),
    }
}

impl Loss for BceWithLogits {
    fn loss<'t>(&self, outputs: Var<'t>, targets: &Targets) -> Var<'t> {
        let y = outputs.tape().constant(target_tensor(targets));
        outputs.binary_cross_entropy_with_logits(y)
    }

    fn curvature_vp(&self, outputs: &Tensor, v: &Tensor) -> Tensor {
        let n = outputs.len() as f64;
        Tensor::from_fn(outputs.shape(), |i| {
            let p = sigmoid(outputs.data()[i]);
            p * (1.0 - p) * v.data()[i] / n
        })
    }

    fn sample(&self, outputs: &Tensor, seed: u64) -> Targets {
        let mut rng = StdRng::seed_from_u64(seed);
        Targets::Values(draw_bernoulli(&outputs.map(sigmoid), &mut rng))
    }

    fn accuracy(&self, outputs: &Tensor, targets: &Targets) -> Option<f64> {
        let y = target_tensor(targets);
        let hits = outputs
            .data()
            .iter()
            .zip(y.data())
            .filter(|(&z, &t)| (z > 0.0) == (t > 0.5))
            .count();
        Some(hits as f64 / outputs.len().max(1) as f64)
    }
}
