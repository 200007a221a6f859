//! Concatenation along one axis.

use crate::dual::lane_shape;
use crate::kernels;
use crate::{DualOf, Primitive, Scalar, TensorOf, VarOf, Wanted};

/// `parts` inputs joined along `axis`.
struct Concat {
    parts: usize,
    axis: usize,
}

// d concat(a, b, ..) = concat(da, db, ..)
impl<S: Scalar> Primitive<S> for Concat {
    fn name(&self) -> &'static str {
        "concat"
    }
    fn arity(&self) -> usize {
        self.parts
    }
    fn primal(&self, parts: &[&TensorOf<S>]) -> TensorOf<S> {
        let axis = self.axis;
        assert!(
            axis < parts[0].rank(),
            "concat: axis {axis} out of range for shape {:?}",
            parts[0].shape()
        );
        kernels::concat(parts, axis)
    }
    fn tangent(&self, parts: &[&DualOf<S>], _: &TensorOf<S>) -> Option<TensorOf<S>> {
        let like = parts.iter().find_map(|p| p.tangent.as_ref())?;
        let filled: Vec<TensorOf<S>> = parts
            .iter()
            .map(|p| match &p.tangent {
                Some(t) => t.clone(),
                None => TensorOf::zeros(&lane_shape(like.shape()[0], p.shape())),
            })
            .collect();
        Some(kernels::concat(
            &filled.iter().collect::<Vec<_>>(),
            self.axis + 1,
        ))
    }
    fn vjp(
        &self,
        parts: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        wanted: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let mut start = 0;
        parts
            .iter()
            .zip(wanted)
            .map(|(p, w)| {
                let end = start + p.shape()[self.axis];
                let piece = w.any().then(|| c.slice(self.axis, start, end));
                start = end;
                piece
            })
            .collect()
    }
}

impl<'t, S: Scalar> VarOf<'t, S> {
    /// Joins vars along `axis`; all other axes must agree.
    ///
    /// # Panics
    /// When `parts` is empty or shapes disagree outside `axis`.
    #[track_caller]
    pub fn concat(parts: &[VarOf<'t, S>], axis: usize) -> VarOf<'t, S> {
        let first = *parts.first().expect("concat: no vars given");
        let concat = Concat {
            parts: parts.len(),
            axis,
        };
        first.record(concat, parts)
    }
}
