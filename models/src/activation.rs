//! Element-wise activation functions, composed from the engine's primitives.

use autodiff::{Scalar, VarOf};

/// The nonlinearity applied after a dense layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// `tanh(x)`.
    Tanh,
    /// `max(x, 0)`.
    Relu,
    /// `1 / (1 + e^{-x})`.
    Sigmoid,
    /// `log(1 + e^x)`.
    Softplus,
    /// GELU in its tanh approximation (Hendrycks & Gimpel 2016):
    /// `x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³)))`.
    Gelu,
    /// `x` (the last layer of a regression or a logits head).
    Identity,
}

impl Activation {
    /// Every activation, for tests and tables.
    pub const ALL: [Activation; 6] = [
        Activation::Tanh,
        Activation::Relu,
        Activation::Sigmoid,
        Activation::Softplus,
        Activation::Gelu,
        Activation::Identity,
    ];

    /// Applies the activation element-wise.
    ///
    /// ```
    /// use autodiff::{value, Tensor};
    /// use models::Activation;
    /// let y = value(|x| Activation::Relu.apply(x[0]), &[Tensor::vector(vec![-1.0, 2.0])]);
    /// assert_eq!(y.data(), &[0.0, 2.0]);
    /// ```
    pub fn apply<'t, S: Scalar>(self, x: VarOf<'t, S>) -> VarOf<'t, S> {
        match self {
            Activation::Tanh => x.tanh(),
            Activation::Relu => x.relu(),
            Activation::Sigmoid => x.sigmoid(),
            Activation::Softplus => x.softplus(),
            Activation::Gelu => {
                let c = S::of((2.0 / std::f64::consts::PI).sqrt());
                let inner = (x + x.square() * x * S::of(0.044715)) * c;
                x * S::of(0.5) * (inner.tanh() + S::one())
            }
            Activation::Identity => x,
        }
    }
}
