//! Heteroscedastic Gaussian regression: the network predicts a mean and a
//! log standard deviation per target.

use autodiff::{Scalar, Tensor, TensorOf, VarOf};

use crate::curvature::OutputMatrix;
use crate::data::Targets;
use crate::loss::{ensure_fits, mismatch, values, Loss};

/// Heteroscedastic regression: the network outputs `[B, 2k]`, the first `k`
/// columns the means `μ(x)` and the last `k` the log standard deviations
/// `log σ(x)` of `y ~ N(μ(x), σ(x)²)` for targets `[B, k]`. The loss is the
/// Gaussian negative log-likelihood averaged over the `Bk` elements
/// (`c = 1/k`). Its output Hessian depends on the residuals and is not
/// positive semi-definite (it comes from the engine); its Fisher, the
/// expected Hessian over `y`, is `diag(1/σ², 2) / (Bk)` in `(μ, log σ)`.
///
/// ```
/// use autodiff::{value, Tensor};
/// use models::{GaussianHead, Loss, Targets};
/// let y = Targets::Values(Tensor::from_rows(&[vec![1.0]])?);
/// let f = Tensor::from_rows(&[vec![1.0, 0.0]])?; // μ = 1, σ = 1
/// let nll = value(|x| GaussianHead.loss(x[0], &y), &[f]).item();
/// assert!((nll - 0.5 * (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
/// # Ok::<(), autodiff::TensorError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GaussianHead;

fn half_width(outputs: &[usize]) -> usize {
    assert!(
        outputs.len() == 2 && outputs[1] % 2 == 0,
        "GaussianHead: outputs of shape {outputs:?} are not [B, 2k] (means, then log std devs)"
    );
    outputs[1] / 2
}

impl<S: Scalar> Loss<S> for GaussianHead {
    fn loss<'t>(&self, outputs: VarOf<'t, S>, targets: &Targets<S>) -> VarOf<'t, S> {
        ensure_fits(self, &outputs.shape(), targets);
        let k = half_width(&outputs.shape());
        let y = outputs
            .tape()
            .constant(values(targets, "GaussianHead").clone());
        y.gaussian_nll(outputs.slice(1, 0, k), outputs.slice(1, k, 2 * k))
    }

    fn check(&self, outputs: &[usize], targets: &Targets<S>) -> Result<(), String> {
        let Some(y) = targets.values() else {
            return Err("GaussianHead: needs real-valued targets, got class labels".into());
        };
        match (outputs, y.shape()) {
            (&[rows, width], &[n, k]) if rows == n && width == 2 * k => Ok(()),
            (_, &[n, k]) => Err(mismatch(
                "GaussianHead",
                outputs,
                y.shape(),
                "outputs (means, then log standard deviations)",
                &[n, 2 * k],
            )),
            (_, shape) => Err(format!(
                "GaussianHead: targets of shape {shape:?}; expected targets [rows, k] for outputs [rows, 2k]"
            )),
        }
    }

    fn fisher(&self, outputs: &TensorOf<S>) -> Option<OutputMatrix> {
        let k = half_width(outputs.shape());
        let n = (outputs.len() / 2).max(1) as f64;
        let outputs = outputs.cast::<f64>();
        let f = outputs.data();
        Some(OutputMatrix::Diagonal(Tensor::from_fn(
            outputs.shape(),
            |i| {
                let (row, col) = (i / (2 * k), i % (2 * k));
                let fisher = if col < k {
                    (-2.0 * f[row * 2 * k + k + col]).exp()
                } else {
                    2.0
                };
                fisher / n
            },
        )))
    }

    fn sample(&self, outputs: &TensorOf<S>, seed: u64) -> Option<Targets<S>> {
        let k = half_width(outputs.shape());
        let b = outputs.shape()[0];
        let e = Tensor::randn(&[b, k], seed);
        let f = outputs.cast::<f64>();
        let f = f.data();
        Some(Targets::Values(TensorOf::from_fn(&[b, k], |i| {
            let (row, col) = (i / k, i % k);
            S::of(f[row * 2 * k + col] + f[row * 2 * k + k + col].exp() * e.data()[i])
        })))
    }

    fn likelihood_weight(&self, columns: usize) -> f64 {
        2.0 / columns.max(2) as f64
    }
}
