//! Functions composed from the primitives, with no derivative code of their
//! own: their gradients and Hessian-vector products come from the primitives'
//! rules.

use crate::scalar::Scalar;
use crate::tensor::{Tensor, TensorOf};
use crate::var::VarOf;
use crate::KeepDims;

impl<'t, S: Scalar> VarOf<'t, S> {
    /// Elementwise clamp to `[low, high]`, as `minimum(maximum(x, low), high)`
    /// (JAX's `clip`): at a bound the derivative is ½ (a tie of `maximum`
    /// or `minimum`), inside 1, outside 0; NaN stays NaN.
    #[track_caller]
    pub fn clamp(self, low: S, high: S) -> VarOf<'t, S> {
        let tape = self.tape();
        let (low, high) = (
            tape.constant(TensorOf::scalar(low)),
            tape.constant(TensorOf::scalar(high)),
        );
        self.maximum(low).minimum(high)
    }

    /// `log Σ exp(x)` along `axis`, with the maximum subtracted (held
    /// constant, since it cancels) for stability — or 0 in its place where
    /// it is not finite, so that `logsumexp([∞, 1])` is ∞ and the sum over an
    /// empty axis is -∞ (as JAX's `logsumexp`).
    #[track_caller]
    pub fn logsumexp(self, axis: usize, keep: KeepDims) -> VarOf<'t, S> {
        let m = self.max_axis(axis, KeepDims::Yes).value();
        let m = self
            .tape()
            .constant(m.map(|m| if m.is_finite() { m } else { S::zero() }));
        let lse = m + (self - m).exp().sum_axis(axis, KeepDims::Yes).ln();
        if keep.kept() {
            lse
        } else {
            let mut shape = self.shape();
            shape.remove(axis);
            lse.reshape(&shape)
        }
    }

    /// `x - logsumexp(x)` along `axis`, computed as JAX's `log_softmax`:
    /// `(x - m) - log Σ exp(x - m)` with the maximum `m` held constant, so an
    /// infinite logit makes its whole row NaN.
    #[track_caller]
    pub fn log_softmax(self, axis: usize) -> VarOf<'t, S> {
        let shifted = self - self.max_axis(axis, KeepDims::Yes).detach();
        shifted - shifted.exp().sum_axis(axis, KeepDims::Yes).ln()
    }
    /// `exp(x) / Σ exp(x)` along `axis`.
    #[track_caller]
    pub fn softmax(self, axis: usize) -> VarOf<'t, S> {
        self.log_softmax(axis).exp()
    }

    /// Mean softmax cross-entropy of `[B, C]` logits against integer class labels.
    ///
    /// # Panics
    /// When the logits are not 2-D, `labels.len()` differs from `B`, or a
    /// label is not below `C` (validate data before it reaches the graph).
    #[track_caller]
    pub fn softmax_cross_entropy(self, labels: &[usize]) -> VarOf<'t, S> {
        let shape = self.shape();
        assert!(
            shape.len() == 2 && shape[0] == labels.len(),
            "softmax_cross_entropy: logits of shape {shape:?} do not match {} labels",
            labels.len()
        );
        let classes = shape[1];
        if let Some(&bad) = labels.iter().find(|&&y| y >= classes) {
            panic!("softmax_cross_entropy: label {bad} is not below the {classes} classes");
        }
        let picks: Vec<usize> = labels
            .iter()
            .enumerate()
            .map(|(i, &y)| i * classes + y)
            .collect();
        let flat = self.log_softmax(1).reshape(&[labels.len() * classes]);
        -flat.index_select(0, &picks).mean()
    }

    /// Mean binary cross-entropy of logits `z` against targets `y` in [0, 1]:
    /// `softplus(z) - y z`.
    #[track_caller]
    pub fn binary_cross_entropy_with_logits(self, targets: VarOf<'t, S>) -> VarOf<'t, S> {
        (self.softplus() - targets * self).mean()
    }

    /// Mean squared error against `targets`.
    #[track_caller]
    pub fn mse(self, targets: VarOf<'t, S>) -> VarOf<'t, S> {
        (self - targets).square().mean()
    }

    /// Mean Gaussian negative log-likelihood of the observations `self` under
    /// `N(mean, exp(log_sigma)²)`:
    /// `log σ + (x - μ)² / (2σ²) + log(2π)/2`, averaged over elements.
    #[track_caller]
    pub fn gaussian_nll(self, mean: VarOf<'t, S>, log_sigma: VarOf<'t, S>) -> VarOf<'t, S> {
        let z = (self - mean) * (-log_sigma).exp();
        let half_log_2pi = S::of(0.5 * (2.0 * std::f64::consts::PI).ln());
        (log_sigma + z.square() * S::of(0.5) + half_log_2pi).mean()
    }
}

/// One-hot `f64` rows `[B, C]` for integer labels (a constant, for losses
/// written by hand; [`TensorOf::cast`] gives other precisions).
///
/// # Panics
/// When a label is not below `classes`.
pub fn one_hot(labels: &[usize], classes: usize) -> Tensor {
    let mut data = vec![0.0; labels.len() * classes];
    for (i, &y) in labels.iter().enumerate() {
        assert!(
            y < classes,
            "one_hot: label {y} is not below the {classes} classes"
        );
        data[i * classes + y] = 1.0;
    }
    Tensor::new(&[labels.len(), classes], data)
}
