//! Concatenation along one axis.

use crate::dual::lane_shape;
use crate::kernels;
use crate::{Dual, Primitive, Tensor, Var, Wanted};

/// `parts` inputs joined along `axis`.
struct Concat {
    parts: usize,
    axis: usize,
}

// d concat(a, b, ..) = concat(da, db, ..)
impl Primitive for Concat {
    fn name(&self) -> &'static str {
        "concat"
    }
    fn arity(&self) -> usize {
        self.parts
    }
    fn primal(&self, parts: &[&Tensor]) -> Tensor {
        let axis = self.axis;
        assert!(
            axis < parts[0].rank(),
            "concat: axis {axis} out of range for shape {:?}",
            parts[0].shape()
        );
        kernels::concat(parts, axis)
    }
    fn tangent(&self, parts: &[&Dual], _: &Tensor) -> Option<Tensor> {
        let like = parts.iter().find_map(|p| p.tangent.as_ref())?;
        let filled: Vec<Tensor> = parts
            .iter()
            .map(|p| match &p.tangent {
                Some(t) => t.clone(),
                None => Tensor::zeros(&lane_shape(like.shape()[0], p.shape())),
            })
            .collect();
        Some(kernels::concat(
            &filled.iter().collect::<Vec<_>>(),
            self.axis + 1,
        ))
    }
    fn vjp(&self, parts: &[&Dual], _: &Dual, c: &Dual, wanted: &[Wanted]) -> Vec<Option<Dual>> {
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

impl<'t> Var<'t> {
    /// Joins vars along `axis`; all other axes must agree.
    ///
    /// # Panics
    /// When `parts` is empty or shapes disagree outside `axis`.
    #[track_caller]
    pub fn concat(parts: &[Var<'t>], axis: usize) -> Var<'t> {
        let first = *parts.first().expect("concat: no vars given");
        let concat = Concat {
            parts: parts.len(),
            axis,
        };
        first.record(concat, parts)
    }
}
