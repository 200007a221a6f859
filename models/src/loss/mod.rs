//! Losses on a network's outputs: the value, and what the curvature methods
//! need of it — its output-space Hessian, the Fisher of the likelihood it is
//! the negative logarithm of, and draws from that likelihood.
//!
//! # The scale convention
//!
//! Every loss is a batch mean of per-example terms,
//! `L(f, y) = (1/B) Σ_b ℓ(f_b, y_b)` for outputs `f: [B, k]`, and, where it
//! is a likelihood, `ℓ(f_b, y_b) = −c · log p(y_b | f_b)` up to a constant,
//! with `c` = [`Loss::likelihood_weight`]. Every output-space curvature is
//! on the scale of `∇²_f L` itself: the Gauss-Newton matrix uses
//! `Q = ∇²_f L`, the Fisher `Q = E_{y ~ p(·|f)}[∇²_f L(f, y)]` (equal to
//! `(c/B) Σ_b E[s_b s_bᵀ]` with `s_b` the score of `−log p`), and the
//! Monte-Carlo and empirical Fishers estimate the same `Q` from sampled or
//! observed targets. So with the canonical links (squared error, logistic,
//! softmax) all four agree in expectation and the first two exactly.

mod bce;
mod cross_entropy;
mod gaussian_head;
mod mse;
mod sampling;

pub use bce::BceWithLogits;
pub use cross_entropy::SoftmaxCrossEntropy;
pub use gaussian_head::GaussianHead;
pub use mse::Mse;
pub use sampling::{draw_bernoulli, draw_classes, sigmoid, softmax_rows};

use autodiff::{Scalar, TensorOf, VarOf};

use crate::curvature::OutputMatrix;
use crate::data::Targets;

/// A batch-mean loss of network outputs `f: [B, k]` (see the module docs for
/// the scale convention).
///
/// Only [`loss`](Loss::loss) is required: the Gauss-Newton curvature of a
/// loss that gives nothing else comes from the engine (the exact Hessian of
/// `loss` in the outputs, one sweep with `k` tangent lanes), the
/// Monte-Carlo Fisher needs [`sample`](Loss::sample), and the exact Fisher
/// needs [`fisher`](Loss::fisher). The empirical Fisher needs nothing more.
///
/// `S` is the precision of the outputs and targets (`impl Loss for X` is
/// an `f64` loss; the built-in losses are written once for both). The
/// graph of [`loss`](Loss::loss) is in `S`; the output-space matrices
/// ([`OutputMatrix`], `B` blocks of `k × k`) are small and always `f64`,
/// computed from the outputs widened exactly.
///
/// ```
/// use autodiff::{Tensor, Var};
/// use models::{Loss, Targets};
///
/// /// Pseudo-Huber: δ² (√(1 + (r/δ)²) − 1), averaged over every element.
/// struct PseudoHuber(f64);
///
/// impl Loss for PseudoHuber {
///     fn loss<'t>(&self, outputs: Var<'t>, targets: &Targets) -> Var<'t> {
///         let y = outputs.tape().constant(targets.values().expect("real targets").clone());
///         let r = (outputs - y) / self.0;
///         (((r.square() + 1.0).sqrt() - 1.0) * (self.0 * self.0)).mean()
///     }
/// }
///
/// let f = Tensor::from_rows(&[vec![1.0], vec![-2.0]])?;
/// let y = Targets::Values(Tensor::zeros(&[2, 1]));
/// // The Gauss-Newton matrix in output space, from the engine: δ² / (δ² + r²)^{3/2} / B.
/// let q = PseudoHuber(1.0).hessian(&f, &y);
/// let qv = q.apply(&Tensor::ones(&[2, 1]));
/// assert!((qv.data()[0] - 0.5 * 2f64.powf(-1.5)).abs() < 1e-15);
/// # Ok::<(), autodiff::TensorError>(())
/// ```
pub trait Loss<S: Scalar = f64> {
    /// The loss as a graph (a scalar var).
    ///
    /// # Panics
    /// The built-in losses panic with [`check`](Loss::check)'s message when
    /// the targets are of the wrong kind or shape for the outputs (a
    /// programming error: [`crate::Supervised::new`] refuses such data with
    /// an error before any loss is taken).
    fn loss<'t>(&self, outputs: VarOf<'t, S>, targets: &Targets<S>) -> VarOf<'t, S>;

    /// Whether outputs of this shape and these targets fit the loss; the
    /// message names what does not. The default checks only that the
    /// outputs are a matrix with one row per target.
    ///
    /// # Errors
    /// A message naming the shapes or targets that do not fit.
    fn check(&self, outputs: &[usize], targets: &Targets<S>) -> Result<(), String> {
        match *outputs {
            [rows, _] if rows == targets.len() => Ok(()),
            [rows, _] => Err(format!(
                "outputs have {rows} rows but there are {} targets",
                targets.len()
            )),
            _ => Err(format!(
                "outputs of shape {outputs:?}: expected a matrix [batch, outputs]"
            )),
        }
    }

    /// The Hessian `∇²_f L` in output space, one `k × k` block per example.
    /// The default asks the engine for it (exact; see the trait docs).
    fn hessian(&self, outputs: &TensorOf<S>, targets: &Targets<S>) -> OutputMatrix {
        OutputMatrix::loss_hessian(|f| self.loss(f, targets), outputs)
    }

    /// The Fisher `E_{y ~ p(·|f)}[∇²_f L]` in output space, when the loss
    /// knows it in closed form (default: it does not).
    fn fisher(&self, _outputs: &TensorOf<S>) -> Option<OutputMatrix> {
        None
    }

    /// Targets drawn from `p(y | f)` for every row of `outputs`,
    /// reproducibly from `seed`, when the loss is a likelihood that can be
    /// sampled (default: it cannot).
    fn sample(&self, _outputs: &TensorOf<S>, _seed: u64) -> Option<Targets<S>> {
        None
    }

    /// `c` in `ℓ = −c · log p(y | f)` for outputs with `columns` columns
    /// (default 1): how the loss is scaled against the log-likelihood.
    fn likelihood_weight(&self, _columns: usize) -> f64 {
        1.0
    }

    /// The fraction of examples predicted correctly, for classification losses.
    fn accuracy(&self, _outputs: &TensorOf<S>, _targets: &Targets<S>) -> Option<f64> {
        None
    }
}

/// The real-valued targets as a tensor, panicking with the loss's name otherwise.
fn values<'a, S: Scalar>(targets: &'a Targets<S>, who: &str) -> &'a TensorOf<S> {
    targets
        .values()
        .unwrap_or_else(|| panic!("{who}: needs real-valued targets, got class labels"))
}

/// Checks that real-valued targets have exactly the outputs' shape.
fn same_shape<S: Scalar>(outputs: &[usize], targets: &Targets<S>, who: &str) -> Result<(), String> {
    match targets.values() {
        Some(y) if y.shape() == outputs => Ok(()),
        Some(y) => Err(mismatch(who, outputs, y.shape(), "targets", outputs)),
        None => Err(format!(
            "{who}: needs real-valued targets, got class labels"
        )),
    }
}

/// "`who`: outputs have shape `outputs` but targets `targets`; expected
/// `wrong` of shape `expected`" — the message of every shape check.
fn mismatch(
    who: &str,
    outputs: &[usize],
    targets: &[usize],
    wrong: &str,
    expected: &[usize],
) -> String {
    format!(
        "{who}: outputs have shape {outputs:?} but targets {targets:?}; expected {wrong} of shape {expected:?}"
    )
}

/// Panics with [`Loss::check`]'s message unless the outputs and targets fit:
/// a built-in loss never broadcasts targets of the wrong shape into a number.
fn ensure_fits<S: Scalar>(loss: &impl Loss<S>, outputs: &[usize], targets: &Targets<S>) {
    if let Err(message) = loss.check(outputs, targets) {
        panic!("{message}");
    }
}

/// The output Hessian of a loss whose Hessian does not depend on the
/// targets (squared error, logistic): its Fisher, read off at any targets
/// of the outputs' shape.
fn target_free_hessian<S: Scalar>(loss: &impl Loss<S>, outputs: &TensorOf<S>) -> OutputMatrix {
    loss.hessian(outputs, &Targets::Values(outputs.clone()))
}

/// Row-wise argmax of a `[B, k]` matrix.
fn argmax_rows<S: Scalar>(outputs: &TensorOf<S>) -> Vec<usize> {
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
