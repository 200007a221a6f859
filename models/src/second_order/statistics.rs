//! Per-layer statistics of a dense network for K-FAC and the Hessian-free
//! preconditioner: each layer's inputs with a homogeneous coordinate and the
//! per-example gradients with respect to its pre-activations, read from the tape.

use autodiff::{Tape, Tensor};
use nalgebra::DMatrix;

use crate::data::Dataset;
use crate::loss::Loss;
use crate::mlp::Mlp;
use crate::params::Params;

/// Which targets the pre-activation gradients behind `G` are taken at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatisticsTargets {
    /// The observed labels: `G` of the empirical Fisher.
    Observed,
    /// One draw per example from the model's predictive distribution,
    /// seeded: `G` of the (Monte-Carlo) Fisher.
    Sampled {
        /// The seed of the draw.
        seed: u64,
    },
    /// The expectation over the predictive distribution, exactly: `G =
    /// E_b[J_bᵀ H_b J_b]` with `J_b` the Jacobian of the outputs in the
    /// pre-activations and `H_b` the loss's output curvature
    /// ([`Loss::curvature_vp`]), from `2k` reverse sweeps for `k` outputs.
    ///
    /// NOTE: this is the Gauss-Newton factor. It is the expectation of the
    /// sampled factor when the loss is exactly a negative log-likelihood
    /// (softmax cross-entropy, one logit with binary cross-entropy, squared
    /// error on one output); [`crate::Mse`] on `k > 1` outputs is the
    /// likelihood divided by `k`, and the two differ by that factor.
    Exact,
}

/// What one dense layer saw on a batch of `B` examples.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerStatistics {
    /// The inputs with a trailing column of ones, `[B, fan_in + 1]`.
    pub inputs: DMatrix<f64>,
    /// Per-example gradients of the per-example loss (observed labels) with
    /// respect to the pre-activations, `[B, fan_out]`: `B` times the
    /// gradient of the batch-mean loss.
    pub observed: DMatrix<f64>,
    /// `A = E_b[ã_b ã_bᵀ]`, `[fan_in + 1, fan_in + 1]`.
    pub a: DMatrix<f64>,
    /// `G = E_b[g_b g_bᵀ]` at the chosen [`StatisticsTargets`], `[fan_out, fan_out]`.
    pub g: DMatrix<f64>,
}

/// The result of [`layer_statistics`].
#[derive(Clone, Debug)]
pub struct Traced {
    /// The batch-mean loss at the observed targets (no penalty).
    pub loss: f64,
    /// Its gradient with respect to every parameter tensor (no penalty).
    pub grads: Vec<Tensor>,
    /// One entry per dense layer, input layer first.
    pub layers: Vec<LayerStatistics>,
}

fn matrix(t: &Tensor) -> DMatrix<f64> {
    let (rows, cols) = (t.shape()[0], t.shape()[1]);
    DMatrix::from_row_slice(rows, cols, t.data())
}

/// One forward pass of `mlp` on `batch`, the gradient of `loss` at the
/// observed targets, and every layer's [`LayerStatistics`] with `G` taken at
/// `targets` (Martens & Grosse 2015, §3 and §5).
///
/// ```
/// use models::second_order::{layer_statistics, StatisticsTargets};
/// use models::{data, Activation, Mlp, Mse};
/// let d = data::diabetes().select(&[0, 1, 2, 3]);
/// let mlp = Mlp::new(10).dense(3, Activation::Tanh).dense(1, Activation::Identity);
/// let t = layer_statistics(&mlp, &mlp.init(0), &d, &Mse, StatisticsTargets::Observed);
/// assert_eq!((t.layers[0].a.nrows(), t.layers[0].g.nrows()), (11, 3));
/// ```
pub fn layer_statistics<L: Loss>(
    mlp: &Mlp,
    params: &Params,
    batch: &Dataset,
    loss: &L,
    targets: StatisticsTargets,
) -> Traced {
    let tape = Tape::new();
    let vars = params.vars(&tape);
    let trace = mlp.forward_traced(&vars, tape.constant(batch.features().clone()));
    let observed_loss = loss.loss(trace.output, batch.targets());
    let adj = tape.backward(observed_loss);
    let grads = vars.iter().map(|v| adj.grad(*v)).collect();
    let b = batch.len().max(1) as f64;
    let observed: Vec<DMatrix<f64>> = trace
        .layers
        .iter()
        .map(|l| matrix(&adj.grad(l.pre_activation)) * b)
        .collect();
    let second_moment = |g: &DMatrix<f64>| g.transpose() * g / b;
    let g_factors: Vec<DMatrix<f64>> = match targets {
        StatisticsTargets::Observed => observed.iter().map(second_moment).collect(),
        StatisticsTargets::Sampled { seed } => {
            let sampled = loss.sample(&trace.output.value(), seed);
            let adj = tape.backward(loss.loss(trace.output, &sampled));
            trace
                .layers
                .iter()
                .map(|l| second_moment(&(matrix(&adj.grad(l.pre_activation)) * b)))
                .collect()
        }
        StatisticsTargets::Exact => {
            // Σ_b J_bᵀ H_b J_b = Σ_j Σ_b (J_bᵀ e_j)(J_bᵀ H_b e_j)ᵀ: for each
            // output j, one sweep with cotangent e_j and one with H e_j (H
            // is the curvature of the batch mean, so it carries the 1/B).
            let out = trace.output.value();
            let (rows, k) = (out.shape()[0], out.shape()[1]);
            let mut g: Vec<DMatrix<f64>> = trace
                .layers
                .iter()
                .map(|l| {
                    let n = l.pre_activation.shape()[1];
                    DMatrix::zeros(n, n)
                })
                .collect();
            for j in 0..k {
                let e = Tensor::from_fn(&[rows, k], |i| f64::from(u8::from(i % k == j)));
                let he = loss.curvature_vp(&out, &e);
                let u = tape.vjp(trace.output, e);
                let w = tape.vjp(trace.output, he);
                for (gi, l) in g.iter_mut().zip(&trace.layers) {
                    *gi += matrix(&u.grad(l.pre_activation)).transpose()
                        * matrix(&w.grad(l.pre_activation));
                }
            }
            g.into_iter().map(|m| (&m + m.transpose()) * 0.5).collect()
        }
    };
    let layers = trace
        .layers
        .iter()
        .zip(observed)
        .zip(g_factors)
        .map(|((l, observed), g)| {
            let x = matrix(&l.input.value());
            let columns = x.ncols();
            let inputs = x.insert_column(columns, 1.0);
            let a = inputs.transpose() * &inputs / b;
            LayerStatistics {
                inputs,
                observed,
                a,
                g,
            }
        })
        .collect();
    Traced {
        loss: observed_loss.item(),
        grads,
        layers,
    }
}

/// A layer's weight `[fan_in, fan_out]` and bias `[fan_out]` stacked as one
/// matrix `[fan_in + 1, fan_out]`, the bias as the last row (the layout of
/// the homogeneous coordinate in [`LayerStatistics::inputs`]).
pub(crate) fn stack_layer(weight: &Tensor, bias: &Tensor) -> DMatrix<f64> {
    let (rows, cols) = (weight.shape()[0], weight.shape()[1]);
    let mut m = DMatrix::zeros(rows + 1, cols);
    for i in 0..rows {
        for j in 0..cols {
            m[(i, j)] = weight.data()[i * cols + j];
        }
    }
    for j in 0..cols {
        m[(rows, j)] = bias.data()[j];
    }
    m
}

/// The inverse of [`stack_layer`]: `(weight, bias)` tensors.
pub(crate) fn unstack_layer(m: &DMatrix<f64>) -> (Tensor, Tensor) {
    let (rows, cols) = (m.nrows() - 1, m.ncols());
    let weight = Tensor::from_fn(&[rows, cols], |i| m[(i / cols, i % cols)]);
    let bias = Tensor::from_fn(&[cols], |j| m[(rows, j)]);
    (weight, bias)
}
