//! Selection of entries by integer index along an axis (numpy's `take`), and
//! its adjoint, index-add (scatter with accumulation).

use std::sync::Arc;

use crate::kernels;
use crate::{DualOf, Primitive, Scalar, TensorOf, VarOf, Wanted};

/// The entries of `a` at `indices` along `axis`.
struct IndexSelect {
    axis: usize,
    indices: Arc<[usize]>,
}

// d take(a, i) = take(da, i)
impl<S: Scalar> Primitive<S> for IndexSelect {
    fn name(&self) -> &'static str {
        "index_select"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, a: &[&TensorOf<S>]) -> TensorOf<S> {
        assert!(
            self.axis < a[0].rank(),
            "index_select: axis {} out of range for shape {:?}",
            self.axis,
            a[0].shape()
        );
        kernels::index_select(a[0], self.axis, &self.indices)
    }
    fn tangent(&self, a: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        a[0].tangent
            .as_ref()
            .map(|t| kernels::index_select(t, self.axis + 1, &self.indices))
    }
    fn vjp(
        &self,
        a: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let add = IndexAdd {
            axis: self.axis,
            indices: self.indices.clone(),
            len: a[0].shape()[self.axis],
        };
        vec![Some(crate::primitive::apply(&add, &[c]))]
    }
}

/// `c` added into zeros of length `len` along `axis` at `indices`.
struct IndexAdd {
    axis: usize,
    indices: Arc<[usize]>,
    len: usize,
}

// d index_add(c) = index_add(dc): a linear map, the adjoint of take
impl<S: Scalar> Primitive<S> for IndexAdd {
    fn name(&self) -> &'static str {
        "index_add"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, c: &[&TensorOf<S>]) -> TensorOf<S> {
        kernels::index_add(c[0], self.axis, &self.indices, self.len)
    }
    fn tangent(&self, c: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        c[0].tangent
            .as_ref()
            .map(|t| kernels::index_add(t, self.axis + 1, &self.indices, self.len))
    }
    fn vjp(
        &self,
        _: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let take = IndexSelect {
            axis: self.axis,
            indices: self.indices.clone(),
        };
        vec![Some(crate::primitive::apply(&take, &[c]))]
    }
}

impl<'t, S: Scalar> VarOf<'t, S> {
    /// The entries at `indices` along `axis` (numpy's `take`).
    ///
    /// # Panics
    /// When an index is out of bounds.
    #[track_caller]
    pub fn index_select(self, axis: usize, indices: &[usize]) -> VarOf<'t, S> {
        let shape = self.shape();
        assert!(
            axis < shape.len(),
            "index_select: axis {axis} out of range for shape {shape:?}"
        );
        if let Some(&bad) = indices.iter().find(|&&i| i >= shape[axis]) {
            panic!("index_select: index {bad} out of bounds for axis {axis} of shape {shape:?}");
        }
        let indices = Arc::from(indices);
        self.record(IndexSelect { axis, indices }, &[self])
    }
}
