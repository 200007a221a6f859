//! Multi-layer perceptrons: dense layers `y = act(x W + b)`.

use autodiff::{Scalar, VarOf};

use crate::activation::Activation;
use crate::init::Init;
use crate::layers::dense;
use crate::model::Model;
use crate::params::Params;

/// One dense layer: `act(x W + b)` with `W: [fan_in, fan_out]`, `b: [fan_out]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dense {
    /// Input width.
    pub fan_in: usize,
    /// Output width.
    pub fan_out: usize,
    /// Nonlinearity applied to the pre-activation `x W + b`.
    pub activation: Activation,
}

/// A multi-layer perceptron, built layer by layer. It holds the
/// architecture only; the values live in a [`Params`] from [`Mlp::init`],
/// named `layers.{i}.weight` and `layers.{i}.bias`, weight before bias.
///
/// ```
/// use autodiff::{value_and_grad, Tensor};
/// use models::{Activation, Mlp, Model};
///
/// let mlp = Mlp::new(3).dense(8, Activation::Tanh).dense(2, Activation::Identity);
/// let params = mlp.init(0);
/// assert_eq!(params.names(), ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]);
/// let x = Tensor::randn(&[5, 3], 1);
/// let (loss, grads) = value_and_grad(
///     |p| mlp.forward(p, p[0].tape().constant(x.clone())).square().mean(),
///     params.tensors(),
/// );
/// assert!(loss > 0.0 && grads.len() == 4);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mlp {
    inputs: usize,
    layers: Vec<Dense>,
}

impl Mlp {
    /// An MLP with `inputs` input features and no layers yet.
    pub fn new(inputs: usize) -> Mlp {
        Mlp {
            inputs,
            layers: Vec::new(),
        }
    }

    /// Appends a dense layer with `outputs` units and `activation`.
    pub fn dense(mut self, outputs: usize, activation: Activation) -> Mlp {
        let fan_in = self.outputs();
        self.layers.push(Dense {
            fan_in,
            fan_out: outputs,
            activation,
        });
        self
    }

    /// Number of input features.
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// Width of the output (the input width when there are no layers).
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(self.inputs, |l| l.fan_out)
    }

    /// The dense layers, input layer first.
    pub fn layers(&self) -> &[Dense] {
        &self.layers
    }

    /// Position of layer `i`'s weight in the parameter list (its bias follows).
    pub fn weight_index(layer: usize) -> usize {
        2 * layer
    }

    /// Position of layer `i`'s bias in the parameter list.
    pub fn bias_index(layer: usize) -> usize {
        2 * layer + 1
    }

    /// Parameters with the usual scheme per layer — [`Init::He`] before a
    /// ReLU, [`Init::Glorot`] otherwise — reproducible from `seed`.
    pub fn init(&self, seed: u64) -> Params {
        self.init_with(
            |a| match a {
                Activation::Relu => Init::He,
                _ => Init::Glorot,
            },
            seed,
        )
    }

    /// Parameters drawn with `scheme(activation)` for each layer, reproducible from `seed`.
    pub fn init_with(&self, scheme: impl Fn(Activation) -> Init, seed: u64) -> Params {
        let mut named = Vec::with_capacity(2 * self.layers.len());
        for (i, l) in self.layers.iter().enumerate() {
            let layer_seed = seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(i as u64 + 1);
            let w = scheme(l.activation).weight(l.fan_in, l.fan_out, layer_seed);
            named.push((format!("layers.{i}.weight"), w));
            named.push((
                format!("layers.{i}.bias"),
                autodiff::Tensor::zeros(&[l.fan_out]),
            ));
        }
        Params::new(named)
            .expect("the names layers.{i}.weight and layers.{i}.bias are valid and distinct")
    }
}

impl<S: Scalar> Model<S> for Mlp {
    /// Every layer through [`dense`], so K-FAC finds them.
    ///
    /// # Panics
    /// When `params` does not hold two vars per layer, or the inputs are not
    /// `[B, inputs]` (the message is [`Model::output_shape`]'s).
    fn forward<'t>(&self, params: &[VarOf<'t, S>], inputs: VarOf<'t, S>) -> VarOf<'t, S> {
        assert_eq!(
            params.len(),
            2 * self.layers.len(),
            "Mlp::forward: {} parameter vars given for {} layers (weight and bias each)",
            params.len(),
            self.layers.len()
        );
        if let Err(message) = Model::<S>::output_shape(self, &inputs.shape()) {
            panic!("{message}");
        }
        let mut x = inputs;
        for (l, wb) in self.layers.iter().zip(params.chunks(2)) {
            x = l.activation.apply(dense(x, wb[0], wb[1]));
        }
        x
    }

    /// `[B, outputs]` for inputs `[B, inputs]`.
    fn output_shape(&self, inputs: &[usize]) -> Result<Option<Vec<usize>>, String> {
        match *inputs {
            [rows, width] if width == self.inputs => Ok(Some(vec![rows, self.outputs()])),
            [_, width] => Err(format!(
                "Mlp expects {} inputs per row, got {width}",
                self.inputs
            )),
            _ => Err(format!(
                "Mlp expects inputs of shape [rows, {}], got shape {inputs:?}",
                self.inputs
            )),
        }
    }
}
