//! Elementwise binary kernels with numpy broadcasting.

use smallvec::SmallVec;

use crate::buffer;
use crate::scalar::Scalar;
use crate::tensor::{Shape, TensorOf};

/// The shape two operands broadcast to (numpy rules), or `None` when they cannot.
pub(crate) fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Shape> {
    let rank = a.len().max(b.len());
    let mut out = Shape::with_capacity(rank);
    for i in 0..rank {
        let da = if i + a.len() >= rank {
            a[i + a.len() - rank]
        } else {
            1
        };
        let db = if i + b.len() >= rank {
            b[i + b.len() - rank]
        } else {
            1
        };
        out.push(match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        });
    }
    Some(out)
}

/// Strides that read `shape` (right-aligned) as if it had shape `out`: 0 on broadcast axes.
fn strides_within(shape: &[usize], out: &[usize]) -> SmallVec<[usize; 6]> {
    let mut strides = SmallVec::from_elem(0, out.len());
    let mut step = 1;
    for i in (0..shape.len()).rev() {
        let o = i + out.len() - shape.len();
        if shape[i] != 1 {
            strides[o] = step;
        }
        step *= shape[i];
    }
    strides
}

/// Visits `out` in row-major runs along its last axis: `visit(flat, offset_a, offset_b, run)`
/// gives the flat index of the run's start and the offsets of two strided inputs there.
fn for_each_offset(
    out: &[usize],
    sa: &[usize],
    sb: &[usize],
    mut visit: impl FnMut(usize, usize, usize, usize),
) {
    let total = crate::tensor::count(out);
    if total == 0 {
        return;
    }
    let rank = out.len();
    if rank == 0 {
        visit(0, 0, 0, 1);
        return;
    }
    let inner = out[rank - 1];
    let mut index: SmallVec<[usize; 6]> = SmallVec::from_elem(0, rank);
    let (mut oa, mut ob) = (0, 0);
    let mut flat = 0;
    loop {
        visit(flat, oa, ob, inner);
        flat += inner;
        let mut axis = rank - 1;
        loop {
            if axis == 0 {
                return;
            }
            axis -= 1;
            index[axis] += 1;
            oa += sa[axis];
            ob += sb[axis];
            if index[axis] < out[axis] {
                break;
            }
            oa -= sa[axis] * out[axis];
            ob -= sb[axis] * out[axis];
            index[axis] = 0;
        }
    }
}

/// Applies `f` elementwise to two broadcast-compatible tensors.
///
/// # Panics
/// When the shapes cannot broadcast; the message names `op` and both shapes.
pub(crate) fn binary<S: Scalar>(
    op: &str,
    a: &TensorOf<S>,
    b: &TensorOf<S>,
    f: impl Fn(S, S) -> S,
) -> TensorOf<S> {
    if a.shape() == b.shape() {
        let data = buffer::collect(
            a.len(),
            a.data().iter().zip(b.data()).map(|(&x, &y)| f(x, y)),
        );
        return TensorOf::new(a.shape(), data);
    }
    let out = broadcast_shape(a.shape(), b.shape()).unwrap_or_else(|| {
        panic!(
            "{op}: shapes {:?} and {:?} cannot be broadcast together",
            a.shape(),
            b.shape()
        )
    });
    if b.len() == 1 && out.as_slice() == a.shape() {
        let y = b.data()[0];
        return TensorOf::new(
            &out,
            buffer::collect(a.len(), a.data().iter().map(|&x| f(x, y))),
        );
    }
    if a.len() == 1 && out.as_slice() == b.shape() {
        let x = a.data()[0];
        return TensorOf::new(
            &out,
            buffer::collect(b.len(), b.data().iter().map(|&y| f(x, y))),
        );
    }
    // A trailing block repeated over leading axes (tangent lanes times a
    // primal slope, a bias added to every row): plain chunked loops.
    if out.as_slice() == a.shape() && a.shape().ends_with(b.shape()) {
        let block = b.len().max(1);
        let mut data = buffer::with_capacity(a.len());
        for row in a.data().chunks_exact(block) {
            data.extend(row.iter().zip(b.data()).map(|(&x, &y)| f(x, y)));
        }
        return TensorOf::new(&out, data);
    }
    if out.as_slice() == b.shape() && b.shape().ends_with(a.shape()) {
        let block = a.len().max(1);
        let mut data = buffer::with_capacity(b.len());
        for row in b.data().chunks_exact(block) {
            data.extend(a.data().iter().zip(row).map(|(&x, &y)| f(x, y)));
        }
        return TensorOf::new(&out, data);
    }
    let sa = strides_within(a.shape(), &out);
    let sb = strides_within(b.shape(), &out);
    let (da, db) = (a.data(), b.data());
    let mut data = buffer::zeros(crate::tensor::count(&out));
    let (ia, ib) = (
        sa.last().copied().unwrap_or(0),
        sb.last().copied().unwrap_or(0),
    );
    for_each_offset(&out, &sa, &sb, |flat, oa, ob, run| {
        for (j, slot) in data[flat..flat + run].iter_mut().enumerate() {
            *slot = f(da[oa + j * ia], db[ob + j * ib]);
        }
    });
    TensorOf::new(&out, data)
}

/// Copies `t` broadcast to `shape`.
///
/// # Panics
/// When `t` cannot broadcast to `shape`.
pub(crate) fn broadcast_to<S: Scalar>(t: &TensorOf<S>, shape: &[usize]) -> TensorOf<S> {
    if t.shape() == shape {
        return t.clone();
    }
    match broadcast_shape(t.shape(), shape) {
        Some(out) if out.as_slice() == shape => {}
        _ => panic!(
            "broadcast_to: shape {:?} cannot broadcast to {:?}",
            t.shape(),
            shape
        ),
    }
    let st = strides_within(t.shape(), shape);
    let zero = SmallVec::<[usize; 6]>::from_elem(0, shape.len());
    let src = t.data();
    let mut data = buffer::zeros(crate::tensor::count(shape));
    let it = st.last().copied().unwrap_or(0);
    for_each_offset(shape, &st, &zero, |flat, ot, _, run| {
        for (j, slot) in data[flat..flat + run].iter_mut().enumerate() {
            *slot = src[ot + j * it];
        }
    });
    TensorOf::new(shape, data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tensor;

    #[test]
    fn broadcasting_follows_numpy() {
        assert_eq!(
            broadcast_shape(&[2, 1, 3], &[4, 1]).unwrap().as_slice(),
            &[2, 4, 3]
        );
        assert_eq!(broadcast_shape(&[], &[5]).unwrap().as_slice(), &[5]);
        assert!(broadcast_shape(&[2, 3], &[3, 2]).is_none());
        let a = Tensor::from_vec(&[2, 1], vec![1.0, 2.0]).unwrap();
        let b = Tensor::from_vec(&[3], vec![10.0, 20.0, 30.0]).unwrap();
        let c = binary("add", &a, &b, |x, y| x + y);
        assert_eq!(c.shape(), &[2, 3]);
        assert_eq!(c.data(), &[11., 21., 31., 12., 22., 32.]);
        let d = broadcast_to(&b, &[2, 3]);
        assert_eq!(d.data(), &[10., 20., 30., 10., 20., 30.]);
    }

    #[test]
    #[should_panic(expected = "mul: shapes [2, 3] and [2] cannot be broadcast")]
    fn incompatible_shapes_name_the_op() {
        binary(
            "mul",
            &Tensor::zeros(&[2, 3]),
            &Tensor::zeros(&[2]),
            |x, y| x * y,
        );
    }
}
