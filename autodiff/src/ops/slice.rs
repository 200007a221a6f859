//! A contiguous range along one axis, and its adjoint, zero padding.

use crate::kernels;
use crate::{DualOf, Primitive, Scalar, TensorOf, Wanted};

/// Elements `start..end` of `a` along `axis`.
struct Slice {
    axis: usize,
    start: usize,
    end: usize,
}

// d a[start..end] = da[start..end]
impl<S: Scalar> Primitive<S> for Slice {
    fn name(&self) -> &'static str {
        "slice"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        assert!(
            self.axis < a[0].rank(),
            "slice: axis {} out of range for shape {:?}",
            self.axis,
            a[0].shape()
        );
        kernels::slice(a[0], self.axis, self.start, self.end)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent
            .as_ref()
            .map(|t| kernels::slice(t, self.axis + 1, self.start, self.end))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let pad = Pad {
            axis: self.axis,
            start: self.start,
            len: a[0].shape()[self.axis],
        };
        vec![Some(crate::primitive::apply(&pad, &[c]))]
    }
}

/// `c` placed at `start` in zeros of length `len` along `axis`.
struct Pad {
    axis: usize,
    start: usize,
    len: usize,
}

// d pad(c) = pad(dc): a linear map, the adjoint of slicing
impl<S: Scalar> Primitive<S> for Pad {
    fn name(&self) -> &'static str {
        "pad"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, c: &[&TensorOf<S>]) -> TensorOf<S> {
        kernels::pad(c[0], self.axis, self.start, self.len)
    }
    fn tangent(&self, c: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        c[0].tangent
            .as_ref()
            .map(|t| kernels::pad(t, self.axis + 1, self.start, self.len))
    }
    fn vjp(
        &self,
        c: &[&DualOf<S>],
        _: &DualOf<S>,
        g: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let end = self.start + c[0].shape()[self.axis];
        vec![Some(g.slice(self.axis, self.start, end))]
    }
}

super::unary_methods! {
    /// Elements `start..end` along `axis`.
    slice(axis: usize, start: usize, end: usize) => Slice { axis, start, end }
}
