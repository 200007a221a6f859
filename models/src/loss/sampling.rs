//! The predictive distributions of the built-in losses: their means and
//! seeded draws from them.

use autodiff::Tensor;
use rand::rngs::StdRng;
use rand::Rng;

/// The logistic function `σ(z) = 1 / (1 + e⁻ᶻ)`, as `½ + ½ tanh(z/2)` (no
/// overflow for large `|z|`).
pub fn sigmoid(z: f64) -> f64 {
    0.5 + 0.5 * (0.5 * z).tanh()
}

/// The softmax of every row of a matrix `[B, C]` (shifted by the row's
/// maximum, so that large logits do not overflow).
///
/// ```
/// use autodiff::Tensor;
/// use models::softmax_rows;
/// let p = softmax_rows(&Tensor::from_rows(&[vec![0.0, 0.0], vec![1000.0, 0.0]])?);
/// assert_eq!(p.data(), &[0.5, 0.5, 1.0, 0.0]);
/// # Ok::<(), autodiff::TensorError>(())
/// ```
pub fn softmax_rows(outputs: &Tensor) -> Tensor {
    let columns = outputs.shape()[1];
    let mut p = outputs.data().to_vec();
    for row in p.chunks_exact_mut(columns.max(1)) {
        let m = row.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x));
        row.iter_mut().for_each(|x| *x = (*x - m).exp());
        let total: f64 = row.iter().sum();
        row.iter_mut().for_each(|x| *x /= total);
    }
    Tensor::from_fn(outputs.shape(), |i| p[i])
}

/// One class per row of probabilities `[B, C]`, drawn by inverting the
/// cumulative sum with one uniform number per row.
pub fn draw_classes(probabilities: &Tensor, rng: &mut StdRng) -> Vec<usize> {
    let columns = probabilities.shape()[1];
    probabilities
        .data()
        .chunks_exact(columns.max(1))
        .map(|p| {
            let u: f64 = rng.gen();
            let mut total = 0.0;
            p.iter()
                .position(|&pc| {
                    total += pc;
                    u < total
                })
                .unwrap_or(columns - 1)
        })
        .collect()
}

/// A 0/1 draw for every probability, one uniform number each.
pub fn draw_bernoulli(probabilities: &Tensor, rng: &mut StdRng) -> Tensor {
    Tensor::from_fn(probabilities.shape(), |i| {
        if rng.gen::<f64>() < probabilities.data()[i] {
            1.0
        } else {
            0.0
        }
    })
}
