//! Softmax cross-entropy with integer labels.

use autodiff::{Tensor, Var};
use optim::curvature::{draw_classes, softmax_rows};
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::data::Targets;
use crate::loss::{argmax_rows, fraction_equal, Loss};

/// Mean softmax cross-entropy of logits `f: [B, C]` against class labels,
/// the negative log-likelihood of `y ~ Categorical(softmax(f))`. Output
/// curvature per row: `(diag(p) - p pᵀ) / B` with `p = softmax(f)`.
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

fn labels(targets: &Targets) -> &[usize] {
    targets
        .labels()
        .expect("SoftmaxCrossEntropy: needs class labels, got real-valued targets")
}

impl Loss for SoftmaxCrossEntropy {
    fn loss<'t>(&self, outputs: Var<'t>, targets: &Targets) -> Var<'t> {
        outputs.softmax_cross_entropy(labels(targets))
    }

    fn curvature_vp(&self, outputs: &Tensor, v: &Tensor) -> Tensor {
        let (b, c) = (outputs.shape()[0], outputs.shape()[1]);
        let p = softmax_rows(outputs);
        let p = p.data();
        let mut out = vec![0.0; b * c];
        for i in 0..b {
            let (pi, vi) = (&p[i * c..(i + 1) * c], &v.data()[i * c..(i + 1) * c]);
            let pv: f64 = pi.iter().zip(vi).map(|(a, b)| a * b).sum();
            for j in 0..c {
                out[i * c + j] = pi[j] * (vi[j] - pv) / b as f64;
            }
        }
        Tensor::from_fn(outputs.shape(), |i| out[i])
    }

    fn sample(&self, outputs: &Tensor, seed: u64) -> Targets {
        let mut rng = StdRng::seed_from_u64(seed);
        Targets::Classes {
            labels: draw_classes(&softmax_rows(outputs), &mut rng),
            classes: outputs.shape()[1],
        }
    }

    fn accuracy(&self, outputs: &Tensor, targets: &Targets) -> Option<f64> {
        Some(fraction_equal(&argmax_rows(outputs), labels(targets)))
    }
}
