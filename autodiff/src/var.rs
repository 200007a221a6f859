//! `Var`: a handle to a value on a [`Tape`](crate::Tape), with operator overloading.

use std::fmt;

use crate::primitive::Primitive;
use crate::scalar::Scalar;
use crate::tape::TapeOf;
use crate::tensor::{Shape, TensorOf};
use crate::KeepDims;

/// A value recorded on an `f64` [`Tape`](crate::Tape): [`VarOf`] in the
/// default precision.
pub type Var<'t> = VarOf<'t, f64>;

/// A value recorded on an `f32` [`Tape32`](crate::Tape32).
pub type Var32<'t> = VarOf<'t, f32>;

/// A value recorded on a [`TapeOf`]. Cheap to copy; every operation records
/// a new node and returns its handle.
///
/// Arithmetic operators work between vars and with scalars of the tape's
/// type on either side, with numpy broadcasting. Operations on incompatible shapes panic
/// with a message naming the operation and both shapes (a programming error,
/// like an out-of-bounds index). Arithmetic follows IEEE semantics: `log` of
/// a negative number is NaN, division by zero is ±∞.
pub struct VarOf<'t, S: Scalar> {
    tape: &'t TapeOf<S>,
    id: usize,
}

impl<S: Scalar> Clone for VarOf<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Scalar> Copy for VarOf<'_, S> {}

impl<'t, S: Scalar> VarOf<'t, S> {
    pub(crate) fn new(tape: &'t TapeOf<S>, id: usize) -> VarOf<'t, S> {
        VarOf { tape, id }
    }

    /// Position of this node on its tape.
    pub fn id(&self) -> usize {
        self.id
    }

    /// The tape this var lives on.
    pub fn tape(&self) -> &'t TapeOf<S> {
        self.tape
    }

    /// The primal value (a cheap, shared copy).
    pub fn value(&self) -> TensorOf<S> {
        self.tape.with_node(self.id, |n| n.value.primal.clone())
    }

    /// The tangent lanes `[K, ...shape]`, when the inputs carried tangents and
    /// this value depends on them.
    pub fn tangent(&self) -> Option<TensorOf<S>> {
        self.tape.with_node(self.id, |n| n.value.tangent.clone())
    }

    /// The shape of the value.
    pub fn shape(&self) -> Shape {
        self.tape
            .with_node(self.id, |n| Shape::from_slice(n.value.shape()))
    }

    /// The single value of a one-element var.
    pub fn item(&self) -> S {
        self.value().item()
    }

    pub(crate) fn assert_on(&self, tape: &TapeOf<S>, op: &str) {
        assert!(
            std::ptr::eq(self.tape, tape),
            "{op}: a var from another tape was used"
        );
    }

    /// Records `primitive` applied to `inputs` (of which `self` is one).
    #[track_caller]
    pub(crate) fn record(
        self,
        primitive: impl Primitive<S>,
        inputs: &[VarOf<'t, S>],
    ) -> VarOf<'t, S> {
        self.tape.apply(primitive, inputs)
    }

    /// Mean of all elements.
    #[track_caller]
    pub fn mean(self) -> VarOf<'t, S> {
        let n = self.shape().iter().product::<usize>() as f64;
        self.sum() * S::of(1.0 / n)
    }

    /// Mean along `axis`, kept with length 1 or removed as `keep` says.
    #[track_caller]
    pub fn mean_axis(self, axis: usize, keep: KeepDims) -> VarOf<'t, S> {
        let n = self.shape()[axis] as f64;
        self.sum_axis(axis, keep) * S::of(1.0 / n)
    }

    /// Elementwise square.
    #[track_caller]
    pub fn square(self) -> VarOf<'t, S> {
        self * self
    }

    /// The same value as a constant: no derivative flows through it (stop-gradient).
    #[track_caller]
    pub fn detach(self) -> VarOf<'t, S> {
        self.tape.constant(self.value())
    }
}

impl<S: Scalar> fmt::Debug for VarOf<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Var(#{}, {:?})", self.id, self.value())
    }
}
