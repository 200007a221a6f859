//! Mean squared error.

use autodiff::{Scalar, Tensor, TensorOf, VarOf};

use crate::curvature::OutputMatrix;
use crate::data::Targets;
use crate::loss::{ensure_fits, same_shape, target_free_hessian, values, Loss};

/// Mean squared error over all elements of `[B, k]` outputs and targets:
/// `L = (1/Bk) Σ (f - y)²`, exactly the batch-mean negative log-likelihood
/// (constants dropped) of `y ~ N(f, (k/2) I)`. Output curvature (Hessian and
/// Fisher): `2/(Bk) · I`.
///
/// ```
/// use autodiff::{value, Tensor};
/// use models::{Loss, Mse, Targets};
/// let y = Targets::Values(Tensor::from_rows(&[vec![1.0], vec![3.0]])?);
/// let f = Tensor::from_rows(&[vec![0.0], vec![0.0]])?;
/// assert_eq!(value(|x| Mse.loss(x[0], &y), &[f]).item(), 5.0);
/// # Ok::<(), autodiff::TensorError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mse;

impl<S: Scalar> Loss<S> for Mse {
    fn loss<'t>(&self, outputs: VarOf<'t, S>, targets: &Targets<S>) -> VarOf<'t, S> {
        ensure_fits(self, &outputs.shape(), targets);
        let y = outputs.tape().constant(values(targets, "Mse").clone());
        outputs.mse(y)
    }

    fn check(&self, outputs: &[usize], targets: &Targets<S>) -> Result<(), String> {
        same_shape(outputs, targets, "Mse")
    }

    fn hessian(&self, outputs: &TensorOf<S>, _targets: &Targets<S>) -> OutputMatrix {
        let scale = 2.0 / outputs.len().max(1) as f64;
        OutputMatrix::Diagonal(Tensor::from_fn(outputs.shape(), |_| scale))
    }

    fn fisher(&self, outputs: &TensorOf<S>) -> Option<OutputMatrix> {
        Some(target_free_hessian(self, outputs))
    }

    fn sample(&self, outputs: &TensorOf<S>, seed: u64) -> Option<Targets<S>> {
        let columns = outputs.shape().get(1).copied().unwrap_or(1);
        let e = Tensor::randn(outputs.shape(), seed);
        let sigma = (columns as f64 / 2.0).sqrt();
        Some(Targets::Values(TensorOf::from_fn(outputs.shape(), |i| {
            S::of(outputs.data()[i].as_f64() + sigma * e.data()[i])
        })))
    }
}
