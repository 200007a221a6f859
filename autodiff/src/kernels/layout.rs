//! Kernels that move values without arithmetic: transpose, slice, pad,
//! concatenate, and selection by integer index (with its adjoint, index-add).

use super::split_at_axis;
use crate::buffer;
use crate::scalar::Scalar;
use crate::tensor::{Shape, TensorOf};

/// Swaps the last two axes (a batch of matrix transposes for rank > 2).
pub(crate) fn transpose_last2<S: Scalar>(t: &TensorOf<S>) -> TensorOf<S> {
    let s = t.shape();
    assert!(
        s.len() >= 2,
        "transpose: shape {s:?} has fewer than two axes"
    );
    let (r, c) = (s[s.len() - 2], s[s.len() - 1]);
    let batch = t.len() / (r * c).max(1);
    let src = t.data();
    let mut out = buffer::zeros(t.len());
    for b in 0..batch {
        let (from, to) = (&src[b * r * c..], &mut out[b * r * c..]);
        for i in 0..r {
            for j in 0..c {
                to[j * r + i] = from[i * c + j];
            }
        }
    }
    let mut shape = Shape::from_slice(s);
    let n = shape.len();
    shape.swap(n - 2, n - 1);
    TensorOf::new(&shape, out)
}

fn with_axis(shape: &[usize], axis: usize, len: usize) -> Shape {
    let mut s = Shape::from_slice(shape);
    s[axis] = len;
    s
}

/// Elements `start..end` along `axis`.
pub(crate) fn slice<S: Scalar>(
    t: &TensorOf<S>,
    axis: usize,
    start: usize,
    end: usize,
) -> TensorOf<S> {
    let (outer, n, inner) = split_at_axis(t.shape(), axis);
    assert!(
        start <= end && end <= n,
        "slice: range {start}..{end} out of bounds for axis {axis} of shape {:?}",
        t.shape()
    );
    let mut out = buffer::with_capacity(outer * (end - start) * inner);
    for o in 0..outer {
        out.extend_from_slice(&t.data()[(o * n + start) * inner..(o * n + end) * inner]);
    }
    TensorOf::new(&with_axis(t.shape(), axis, end - start), out)
}

/// Places `t` at offset `start` of a zero tensor whose `axis` has length `len`
/// (the adjoint of [`slice`]).
pub(crate) fn pad<S: Scalar>(
    t: &TensorOf<S>,
    axis: usize,
    start: usize,
    len: usize,
) -> TensorOf<S> {
    let (outer, n, inner) = split_at_axis(t.shape(), axis);
    assert!(
        start + n <= len,
        "pad: {n} values at {start} do not fit in {len}"
    );
    let mut out = buffer::zeros(outer * len * inner);
    for o in 0..outer {
        out[(o * len + start) * inner..(o * len + start + n) * inner]
            .copy_from_slice(&t.data()[o * n * inner..(o + 1) * n * inner]);
    }
    TensorOf::new(&with_axis(t.shape(), axis, len), out)
}

/// Joins tensors along `axis`; all other axes must agree.
pub(crate) fn concat<S: Scalar>(parts: &[&TensorOf<S>], axis: usize) -> TensorOf<S> {
    let first = parts.first().expect("concat: no tensors given");
    let total: usize = parts.iter().map(|p| p.shape()[axis]).sum();
    for p in parts {
        let same = p.rank() == first.rank()
            && (0..p.rank()).all(|i| i == axis || p.shape()[i] == first.shape()[i]);
        assert!(
            same,
            "concat: shapes {:?} and {:?} differ outside axis {axis}",
            first.shape(),
            p.shape()
        );
    }
    let (outer, _, inner) = split_at_axis(first.shape(), axis);
    let mut out = buffer::with_capacity(outer * total * inner);
    for o in 0..outer {
        for p in parts {
            let run = p.shape()[axis] * inner;
            out.extend_from_slice(&p.data()[o * run..(o + 1) * run]);
        }
    }
    TensorOf::new(&with_axis(first.shape(), axis, total), out)
}

/// The entries at `indices` along `axis` (numpy's `take`).
pub(crate) fn index_select<S: Scalar>(
    t: &TensorOf<S>,
    axis: usize,
    indices: &[usize],
) -> TensorOf<S> {
    let (outer, n, inner) = split_at_axis(t.shape(), axis);
    let mut out = buffer::with_capacity(outer * indices.len() * inner);
    for o in 0..outer {
        for &i in indices {
            assert!(
                i < n,
                "index_select: index {i} out of bounds for axis {axis} of shape {:?}",
                t.shape()
            );
            out.extend_from_slice(&t.data()[(o * n + i) * inner..(o * n + i + 1) * inner]);
        }
    }
    TensorOf::new(&with_axis(t.shape(), axis, indices.len()), out)
}

/// Adds the entries of `t` along `axis` into a zero tensor of length `len` at
/// `indices` (repeated indices accumulate): the adjoint of [`index_select`].
pub(crate) fn index_add<S: Scalar>(
    t: &TensorOf<S>,
    axis: usize,
    indices: &[usize],
    len: usize,
) -> TensorOf<S> {
    let (outer, m, inner) = split_at_axis(t.shape(), axis);
    debug_assert_eq!(m, indices.len());
    let mut out = buffer::zeros(outer * len * inner);
    for o in 0..outer {
        for (j, &i) in indices.iter().enumerate() {
            let src = &t.data()[(o * m + j) * inner..(o * m + j + 1) * inner];
            for (slot, x) in out[(o * len + i) * inner..].iter_mut().zip(src) {
                *slot += *x;
            }
        }
    }
    TensorOf::new(&with_axis(t.shape(), axis, len), out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tensor;

    #[test]
    fn slice_pad_concat_round_trip() {
        let t = Tensor::from_fn(&[2, 5], |i| i as f64);
        let s = slice(&t, 1, 1, 3);
        assert_eq!(s.data(), &[1., 2., 6., 7.]);
        let p = pad(&s, 1, 1, 5);
        assert_eq!(p.data(), &[0., 1., 2., 0., 0., 0., 6., 7., 0., 0.]);
        let parts = [slice(&t, 1, 0, 1), slice(&t, 1, 1, 3), slice(&t, 1, 3, 5)];
        assert_eq!(concat(&parts.iter().collect::<Vec<_>>(), 1), t);
        assert_eq!(transpose_last2(&transpose_last2(&t)), t);
    }

    #[test]
    fn index_add_is_the_adjoint_of_index_select() {
        let t = Tensor::randn(&[3, 4], 1);
        let idx = [2, 0, 2];
        let c = Tensor::randn(&[3, 3], 2);
        let lhs = index_select(&t, 1, &idx).dot(&c);
        let rhs = t.dot(&index_add(&c, 1, &idx, 4));
        assert!((lhs - rhs).abs() < 1e-12);
    }
}
