//! Sampling from each loss's predictive distribution: the Monte-Carlo
//! Fisher `(B/c) E[∇L ∇Lᵀ]` over `y ~ p(y | f)` (the score's covariance at
//! the loss's scale, `c` its likelihood weight) converges to the Fisher each
//! loss reports, for one example with one and with several outputs.

use autodiff::Tensor;
use models::{BceWithLogits, GaussianHead, Loss, Mse, SoftmaxCrossEntropy};

const DRAWS: u64 = 20_000;

/// The reported Fisher as a dense matrix, one column per unit vector.
fn curvature_matrix(loss: &impl Loss, outputs: &Tensor) -> Vec<f64> {
    let k = outputs.len();
    let mut m = vec![0.0; k * k];
    for j in 0..k {
        let e = Tensor::from_fn(outputs.shape(), |i| f64::from(u8::from(i == j)));
        for (i, v) in loss
            .fisher(outputs)
            .expect("closed form")
            .apply(&e)
            .data()
            .iter()
            .enumerate()
        {
            m[i * k + j] = *v;
        }
    }
    m
}

/// The Monte-Carlo Fisher and each entry's standard error.
fn monte_carlo_fisher(loss: &impl Loss, outputs: &Tensor) -> (Vec<f64>, Vec<f64>) {
    let k = outputs.len();
    let scale = 1.0 / loss.likelihood_weight(outputs.shape()[1]);
    let (mut sum, mut squares) = (vec![0.0; k * k], vec![0.0; k * k]);
    for seed in 0..DRAWS {
        let y = loss.sample(outputs, seed).expect("a sampler");
        let g = autodiff::grad(|o| loss.loss(o[0], &y), std::slice::from_ref(outputs));
        let g = g[0].data();
        for i in 0..k {
            for j in 0..k {
                let x = scale * g[i] * g[j];
                sum[i * k + j] += x;
                squares[i * k + j] += x * x;
            }
        }
    }
    let n = DRAWS as f64;
    let mean: Vec<f64> = sum.iter().map(|s| s / n).collect();
    let se = squares
        .iter()
        .zip(&mean)
        .map(|(q, m)| ((q / n - m * m).max(0.0) / n).sqrt())
        .collect();
    (mean, se)
}

fn agrees(loss: impl Loss, outputs: Tensor, label: &str) {
    let exact = curvature_matrix(&loss, &outputs);
    let (mc, se) = monte_carlo_fisher(&loss, &outputs);
    let scale = exact.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    // Within five standard errors of the Monte-Carlo mean, entry by entry.
    for ((e, m), s) in exact.iter().zip(&mc).zip(&se) {
        assert!(
            (e - m).abs() <= 5.0 * s + 1e-12 * scale,
            "{label}: exact {exact:?} vs sampled {mc:?} (standard errors {se:?})"
        );
    }
}

#[test]
fn sampled_fisher_matches_the_reported_curvature() {
    agrees(Mse, Tensor::from_vec(&[1, 1], vec![0.3]).unwrap(), "mse");
    agrees(
        Mse,
        Tensor::from_vec(&[1, 3], vec![0.3, -1.0, 2.0]).unwrap(),
        "mse, 3 outputs",
    );
    agrees(
        BceWithLogits,
        Tensor::from_vec(&[1, 2], vec![-0.8, 1.5]).unwrap(),
        "bce, 2 logits",
    );
    agrees(
        GaussianHead,
        Tensor::from_vec(&[1, 4], vec![1.5, 0.2, -0.4, 0.3]).unwrap(),
        "gaussian head, 2 targets",
    );
    agrees(
        BceWithLogits,
        Tensor::from_vec(&[1, 1], vec![-0.8]).unwrap(),
        "bce",
    );
    agrees(
        SoftmaxCrossEntropy,
        Tensor::from_vec(&[1, 3], vec![0.5, -1.0, 1.2]).unwrap(),
        "softmax",
    );
    agrees(
        GaussianHead,
        Tensor::from_vec(&[1, 2], vec![1.5, -0.4]).unwrap(),
        "gaussian head",
    );
}
