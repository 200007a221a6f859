//! Mean squared error.

use autodiff::{Tensor, Var};

use crate::data::Targets;
use crate::loss::{values, Loss};

/// Mean squared error over all elements of `[B, k]` outputs and targets:
/// `L = (1/Bk) Σ (f - y)²`, the negative log-likelihood (up to scale and a
/// constant) of `y ~ N(f, ½ I)`. Output curvature: `2/(Bk) · I`.
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

impl Loss for Mse {
    fn loss<'t>(&self, outputs: Var<'t>, targets: &Targets) -> Var<'t> {
        let y = outputs.tape().constant(values(targets, "Mse").clone());
        outputs.mse(y)
    }

    fn curvature_vp(&self, outputs: &Tensor, v: &Tensor) -> Tensor {
        let scale = 2.0 / outputs.len() as f64;
        v.map(|x| scale * x)
    }

    fn sample(&self, outputs: &Tensor, seed: u64) -> Targets {
        let e = Tensor::randn(outputs.shape(), seed);
        let s = 0.5f64.sqrt();
        Targets::Values(Tensor::from_fn(outputs.shape(), |i| {
            outputs.data()[i] + s * e.data()[i]
        }))
    }
}
