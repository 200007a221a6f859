//! What K-FAC reads from one forward pass of a batch: the objective and
//! its gradient (one reverse sweep), and for every registered dense layer
//! ([`crate::dense`]) the factors `A` and `G`, with a diagonal for the
//! parameters of no registered layer — `G` from one more reverse sweep per
//! outer-product vector of `Q` (one per draw of a Monte-Carlo Fisher, none
//! for the empirical Fisher, which reuses the gradient's).

use autodiff::{Adjoints, Scalar, TapeOf, Tensor, TensorOf, VarOf};
use std::ops::AddAssign;

use nalgebra::DMatrix;

use crate::curvature::{rows_columns, Curvature};
use crate::data::Dataset;
use crate::layers::dense_layers;
use crate::loss::Loss;
use crate::model::Model;
use crate::params::Params;
use crate::step::{ensure_finite, StepError};
use crate::supervised::Supervised;

/// The statistics of one registered layer (all its uses on the batch).
#[derive(Clone, Debug)]
pub(crate) struct LayerStatistics {
    /// The weight's position in the parameters.
    pub weight: usize,
    /// The bias's position, when the bias is part of the Kronecker block.
    pub bias: Option<usize>,
    /// `A = (1/(B·uses)) Σ ããᵀ`, `ã` the input with a trailing 1 when `bias` is set.
    pub a: DMatrix<f64>,
    /// `G = Σ_b J_bᵀ Q_b J_b` in the pre-activations (summed over uses).
    pub g: DMatrix<f64>,
}

/// The record of one batch.
#[derive(Clone, Debug)]
pub(crate) struct BatchRecord {
    /// The batch objective: data loss plus penalty.
    pub loss: f64,
    /// Its gradient, one tensor per parameter.
    pub grads: Vec<Tensor>,
    /// The registered layers, each parameter block once.
    pub layers: Vec<LayerStatistics>,
    /// For every parameter in no layer block, a diagonal curvature estimate
    /// `Σ_j (Jᵀ s_j)²` (see [`record`]); `None` for the others.
    pub fallback_diagonal: Vec<Option<Tensor>>,
    /// Reverse sweeps spent beyond the gradient's.
    pub extra_sweeps: usize,
}

/// `tᵀ t` of a `[rows, n]` matrix, by the product kernel of its precision,
/// widened to `f64` for averaging and factorising.
fn gram<S: Scalar>(t: &TensorOf<S>) -> DMatrix<f64> {
    let n = t.shape()[1];
    let product = t.transpose_matmul(t);
    DMatrix::from_iterator(n, n, product.data().iter().map(|v| v.as_f64()))
}

fn second_moment<S: Scalar>(parts: &[TensorOf<S>], homogeneous: bool) -> DMatrix<f64> {
    let n = parts[0].shape()[1];
    let size = n + usize::from(homogeneous);
    let mut a = DMatrix::zeros(size, size);
    let mut rows = 0;
    for x in parts {
        a.view_mut((0, 0), (n, n)).add_assign(&gram(x));
        if homogeneous {
            for row in x.data().chunks_exact(n) {
                for (j, v) in row.iter().enumerate() {
                    a[(j, n)] += v.as_f64();
                }
            }
        }
        rows += x.shape()[0];
    }
    if homogeneous {
        for j in 0..n {
            a[(n, j)] = a[(j, n)];
        }
        a[(n, n)] = rows as f64;
    }
    a / rows.max(1) as f64
}

fn matrix(t: &Tensor) -> DMatrix<f64> {
    let (rows, cols) = rows_columns(t);
    DMatrix::from_row_slice(rows, cols, t.data())
}

/// One parameter block's uses on the tape.
struct Block<'t, S: Scalar> {
    weight: usize,
    bias: Option<usize>,
    uses: Vec<(VarOf<'t, S>, VarOf<'t, S>)>,
}

/// Records `problem` on `batch` at `params`: objective, gradient, layer
/// statistics, and — with `curvature` — the `G` factors
/// (Martens & Grosse 2015, §3 and §5). `Q` is written as a sum of outer
/// products `Σ_j s_j s_jᵀ` and each `s_j` is swept back once, so
/// `G = Σ_j M_jᵀ M_j` with `M_j` the pre-activation cotangents, row by
/// example; for the Monte-Carlo Fisher that is one sweep of the loss at
/// each draw, and the empirical Fisher reuses the gradient's own sweep.
/// Biases join their weight's block (a homogeneous coordinate) when
/// `biases_in_layers`, and are left to the fallback otherwise.
///
/// The fallback diagonal `Σ_j (Jᵀ s_j)²` is kfac-jax's naive diagonal: an
/// unbiased estimate of the Fisher's diagonal for a Monte-Carlo Fisher, a
/// cruder one (cross-example terms kept) for the other choices.
pub(crate) fn record<S: Scalar, M: Model<S>, L: Loss<S>>(
    problem: &Supervised<M, L, S>,
    params: &Params<S>,
    batch: &Dataset<S>,
    curvature: Curvature,
    biases_in_layers: bool,
) -> Result<BatchRecord, StepError> {
    let tape = TapeOf::<S>::new();
    let vars = params.vars(&tape);
    let outputs = problem
        .model()
        .forward(&vars, tape.constant(batch.features().clone()));
    problem
        .loss()
        .check(&outputs.shape(), batch.targets())
        .map_err(StepError::Mismatch)?;
    let data_loss = problem.loss().loss(outputs, batch.targets());
    let adj = tape.backward(data_loss);
    let l2 = problem.l2();
    let mut penalty = 0.0;
    let grads: Vec<Tensor> = vars
        .iter()
        .zip(params.tensors())
        .map(|(v, p)| {
            penalty += p
                .data()
                .iter()
                .map(|x| x.as_f64() * x.as_f64())
                .sum::<f64>();
            let g = adj.grad(*v);
            Tensor::from_fn(g.shape(), |i| {
                g.data()[i].as_f64() + l2 * p.data()[i].as_f64()
            })
        })
        .collect();
    let loss = data_loss.item().as_f64() + 0.5 * l2 * penalty;
    ensure_finite(loss, &grads)?;

    let blocks = blocks(&tape, &vars, biases_in_layers);
    let in_block = |i: usize| blocks.iter().any(|k| k.weight == i || k.bias == Some(i));
    let mut fallback_diagonal: Vec<Option<Tensor>> = vec![None; vars.len()];
    let mut extra_sweeps = 0;

    let mut g: Vec<DMatrix<f64>> = blocks
        .iter()
        .map(|block| {
            let n = block.uses[0].1.shape()[1];
            DMatrix::zeros(n, n)
        })
        .collect();
    // Adds `w Σ_j MᵀM` of one reverse sweep to every G, and `w (Jᵀs)²`
    // to the fallback diagonal.
    let mut accumulate = |back: &Adjoints<'_, S>, w: f64| {
        for (gi, block) in g.iter_mut().zip(&blocks) {
            for (_, pre) in &block.uses {
                *gi += gram(&back.grad(*pre)) * w;
            }
        }
        for (i, v) in vars.iter().enumerate() {
            if in_block(i) {
                continue;
            }
            let d = back.grad(*v);
            let squared = Tensor::from_fn(d.shape(), |n| w * d.data()[n].as_f64().powi(2));
            fallback_diagonal[i] = Some(match fallback_diagonal[i].take() {
                Some(sum) => Tensor::from_fn(sum.shape(), |n| sum.data()[n] + squared.data()[n]),
                None => squared,
            });
        }
    };
    let z = outputs.value();
    let likelihood = problem.loss();
    match curvature {
        // Q = Σ_s w g_s g_sᵀ with g_s = ∇_f L(f, y_s): one sweep of L(f, y_s)
        // each, the observed targets' being the gradient's own.
        Curvature::EmpiricalFisher | Curvature::MonteCarloFisher { .. } => {
            for (drawn, w) in curvature.score_targets(likelihood, &z, batch.targets())? {
                if matches!(curvature, Curvature::EmpiricalFisher) {
                    accumulate(&adj, w);
                } else {
                    let back = tape.backward(likelihood.loss(outputs, &drawn));
                    extra_sweeps += 1;
                    accumulate(&back, w);
                }
            }
        }
        Curvature::GaussNewton | Curvature::Fisher => {
            let s = curvature
                .output_matrix(likelihood, &z, batch.targets())?
                .outer_factors();
            let (rows, k) = rows_columns(&z);
            for j in 0..s.shape()[0] {
                let sj = TensorOf::from_fn(&[rows, k], |i| S::of(s.data()[j * rows * k + i]));
                let back = tape.vjp(outputs, sj);
                extra_sweeps += 1;
                accumulate(&back, 1.0);
            }
        }
    }
    let layers = blocks
        .iter()
        .zip(g)
        .map(|(block, g)| {
            let inputs: Vec<TensorOf<S>> = block.uses.iter().map(|(x, _)| x.value()).collect();
            LayerStatistics {
                weight: block.weight,
                bias: block.bias,
                a: second_moment(&inputs, block.bias.is_some()),
                g: (&g + g.transpose()) * 0.5,
            }
        })
        .collect();
    Ok(BatchRecord {
        loss,
        grads,
        layers,
        fallback_diagonal,
        extra_sweeps,
    })
}

/// The registered dense layers grouped by their parameters (a layer used
/// twice is one block with two uses). Uses whose weight is not one of the
/// parameter vars themselves are skipped.
fn blocks<'t, S: Scalar>(
    tape: &'t TapeOf<S>,
    vars: &[VarOf<'t, S>],
    biases_in_layers: bool,
) -> Vec<Block<'t, S>> {
    let position = |v: VarOf<'t, S>| vars.iter().position(|p| p.id() == v.id());
    let mut out: Vec<Block<'t, S>> = Vec::new();
    for layer in dense_layers(tape) {
        let Some(weight) = position(layer.weight) else {
            continue;
        };
        let bias = if biases_in_layers {
            layer.bias.and_then(position)
        } else {
            None
        };
        match out
            .iter_mut()
            .find(|b| b.weight == weight && b.bias == bias)
        {
            Some(block) => block.uses.push((layer.input, layer.pre_activation)),
            None => out.push(Block {
                weight,
                bias,
                uses: vec![(layer.input, layer.pre_activation)],
            }),
        }
    }
    out
}

/// A layer's weight gradient `[fan_in, fan_out]` and, when in the block,
/// its bias gradient `[fan_out]` stacked as one matrix, the bias as the last
/// row (the layout of the homogeneous coordinate).
pub(crate) fn stack_layer(weight: &Tensor, bias: Option<&Tensor>) -> DMatrix<f64> {
    let w = matrix(weight);
    match bias {
        Some(b) => w
            .insert_row(weight.shape()[0], 0.0)
            .map_with_location(|i, j, v| {
                if i == weight.shape()[0] {
                    b.data()[j]
                } else {
                    v
                }
            }),
        None => w,
    }
}

/// The inverse of [`stack_layer`]: the weight and (when `with_bias`) bias tensors.
pub(crate) fn unstack_layer(m: &DMatrix<f64>, with_bias: bool) -> (Tensor, Option<Tensor>) {
    let rows = m.nrows() - usize::from(with_bias);
    let cols = m.ncols();
    let weight = Tensor::from_fn(&[rows, cols], |i| m[(i / cols, i % cols)]);
    let bias = with_bias.then(|| Tensor::from_fn(&[cols], |j| m[(rows, j)]));
    (weight, bias)
}
