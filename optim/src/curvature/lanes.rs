//! Conversions between flat direction vectors and the engine's lane tensors
//! `[K, ...shape]`, so `K` directions share one forward-over-reverse sweep.

use autodiff::{unflatten, Tensor};

/// Stacks `K` flat vectors (each of the parameters' total length) into one
/// lane tensor `[K, ...shape]` per parameter tensor in `like`.
pub(crate) fn stack(vs: &[Vec<f64>], like: &[Tensor]) -> Vec<Tensor> {
    let k = vs.len();
    let parts: Vec<Vec<Tensor>> = vs.iter().map(|v| unflatten(v, like)).collect();
    like.iter()
        .enumerate()
        .map(|(i, x)| {
            let mut shape = vec![k];
            shape.extend_from_slice(x.shape());
            let data: Vec<f64> = parts
                .iter()
                .flat_map(|p| p[i].data().iter().copied())
                .collect();
            Tensor::from_fn(&shape, |j| data[j])
        })
        .collect()
}

/// The inverse of [`stack`]: `K` flat vectors from one lane tensor per parameter.
pub(crate) fn split(lanes: &[Tensor], k: usize) -> Vec<Vec<f64>> {
    (0..k)
        .map(|lane| {
            lanes
                .iter()
                .flat_map(|t| {
                    let m = t.len() / k;
                    t.data()[lane * m..(lane + 1) * m].iter().copied()
                })
                .collect()
        })
        .collect()
}
