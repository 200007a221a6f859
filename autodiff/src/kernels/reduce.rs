//! Reductions: sums over axes and the position of the maximum along an axis.

use smallvec::SmallVec;

use super::split_at_axis;
use crate::buffer;
use crate::tensor::{Shape, Tensor};

/// Sums `t` over `axes`; reduced axes are kept with length 1 when `keepdim`.
pub(crate) fn sum_axes(t: &Tensor, axes: &[usize], keepdim: bool) -> Tensor {
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
        let total = t.data().iter().sum();
        return Tensor::new(&out_shape, vec![total; out_shape.iter().product()]);
    }
    // Only leading axes (a sum over the batch, a bias's gradient): add rows.
    if (0..axes.len()).all(reduced) {
        let inner: usize = shape[axes.len()..].iter().product();
        let mut out = buffer::zeros(inner);
        for row in t.data().chunks_exact(inner) {
            for (slot, x) in out.iter_mut().zip(row) {
                *slot += x;
            }
        }
        return Tensor::new(&out_shape, out);
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
            out[offset] += run.iter().sum::<f64>();
        } else {
            for (slot, x) in out[offset..offset + inner].iter_mut().zip(run) {
                *slot += x;
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
    Tensor::new(&out_shape, out)
}

/// Index of the largest value along `axis` for every other position, in
/// row-major order of the remaining axes (first occurrence wins ties; NaN
/// is never chosen over a number).
pub(crate) fn argmax_axis(t: &Tensor, axis: usize) -> Vec<usize> {
    let (outer, n, inner) = split_at_axis(t.shape(), axis);
    let src = t.data();
    let mut best = vec![0usize; outer * inner];
    for o in 0..outer {
        for i in 0..inner {
            let base = o * n * inner + i;
            let mut arg = 0;
            for j in 1..n {
                if src[base + j * inner] > src[base + arg * inner] {
                    arg = j;
                }
            }
            best[o * inner + i] = arg;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn argmax_picks_first_largest() {
        let t = Tensor::from_vec(&[2, 3], vec![1., 5., 5., 7., 0., 2.]).unwrap();
        assert_eq!(argmax_axis(&t, 1), vec![1, 0]);
        assert_eq!(argmax_axis(&t, 0), vec![1, 0, 0]);
    }
}
