//! Diagonals of the Fisher information from per-example gradients: the
//! empirical Fisher at the observed targets, and the Monte-Carlo Fisher at
//! targets drawn from the model's own predictive distribution (Martens 2014,
//! §9; Kunstner, Balles & Hennig 2019), at the scale of [`crate::curvature::Curvature`]. The
//! exact Fisher and Gauss-Newton diagonals come from
//! [`optim::curvature::exact_diagonal`] on [`crate::Supervised::curvature`]
//! instead.

use autodiff::{Scalar, TensorOf};
use optim::curvature::DiagonalEstimate;

use crate::data::{Dataset, Targets};
use crate::loss::Loss;
use crate::model::Model;
use crate::step::StepError;

/// The diagonal of the empirical Fisher `(1/cB) Σ_b g_b g_bᵀ`: the mean over
/// the `B` examples of `data` of the squared per-example gradient
/// `g_b = ∇_θ ℓ(model(θ, x_b), y_b)` of the loss alone (no penalty), over
/// the likelihood weight `c` (the scale convention of [`Loss`]: the same
/// matrix as [`crate::curvature::Curvature::EmpiricalFisher`]), with the parameters flattened
/// in order. A deterministic quantity, so its standard errors are zero;
/// `products` and `sweeps` count the per-example gradients (one reverse
/// sweep each).
///
/// ```
/// use models::{data, empirical_fisher_diagonal, Activation, Mlp, SoftmaxCrossEntropy};
/// let mlp = Mlp::new(4).dense(3, Activation::Identity);
/// let params = mlp.init(0);
/// let d = empirical_fisher_diagonal(&mlp, &SoftmaxCrossEntropy, params.tensors(), &data::iris().select(&[0, 50, 100]));
/// assert_eq!((d.diagonal.len(), d.products), (params.num_values(), 3));
/// assert!(d.diagonal.iter().all(|&x| x >= 0.0));
/// ```
pub fn empirical_fisher_diagonal<S: Scalar>(
    model: &impl Model<S>,
    loss: &impl Loss<S>,
    params: &[TensorOf<S>],
    data: &Dataset<S>,
) -> DiagonalEstimate {
    let diagonal = mean_squared_gradient(model, loss, params, data.features(), data.targets());
    let c = loss.likelihood_weight(output_columns(model, params, data.features()));
    let diagonal: Vec<f64> = diagonal.iter().map(|d| d / c).collect();
    let n = diagonal.len();
    DiagonalEstimate {
        diagonal,
        std_error: vec![0.0; n],
        products: data.len(),
        sweeps: data.len(),
    }
}

/// The diagonal of the Monte-Carlo Fisher: the mean squared per-example
/// gradient over `c` at targets drawn `samples` times from the model's
/// predictive distribution ([`Loss::sample`], seeds `seed, seed + 1, ...`).
/// Unbiased for the exact Fisher's diagonal; the standard error of each
/// entry is the spread of the per-draw means over `√samples` (NaN with one
/// draw).
///
/// # Errors
/// [`StepError::Unsupported`] when `samples` is zero or the loss has no sampler.
pub fn sampled_fisher_diagonal<S: Scalar>(
    model: &impl Model<S>,
    loss: &impl Loss<S>,
    params: &[TensorOf<S>],
    data: &Dataset<S>,
    samples: usize,
    seed: u64,
) -> Result<DiagonalEstimate, StepError> {
    if samples == 0 {
        return Err(StepError::Unsupported(
            "a Monte-Carlo Fisher needs at least one sample".into(),
        ));
    }
    let x = data.features().clone();
    let outputs = autodiff::value(
        |p| model.forward(p, p[0].tape().constant(x.clone())),
        params,
    );
    let c = loss.likelihood_weight(outputs.shape().get(1).copied().unwrap_or(1));
    let draws = (0..samples as u64)
        .map(|s| {
            let targets = loss.sample(&outputs, seed.wrapping_add(s)).ok_or_else(|| {
                StepError::Unsupported("the loss has no sampler for a Monte-Carlo Fisher".into())
            })?;
            let d = mean_squared_gradient(model, loss, params, &x, &targets);
            Ok(d.iter().map(|v| v / c).collect())
        })
        .collect::<Result<Vec<Vec<f64>>, StepError>>()?;
    let m = samples as f64;
    let n = draws[0].len();
    let mean: Vec<f64> = (0..n)
        .map(|i| draws.iter().map(|d| d[i]).sum::<f64>() / m)
        .collect();
    let std_error = (0..n)
        .map(|i| {
            let variance = draws.iter().map(|d| (d[i] - mean[i]).powi(2)).sum::<f64>() / (m - 1.0);
            (variance / m).sqrt()
        })
        .collect();
    Ok(DiagonalEstimate {
        diagonal: mean,
        std_error,
        products: samples * data.len(),
        sweeps: samples * data.len(),
    })
}

/// The number of output columns of `model` (from the first row's forward pass).
fn output_columns<S: Scalar>(
    model: &impl Model<S>,
    params: &[TensorOf<S>],
    features: &TensorOf<S>,
) -> usize {
    let width = features.shape().get(1).copied().unwrap_or(0);
    let first = TensorOf::from_fn(&[1, width], |j| features.data()[j]);
    let out = autodiff::value(
        |p| model.forward(p, p[0].tape().constant(first.clone())),
        params,
    );
    out.shape().get(1).copied().unwrap_or(1)
}

/// `(1/B) Σ_b (∇_θ ℓ_b)²` over the rows of `features` and `targets`.
fn mean_squared_gradient<S: Scalar>(
    model: &impl Model<S>,
    loss: &impl Loss<S>,
    params: &[TensorOf<S>],
    features: &TensorOf<S>,
    targets: &Targets<S>,
) -> Vec<f64> {
    let rows = features.shape()[0];
    let width = features.len() / rows.max(1);
    let mut sum = vec![0.0; autodiff::total_len(params)];
    for b in 0..rows {
        let x = TensorOf::from_fn(&[1, width], |j| features.data()[b * width + j]);
        let y = targets.select(&[b]);
        let (_, grads) = autodiff::value_and_grad(
            |p| loss.loss(model.forward(p, p[0].tape().constant(x.clone())), &y),
            params,
        );
        for (s, g) in sum.iter_mut().zip(autodiff::flatten(&grads)) {
            *s += g.as_f64() * g.as_f64();
        }
    }
    sum.iter().map(|s| s / rows.max(1) as f64).collect()
}
