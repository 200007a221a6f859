//! The univariate Gaussian in `(μ, log σ)`.

use autodiff::{Scalar, Tensor, VarOf};

/// `N(μ, σ²)` parametrised by `(μ, log σ)`, so that every real pair is valid.
///
/// Its Fisher information per observation is `diag(1/σ², 2)`: the expected
/// Hessian of `-log p(x) = log σ + (x - μ)²/(2σ²) + const` over `x ~ N(μ, σ²)`.
///
/// ```
/// use autodiff::{value_and_grad, Tensor};
/// use models::likelihood::UnivariateGaussian;
///
/// let truth = UnivariateGaussian::new(2.0, 0.5f64.ln());
/// let x = truth.sample(1000, 0);
/// // The maximum-likelihood fit is where the NLL's gradient vanishes.
/// let fit = UnivariateGaussian::fit(&x);
/// let (_, g) = value_and_grad(
///     |p| UnivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x.clone())),
///     &fit.params(),
/// );
/// assert!(g[0].item().abs() < 1e-12 && g[1].item().abs() < 1e-12);
/// assert!((fit.mean - 2.0).abs() < 0.1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnivariateGaussian {
    /// The mean `μ`.
    pub mean: f64,
    /// The log standard deviation `log σ`.
    pub log_sigma: f64,
}

impl UnivariateGaussian {
    /// `N(mean, exp(log_sigma)²)`.
    pub fn new(mean: f64, log_sigma: f64) -> UnivariateGaussian {
        UnivariateGaussian { mean, log_sigma }
    }

    /// The maximum-likelihood fit to observations (any shape): the sample
    /// mean and the log of the population standard deviation.
    pub fn fit(x: &Tensor) -> UnivariateGaussian {
        let n = x.len().max(1) as f64;
        let mean = x.data().iter().sum::<f64>() / n;
        let var = x.data().iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        UnivariateGaussian::new(mean, 0.5 * var.ln())
    }

    /// The parameters as scalar tensors `[μ, log σ]`, in the order [`UnivariateGaussian::nll`] takes.
    pub fn params(&self) -> [Tensor; 2] {
        [Tensor::scalar(self.mean), Tensor::scalar(self.log_sigma)]
    }

    /// The mean negative log-likelihood of the observations `x` (any shape)
    /// as a graph of the scalar vars `mean` and `log_sigma`.
    pub fn nll<'t, S: Scalar>(
        mean: VarOf<'t, S>,
        log_sigma: VarOf<'t, S>,
        x: VarOf<'t, S>,
    ) -> VarOf<'t, S> {
        x.gaussian_nll(mean, log_sigma)
    }

    /// The Fisher information per observation in `(μ, log σ)`: `diag(1/σ², 2)`.
    pub fn fisher(&self) -> Tensor {
        let inv_var = (-2.0 * self.log_sigma).exp();
        Tensor::from_fn(&[2, 2], |i| match i {
            0 => inv_var,
            3 => 2.0,
            _ => 0.0,
        })
    }

    /// `n` draws, reproducibly from `seed`.
    pub fn sample(&self, n: usize, seed: u64) -> Tensor {
        let s = self.log_sigma.exp();
        Tensor::randn(&[n], seed).map(|z| self.mean + s * z)
    }
}
