//! Standardisation of features to zero mean and unit variance.

use autodiff::{Scalar, TensorOf};

use crate::data::Dataset;

/// Per-feature mean and standard deviation, fitted on one data set (the
/// training split) and applied to any other.
///
/// ```
/// use autodiff::Tensor;
/// use models::{Dataset, Standardizer, Targets};
/// let x = Tensor::from_rows(&[vec![1.0, 10.0], vec![3.0, 30.0]])?;
/// let data = Dataset::new(x, Targets::Values(Tensor::zeros(&[2, 1])))?;
/// let s = Standardizer::fit(&data);
/// assert_eq!(s.apply(&data).features().data(), &[-1.0, -1.0, 1.0, 1.0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Standardizer {
    mean: Vec<f64>,
    std: Vec<f64>,
}

impl Standardizer {
    /// Fits the mean and (population) standard deviation of every feature.
    /// NOTE: a constant feature gets standard deviation 1, so it maps to 0
    /// instead of NaN.
    pub fn fit<S: Scalar>(data: &Dataset<S>) -> Standardizer {
        let (n, d) = (data.len(), data.num_features());
        let x = data.features().data();
        let column = |j: usize| (0..n).map(move |i| x[i * d + j].as_f64());
        let mean: Vec<f64> = (0..d)
            .map(|j| column(j).sum::<f64>() / n.max(1) as f64)
            .collect();
        let std = (0..d)
            .map(|j| {
                let var = column(j).map(|v| (v - mean[j]).powi(2)).sum::<f64>() / n.max(1) as f64;
                if var > 0.0 {
                    var.sqrt()
                } else {
                    1.0
                }
            })
            .collect();
        Standardizer { mean, std }
    }

    /// The per-feature means.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// The per-feature standard deviations.
    pub fn std(&self) -> &[f64] {
        &self.std
    }

    /// `(x - mean) / std` for every feature; targets are unchanged.
    ///
    /// # Panics
    /// When `data` has a different number of features than the fitted one.
    pub fn apply<S: Scalar>(&self, data: &Dataset<S>) -> Dataset<S> {
        let d = self.mean.len();
        assert_eq!(
            data.num_features(),
            d,
            "Standardizer::apply: fitted on {d} features, given {}",
            data.num_features()
        );
        let x = data.features();
        let z = TensorOf::from_fn(x.shape(), |i| {
            S::of((x.data()[i].as_f64() - self.mean[i % d]) / self.std[i % d])
        });
        data.with_features(z)
    }
}
