//! Losses on a network's outputs, each with its output-space curvature (for
//! Gauss-Newton and Fisher products) and sampling from the predictive
//! distribution it is the negative log-likelihood of (for Monte-Carlo Fisher).

mod bce;
mod cross_entropy;
mod gaussian_head;
mod mse;

pub use bce::BceWithLogits;
pub use cross_entropy::SoftmaxCrossEntropy;
pub use gaussian_head::GaussianHead;
pub use mse::Mse;

use autodiff::{Tensor, Var};

use crate::data::Targets;

/// A batch-mean loss `L(f) = (1/B) Σᵢ ℓ(fᵢ, yᵢ)` of network outputs `f: [B, k]`,
/// the negative log-likelihood (up to a constant and a scale) of a
/// predictive distribution `p(y | f)`.
///
/// Gauss-Newton products need the curvature of `L` in output space: for
/// every loss here it is the Fisher of `p(y | f)` in `f` (scaled like `L`),
/// which for the canonical links (squared error, logistic, softmax) is the
/// exact Hessian `∂²L/∂f²` and for the Gaussian head its expectation over
/// `y ~ p(y | f)`.
pub trait Loss {
    /// The loss as a graph (a scalar var).
    ///
    /// # Panics
    /// When the targets are of the wrong kind or shape for this loss (a
    /// programming error; data are validated when a [`crate::Dataset`] is built).
    fn loss<'t>(&self, outputs: Var<'t>, targets: &Targets) -> Var<'t>;

    /// The output-space curvature (see the trait docs) applied to `v`, which
    /// has the shape of `outputs`; the result has the same shape.
    fn curvature_vp(&self, outputs: &Tensor, v: &Tensor) -> Tensor;

    /// Targets drawn from `p(y | f)` for every row of `outputs`, reproducibly from `seed`.
    fn sample(&self, outputs: &Tensor, seed: u64) -> Targets;

    /// The fraction of examples predicted correctly, for classification losses.
    fn accuracy(&self, _outputs: &Tensor, _targets: &Targets) -> Option<f64> {
        None
    }
}

/// The real-valued targets as a tensor, panicking with the loss's name otherwise.
fn values<'a>(targets: &'a Targets, who: &str) -> &'a Tensor {
    match targets {
        Targets::Values(t) => t,
        Targets::Classes { .. } => panic!("{who}: needs real-valued targets, got class labels"),
    }
}

/// Row-wise argmax of a `[B, k]` matrix.
fn argmax_rows(outputs: &Tensor) -> Vec<usize> {
    let k = outputs.shape()[1];
    outputs
        .data()
        .chunks(k)
        .map(|row| (0..k).fold(0, |best, j| if row[j] > row[best] { j } else { best }))
        .collect()
}

fn fraction_equal(a: &[usize], b: &[usize]) -> f64 {
    let hits = a.iter().zip(b).filter(|(x, y)| x == y).count();
    hits as f64 / a.len().max(1) as f64
}
