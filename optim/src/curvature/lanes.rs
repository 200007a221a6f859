//! Conversions between flat `f64` direction vectors and the engine's lane
//! tensors `[K, ...shape]` in the precision of the point, so `K` directions
//! share one forward-over-reverse sweep.

use autodiff::{Scalar, TensorOf};

/// Stacks `K` flat vectors (each of the parameters' total length) into one
/// lane tensor `[K, ...shape]` per parameter tensor in `like`, rounded to
/// the parameters' precision.
pub(crate) fn stack<S: Scalar>(vs: &[Vec<f64>], like: &[TensorOf<S>]) -> Vec<TensorOf<S>> {
    let k = vs.len();
    let n = autodiff::total_len(like);
    for v in vs {
        assert_eq!(
            v.len(),
            n,
            "a direction of length {} for {n} parameters",
            v.len()
        );
    }
    let mut offset = 0;
    like.iter()
        .map(|x| {
            let m = x.len();
            let mut shape = vec![k];
            shape.extend_from_slice(x.shape());
            let data: Vec<S> = vs
                .iter()
                .flat_map(|v| v[offset..offset + m].iter().map(|&e| S::of(e)))
                .collect();
            offset += m;
            TensorOf::from_fn(&shape, |j| data[j])
        })
        .collect()
}

/// The inverse of [`stack`]: `K` flat `f64` vectors from one lane tensor per parameter.
pub(crate) fn split<S: Scalar>(lanes: &[TensorOf<S>], k: usize) -> Vec<Vec<f64>> {
    (0..k)
        .map(|lane| {
            lanes
                .iter()
                .flat_map(|t| {
                    let m = t.len() / k;
                    t.data()[lane * m..(lane + 1) * m]
                        .iter()
                        .map(|e| e.as_f64())
                })
                .collect()
        })
        .collect()
}
