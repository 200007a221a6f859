//! Seeded weight initialisation schemes.

use autodiff::Tensor;

/// How a dense layer's weight matrix `[fan_in, fan_out]` is drawn (biases start at zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// Glorot & Bengio (2010): uniform on `±√(6 / (fan_in + fan_out))`, for tanh,
    /// sigmoid and identity layers.
    Glorot,
    /// He et al. (2015): normal with variance `2 / fan_in`, for ReLU-like layers.
    He,
}

impl Init {
    /// A weight matrix of shape `[fan_in, fan_out]`, reproducible from `seed`.
    ///
    /// ```
    /// use models::Init;
    /// let w = Init::Glorot.weight(3, 5, 0);
    /// assert_eq!(w.shape(), &[3, 5]);
    /// assert!(w.max_abs() <= (6.0f64 / 8.0).sqrt());
    /// assert_eq!(w, Init::Glorot.weight(3, 5, 0));
    /// ```
    pub fn weight(self, fan_in: usize, fan_out: usize, seed: u64) -> Tensor {
        let shape = [fan_in, fan_out];
        match self {
            Init::Glorot => {
                let a = (6.0 / (fan_in + fan_out) as f64).sqrt();
                Tensor::rand_uniform(&shape, -a, a, seed)
            }
            Init::He => {
                let s = (2.0 / fan_in as f64).sqrt();
                Tensor::randn(&shape, seed).map(|x| s * x)
            }
        }
    }
}
