//! Parameter-shaped vectors (`[Tensor]`, one per parameter) as the
//! second-order methods use them: inner products and scaled sums, without
//! flattening.

use autodiff::Tensor;

/// `Σ_i ⟨a_i, b_i⟩`.
pub(crate) fn dot(a: &[Tensor], b: &[Tensor]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            x.data()
                .iter()
                .zip(y.data())
                .map(|(p, q)| p * q)
                .sum::<f64>()
        })
        .sum()
}

/// `α x + β y`, tensor by tensor.
pub(crate) fn combine(alpha: f64, x: &[Tensor], beta: f64, y: &[Tensor]) -> Vec<Tensor> {
    x.iter()
        .zip(y)
        .map(|(a, b)| Tensor::from_fn(a.shape(), |i| alpha * a.data()[i] + beta * b.data()[i]))
        .collect()
}

/// `α x`.
pub(crate) fn scaled(alpha: f64, x: &[Tensor]) -> Vec<Tensor> {
    x.iter().map(|a| a.map(|v| alpha * v)).collect()
}

/// Whether every entry is finite.
pub(crate) fn all_finite(x: &[Tensor]) -> bool {
    x.iter().all(|t| t.data().iter().all(|v| v.is_finite()))
}

/// `K` directions as one lane tensor `[K, ...shape]` per parameter.
pub(crate) fn lanes(directions: &[&[Tensor]]) -> Vec<Tensor> {
    let k = directions.len();
    (0..directions[0].len())
        .map(|p| {
            let like = &directions[0][p];
            let m = like.len();
            let mut shape = vec![k];
            shape.extend_from_slice(like.shape());
            Tensor::from_fn(&shape, |i| directions[i / m][p].data()[i % m])
        })
        .collect()
}
