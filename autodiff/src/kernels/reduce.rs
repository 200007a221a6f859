//! Reductions: sums over axes and the maximum along an axis.

use smallvec::SmallVec;

use super::split_at_axis;
use crate::buffer;
use crate::scalar::Scalar;
use crate::tensor::{Shape, TensorOf};

/// Sums `t` over `axes`; reduced axes are kept with length 1 when `keepdim`.
pub(crate) fn sum_axes<S: Scalar>(t: &TensorOf<S>, axes: &[usize], keepdim: bool) -> TensorOf<S> {
    let shape = t.shape();
    let rank = shape.len();
    let reduced = |i: usize| axes.contains(&i);
    let kept: Shape = (0..rank)
        .map(|i| if reduced(i) { 1 } else { shape[i] })
        .collect();
    let out_shape: Shape = if keepdim {
        kept.clone()
    } else {
        (0..rank)
            .filter(|&i| !reduced(i))
            .map(|i| shape[i])
            .collect()
    };
    if axes.is_empty() {
        return t.reshape(&out_shape);
    }
    if axes.len() == rank || t.len() <= 1 {
        // NOTE: from +0, so that the sum of nothing is +0 (`Iterator::sum` starts at -0).
        let total = t.data().iter().fold(S::zero(), |acc, &x| acc + x);
        return TensorOf::new(&out_shape, vec![total; out_shape.iter().product()]);
    }
    // Only leading axes (a sum over the batch, a bias's gradient): add rows.
    if (0..axes.len()).all(reduced) {
        let inner: usize = shape[axes.len()..].iter().product();
        let mut out = buffer::zeros(inner);
        for row in t.data().chunks_exact(inner) {
            for (slot, x) in out.iter_mut().zip(row) {
                *slot += *x;
            }
        }
        return TensorOf::new(&out_shape, out);
    }
    // Output strides with 0 on the reduced axes; visit the input in row-major order.
    let mut ostride: SmallVec<[usize; 6]> = SmallVec::from_elem(0, rank);
    let mut step = 1;
    for i in (0..rank).rev() {
        if !reduced(i) {
            ostride[i] = step;
        }
        step *= kept[i];
    }
    let mut out = buffer::zeros(kept.iter().product());
    let src = t.data();
    let inner = shape[rank - 1];
    let inner_stride = ostride[rank - 1];
    let mut index: SmallVec<[usize; 6]> = SmallVec::from_elem(0, rank);
    let mut offset = 0;
    for run in src.chunks_exact(inner.max(1)) {
        if inner_stride == 0 {
            out[offset] += run.iter().fold(S::zero(), |acc, &x| acc + x);
        } else {
            for (slot, x) in out[offset..offset + inner].iter_mut().zip(run) {
                *slot += *x;
            }
        }
        for axis in (0..rank - 1).rev() {
            index[axis] += 1;
            offset += ostride[axis];
            if index[axis] < shape[axis] {
                break;
            }
            offset -= ostride[axis] * shape[axis];
            index[axis] = 0;
        }
    }
    TensorOf::new(&out_shape, out)
}

/// The largest value along `axis`, which is kept with length 1: NaN where
/// any entry is NaN, -∞ over an empty axis (the identity of `max`).
pub(crate) fn max_axis<S: Scalar>(t: &TensorOf<S>, axis: usize) -> TensorOf<S> {
    let (outer, n, inner) = split_at_axis(t.shape(), axis);
    let src = t.data();
    let mut out = vec![S::neg_infinity(); outer * inner];
    for (o, best) in out.chunks_exact_mut(inner.max(1)).enumerate().take(outer) {
        for j in 0..n {
            let row = &src[(o * n + j) * inner..(o * n + j + 1) * inner];
            for (m, &x) in best.iter_mut().zip(row) {
                if x > *m || x.is_nan() {
                    *m = x;
                }
            }
        }
    }
    let mut kept = Shape::from_slice(t.shape());
    kept[axis] = 1;
    TensorOf::new(&kept, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tensor;

    #[test]
    fn sums_over_any_axes() {
        let t = Tensor::from_fn(&[2, 3, 4], |i| i as f64);
        let s = sum_axes(&t, &[1], false);
        assert_eq!(s.shape(), &[2, 4]);
        assert_eq!(s.get(&[1, 2]), Some((14 + 18 + 22) as f64));
        let s = sum_axes(&t, &[0, 2], true);
        assert_eq!(s.shape(), &[1, 3, 1]);
        assert_eq!(
            s.get(&[0, 1, 0]),
            Some((4 + 5 + 6 + 7 + 16 + 17 + 18 + 19) as f64)
        );
        assert_eq!(
            sum_axes(&t, &[0, 1, 2], false).item(),
            (0..24).sum::<usize>() as f64
        );
        // Leading axes, in either order, against element-by-element sums.
        for axes in [[0, 1], [1, 0]] {
            let s = sum_axes(&t, &axes, false);
            assert_eq!(s.shape(), &[4]);
            for k in 0..4 {
                let want: usize = (0..6).map(|r| r * 4 + k).sum();
                assert_eq!(s.data()[k], want as f64);
            }
        }
        let s = sum_axes(&t, &[0], true);
        assert_eq!(s.shape(), &[1, 3, 4]);
        assert_eq!(s.get(&[0, 2, 1]), Some((9 + 21) as f64));
    }

    #[test]
    fn max_propagates_nan_wherever_it_stands_and_is_minus_infinity_when_empty() {
        let t = Tensor::from_vec(&[2, 3], vec![1., 5., 5., 7., 0., 2.]).unwrap();
        assert_eq!(max_axis(&t, 1).data(), &[5., 7.]);
        assert_eq!(max_axis(&t, 0).data(), &[7., 5., 5.]);
        for at in 0..3 {
            let mut data = vec![1., 2., 3.];
            data[at] = f64::NAN;
            let t = Tensor::from_vec(&[3], data).unwrap();
            assert!(max_axis(&t, 0).item().is_nan());
        }
        let empty = Tensor::zeros(&[2, 0]);
        assert_eq!(max_axis(&empty, 1).data(), &[f64::NEG_INFINITY; 2]);
    }
}
