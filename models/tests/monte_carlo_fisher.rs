//! Sampling from each loss's predictive distribution: the Monte-Carlo
//! Fisher `E[∇ℓ ∇ℓᵀ]` over `y ~ p(y | f)` (the score's covariance) converges
//! to the output-space curvature each loss reports, for one example.

use autodiff::Tensor;
use models::{BceWithLogits, GaussianHead, Loss, Mse, SoftmaxCrossEntropy};

const DRAWS: u64 = 20_000;

/// The curvature as a dense matrix, one column per unit vector.
fn curvature_matrix(loss: &impl Loss, outputs: &Tensor) -> Vec<f64> {
    let k = outputs.len();
    let mut m = vec![0.0; k * k];
    for j in 0..k {
        let e = Tensor::from_fn(outputs.shape(), |i| f64::from(u8::from(i == j)));
        for (i, v) in loss.curvature_vp(outputs, &e).data().iter().enumerate() {
            m[i * k + j] = *v;
        }
    }
    m
}

fn monte_carlo_fisher(loss: &impl Loss, outputs: &Tensor) -> Vec<f64> {
    let k = outputs.len();
    let mut m = vec![0.0; k * k];
    for seed in 0..DRAWS {
        let y = loss.sample(outputs, seed);
        let g = autodiff::grad(|o| loss.loss(o[0], &y), std::slice::from_ref(outputs));
        let g = g[0].data();
        for i in 0..k {
            for j in 0..k {
                m[i * k + j] += g[i] * g[j] / DRAWS as f64;
            }
        }
    }
    m
}

fn agrees(loss: impl Loss, outputs: Tensor, label: &str) {
    let exact = curvature_matrix(&loss, &outputs);
    let mc = monte_carlo_fisher(&loss, &outputs);
    let scale = exact.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    // A few percent: the Monte-Carlo error is about √(2/20000) ≈ 1% of the scale.
    for (e, m) in exact.iter().zip(&mc) {
        assert!(
            (e - m).abs() < 0.05 * scale,
            "{label}: exact {exact:?} vs sampled {mc:?}"
        );
    }
}

#[test]
fn sampled_fisher_matches_the_reported_curvature() {
    agrees(Mse, Tensor::from_vec(&[1, 1], vec![0.3]).unwrap(), "mse");
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
