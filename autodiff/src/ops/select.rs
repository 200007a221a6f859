//! Elementwise choice between two values by a constant mask (JAX's `where`).

use crate::dual::lane_shape;
use crate::kernels::{broadcast_shape, broadcast_to};
use crate::{DualOf, Primitive, Scalar, TensorOf, VarOf, Wanted};

/// `mask ? a : b`, elementwise, with `mask`, `a` and `b` broadcast together
/// (a mask entry is true when it is not zero).
struct Select<S: Scalar> {
    mask: TensorOf<S>,
}

impl<S: Scalar> Select<S> {
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
    fn choose(&self, a: &TensorOf<S>, b: &TensorOf<S>, shape: &[usize]) -> TensorOf<S> {
        let mask = broadcast_to(&self.mask, shape);
        let mask = mask.data();
        let data = a
            .data()
            .iter()
            .zip(b.data())
            .enumerate()
            .map(|(i, (&x, &y))| {
                if mask[i % mask.len()] != S::zero() {
                    x
                } else {
                    y
                }
            })
            .collect();
        TensorOf::from_vec(a.shape(), data).expect("both operands have the chosen shape")
    }
}

// d select(m, a, b) = select(m, da, db)
impl<S: Scalar> Primitive<S> for Select<S> {
    fn name(&self) -> &'static str {
        "select"
    }
    fn arity(&self) -> usize {
        2
    }
    fn primal(&self, x: &[&TensorOf<S>]) -> TensorOf<S> {
        let shape = self.shape(x[0].shape(), x[1].shape());
        let (a, b) = (broadcast_to(x[0], &shape), broadcast_to(x[1], &shape));
        self.choose(&a, &b, &shape)
    }
    fn tangent(&self, x: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
        let k = x.iter().find_map(|d| d.tangent.as_ref())?.shape()[0];
        let lanes = lane_shape(k, y.shape());
        let full = |d: &DualOf<S>| match d.lanes_at(y.rank()) {
            Some(t) => broadcast_to(&t, &lanes),
            None => TensorOf::zeros(&lanes),
        };
        Some(self.choose(&full(x[0]), &full(x[1]), y.shape()))
    }
    fn vjp(
        &self,
        x: &[&DualOf<S>],
        _: &DualOf<S>,
        c: &DualOf<S>,
        wanted: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        let zero = DualOf::scalar(S::zero());
        let pick = |a: &DualOf<S>, b: &DualOf<S>| DualOf::apply(self, &[a, b]);
        vec![
            wanted[0].any().then(|| pick(c, &zero).sum_to(x[0].shape())),
            wanted[1].any().then(|| pick(&zero, c).sum_to(x[1].shape())),
        ]
    }
}

impl<'t, S: Scalar> VarOf<'t, S> {
    /// `if_true` where `mask` is not zero and `if_false` elsewhere, with
    /// the three broadcast together (JAX's `where`). No derivative flows to
    /// the value not chosen, even where it is infinite or NaN.
    ///
    /// # Panics
    /// When the shapes do not broadcast together.
    #[track_caller]
    pub fn select(
        mask: &TensorOf<S>,
        if_true: VarOf<'t, S>,
        if_false: VarOf<'t, S>,
    ) -> VarOf<'t, S> {
        let mask = mask.clone();
        if_true.record(Select { mask }, &[if_true, if_false])
    }
}
