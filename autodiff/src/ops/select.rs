//! Elementwise choice between two values by a constant mask (JAX's `where`).

use crate::dual::lane_shape;
use crate::kernels::{broadcast_shape, broadcast_to};
use crate::{Dual, Primitive, Tensor, Var, Wanted};

/// `mask ? a : b`, elementwise, with `mask`, `a` and `b` broadcast together
/// (a mask entry is true when it is not zero).
struct Select {
    mask: Tensor,
}

impl Select {
    /// The shape `mask`, `a` and `b` broadcast to.
    fn shape(&self, a: &[usize], b: &[usize]) -> Vec<usize> {
        broadcast_shape(a, b)
            .and_then(|ab| broadcast_shape(self.mask.shape(), &ab))
            .unwrap_or_else(|| {
                panic!(
                    "select: mask of shape {:?} and values of shapes {a:?} and {b:?} do not broadcast together",
                    self.mask.shape()
                )
            })
            .to_vec()
    }

    /// `mask ? a : b` for `a` and `b` already of shape `[K, ...shape]`, the
    /// mask repeated over the `K` leading planes.
    fn choose(&self, a: &Tensor, b: &Tensor, shape: &[usize]) -> Tensor {
        let mask = broadcast_to(&self.mask, shape);
        let mask = mask.data();
        let data = a
            .data()
            .iter()
            .zip(b.data())
            .enumerate()
            .map(|(i, (&x, &y))| if mask[i % mask.len()] != 0.0 { x } else { y })
            .collect();
        Tensor::from_vec(a.shape(), data).expect("both operands have the chosen shape")
    }
}

// d select(m, a, b) = select(m, da, db)
impl Primitive for Select {
    fn name(&self) -> &'static str {
        "select"
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&Tensor]) -> Tensor {
        let shape = self.shape(x[0].shape(), x[1].shape());
        let (a, b) = (broadcast_to(x[0], &shape), broadcast_to(x[1], &shape));
        self.choose(&a, &b, &shape)
    }
    fn tangent(&self, x: &[&Dual], y: &Tensor) -> Option<Tensor> {
        let k = x.iter().find_map(|d| d.tangent.as_ref())?.shape()[0];
        let lanes = lane_shape(k, y.shape());
        let full = |d: &Dual| match d.lanes_at(y.rank()) {
            Some(t) => broadcast_to(&t, &lanes),
            None => Tensor::zeros(&lanes),
        };
        Some(self.choose(&full(x[0]), &full(x[1]), y.shape()))
    }
    fn vjp(&self, x: &[&Dual], _: &Dual, c: &Dual, wanted: &[Wanted]) -> Vec<Option<Dual>> {
        let zero = Dual::scalar(0.0);
        let pick = |a: &Dual, b: &Dual| Dual::apply(self, &[a, b]);
        vec![
            wanted[0].any().then(|| pick(c, &zero).sum_to(x[0].shape())),
            wanted[1].any().then(|| pick(&zero, c).sum_to(x[1].shape())),
        ]
    }
}

impl<'t> Var<'t> {
    /// `if_true` where `mask` is not zero and `if_false` elsewhere, with
    /// the three broadcast together (JAX's `where`). No derivative flows to
    /// the value not chosen, even where it is infinite or NaN.
    ///
    /// # Panics
    /// When the shapes do not broadcast together.
    #[track_caller]
    pub fn select(mask: &Tensor, if_true: Var<'t>, if_false: Var<'t>) -> Var<'t> {
        let mask = mask.clone();
        if_true.record(Select { mask }, &[if_true, if_false])
    }
}
