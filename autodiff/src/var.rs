//! `Var`: a handle to a value on a [`Tape`], with operator overloading.

use std::fmt;

use crate::primitive::Primitive;
use crate::tape::Tape;
use crate::tensor::{Shape, Tensor};
use crate::KeepDims;

/// A value recorded on a [`Tape`]. Cheap to copy; every operation records a
/// new node and returns its handle.
///
/// Arithmetic operators work between vars and with `f64` scalars on either
/// side, with numpy broadcasting. Operations on incompatible shapes panic
/// with a message naming the operation and both shapes (a programming error,
/// like an out-of-bounds index). Arithmetic follows IEEE semantics: `log` of
/// a negative number is NaN, division by zero is ±∞.
#[derive(Clone, Copy)]
pub struct Var<'t> {
    tape: &'t Tape,
    id: usize,
}

impl<'t> Var<'t> {
    pub(crate) fn new(tape: &'t Tape, id: usize) -> Var<'t> {
        Var { tape, id }
    }

    /// Position of this node on its tape.
    pub fn id(&self) -> usize {
        self.id
    }

    /// The tape this var lives on.
    pub fn tape(&self) -> &'t Tape {
        self.tape
    }

    /// The primal value (a cheap, shared copy).
    pub fn value(&self) -> Tensor {
        self.tape.with_node(self.id, |n| n.value.primal.clone())
    }

    /// The tangent lanes `[K, ...shape]`, when the inputs carried tangents and
    /// this value depends on them.
    pub fn tangent(&self) -> Option<Tensor> {
        self.tape.with_node(self.id, |n| n.value.tangent.clone())
    }

    /// The shape of the value.
    pub fn shape(&self) -> Shape {
        self.tape
            .with_node(self.id, |n| Shape::from_slice(n.value.shape()))
    }

    /// The single value of a one-element var.
    pub fn item(&self) -> f64 {
        self.value().item()
    }

    pub(crate) fn assert_on(&self, tape: &Tape, op: &str) {
        assert!(
            std::ptr::eq(self.tape, tape),
            "{op}: a var from another tape was used"
        );
    }

    /// Records `primitive` applied to `inputs` (of which `self` is one).
    #[track_caller]
    pub(crate) fn record(self, primitive: impl Primitive, inputs: &[Var<'t>]) -> Var<'t> {
        self.tape.apply(primitive, inputs)
    }

    /// Mean of all elements.
    #[track_caller]
    pub fn mean(self) -> Var<'t> {
        let n = self.shape().iter().product::<usize>() as f64;
        self.sum() * (1.0 / n)
    }

    /// Mean along `axis`, kept with length 1 or removed as `keep` says.
    #[track_caller]
    pub fn mean_axis(self, axis: usize, keep: KeepDims) -> Var<'t> {
        let n = self.shape()[axis] as f64;
        self.sum_axis(axis, keep) * (1.0 / n)
    }

    /// Elementwise square.
    #[track_caller]
    pub fn square(self) -> Var<'t> {
        self * self
    }

    /// The same value as a constant: no derivative flows through it (stop-gradient).
    #[track_caller]
    pub fn detach(self) -> Var<'t> {
        self.tape.constant(self.value())
    }
}

impl fmt::Debug for Var<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Var(#{}, {:?})", self.id, self.value())
    }
}
