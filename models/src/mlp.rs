//! Multi-layer perceptrons: dense layers `y = act(x W + b)`.

use autodiff::Var;

use crate::activation::Activation;
use crate::init::Init;
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

/// What one dense layer saw during a traced forward pass.
///
/// After `let adj = tape.backward(loss)`, `adj.grad(layer.pre_activation)`
/// is the gradient of the loss with respect to the pre-activations `[B,
/// fan_out]` (for a batch-mean loss it carries the factor `1/B`); together
/// with `layer.input.value()` (`[B, fan_in]`) these are the statistics K-FAC
/// and Shampoo build their factors from.
///
/// ```
/// use autodiff::{Tape, Tensor};
/// use models::{Activation, Loss, Mlp, SoftmaxCrossEntropy};
///
/// let mlp = Mlp::new(4).dense(8, Activation::Tanh).dense(3, Activation::Identity);
/// let params = mlp.init(0);
/// let tape = Tape::new();
/// let vars = params.vars(&tape);
/// let trace = mlp.forward_traced(&vars, tape.constant(Tensor::randn(&[16, 4], 1)));
/// // Targets drawn from the model's predictive distribution give the Fisher
/// // (not the empirical Fisher).
/// let sampled = SoftmaxCrossEntropy.sample(&trace.output.value(), 2);
/// let adj = tape.backward(SoftmaxCrossEntropy.loss(trace.output, &sampled));
/// for (i, layer) in trace.layers.iter().enumerate() {
///     let a = layer.input.value(); // [B, fan_in]
///     let g = adj.grad(layer.pre_activation); // [B, fan_out], includes 1/B
///     let w = &params.tensors()[Mlp::weight_index(i)]; // [fan_in, fan_out]
///     assert_eq!((a.shape()[1], g.shape()[1]), (w.shape()[0], w.shape()[1]));
/// }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct LayerTrace<'t> {
    /// The layer's input activations `x`, shape `[B, fan_in]`.
    pub input: Var<'t>,
    /// The pre-activation `x W + b`, shape `[B, fan_out]`.
    pub pre_activation: Var<'t>,
}

/// The result of [`Mlp::forward_traced`]: the output and every layer's trace.
#[derive(Clone, Debug)]
pub struct Trace<'t> {
    /// The network's output, shape `[B, outputs]`.
    pub output: Var<'t>,
    /// One entry per dense layer, input layer first.
    pub layers: Vec<LayerTrace<'t>>,
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
    }

    /// The forward pass, keeping each layer's input and pre-activation vars.
    ///
    /// ```
    /// use autodiff::{Tape, Tensor};
    /// use models::{Activation, Mlp};
    ///
    /// let mlp = Mlp::new(2).dense(4, Activation::Tanh).dense(1, Activation::Identity);
    /// let tape = Tape::new();
    /// let params = mlp.init(0).vars(&tape);
    /// let x = tape.constant(Tensor::randn(&[6, 2], 1));
    /// let trace = mlp.forward_traced(&params, x);
    /// let adj = tape.backward(trace.output.square().mean());
    /// // Gradient w.r.t. the last pre-activation of (1/B) Σ z² is 2z/B.
    /// let z = trace.layers[1].pre_activation.value();
    /// let g = adj.grad(trace.layers[1].pre_activation);
    /// assert!((g.data()[0] - 2.0 * z.data()[0] / 6.0).abs() < 1e-15);
    /// ```
    ///
    /// # Panics
    /// When `params` does not hold two vars per layer.
    pub fn forward_traced<'t>(&self, params: &[Var<'t>], inputs: Var<'t>) -> Trace<'t> {
        assert_eq!(
            params.len(),
            2 * self.layers.len(),
            "Mlp::forward: {} parameter vars given for {} layers (weight and bias each)",
            params.len(),
            self.layers.len()
        );
        let mut x = inputs;
        let mut layers = Vec::with_capacity(self.layers.len());
        for (l, wb) in self.layers.iter().zip(params.chunks(2)) {
            let pre_activation = x.matmul(wb[0]) + wb[1];
            layers.push(LayerTrace {
                input: x,
                pre_activation,
            });
            x = l.activation.apply(pre_activation);
        }
        Trace { output: x, layers }
    }
}

impl Model for Mlp {
    fn forward<'t>(&self, params: &[Var<'t>], inputs: Var<'t>) -> Var<'t> {
        self.forward_traced(params, inputs).output
    }
}
