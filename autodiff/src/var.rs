//! `Var`: a handle to a value on a [`Tape`], with operator overloading.

use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};
use std::panic::Location;
use std::sync::Arc;

use crate::tape::{Op, Tape};
use crate::tensor::{Shape, Tensor};

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

    #[track_caller]
    fn record(self, op: Op) -> Var<'t> {
        self.tape.push(op, Location::caller())
    }

    #[track_caller]
    fn constant_like(self, value: f64) -> Var<'t> {
        self.tape.constant(Tensor::scalar(value))
    }

    #[track_caller]
    fn binary(self, other: Var<'t>, name: &str, op: impl FnOnce(usize, usize) -> Op) -> Var<'t> {
        other.assert_on(self.tape, name);
        self.record(op(self.id, other.id))
    }

    /// Matrix product of two 2-D vars.
    #[track_caller]
    pub fn matmul(self, other: Var<'t>) -> Var<'t> {
        self.binary(other, "matmul", |a, b| Op::MatMul {
            a,
            b,
            ta: false,
            tb: false,
        })
    }

    /// Transpose of a 2-D var.
    #[track_caller]
    pub fn t(self) -> Var<'t> {
        self.record(Op::Transpose(self.id))
    }

    /// The same values viewed with another shape of equal size.
    #[track_caller]
    pub fn reshape(self, shape: &[usize]) -> Var<'t> {
        self.record(Op::Reshape(self.id, Shape::from_slice(shape)))
    }

    /// Explicit broadcast to a larger shape (numpy rules).
    #[track_caller]
    pub fn broadcast_to(self, shape: &[usize]) -> Var<'t> {
        self.record(Op::BroadcastTo(self.id, Shape::from_slice(shape)))
    }

    /// Sum of all elements (a scalar of shape `[]`).
    #[track_caller]
    pub fn sum(self) -> Var<'t> {
        let axes = (0..self.shape().len()).collect();
        self.record(Op::Sum {
            a: self.id,
            axes,
            keepdim: false,
        })
    }

    /// Sum along `axis`, keeping it with length 1 when `keepdim`.
    #[track_caller]
    pub fn sum_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.record(Op::Sum {
            a: self.id,
            axes: Shape::from_slice(&[axis]),
            keepdim,
        })
    }

    /// Mean of all elements.
    #[track_caller]
    pub fn mean(self) -> Var<'t> {
        let n = self.shape().iter().product::<usize>() as f64;
        self.sum() * (1.0 / n)
    }

    /// Mean along `axis`, keeping it with length 1 when `keepdim`.
    #[track_caller]
    pub fn mean_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        let n = self.shape()[axis] as f64;
        self.sum_axis(axis, keepdim) * (1.0 / n)
    }

    /// Maximum along `axis`, keeping it with length 1 when `keepdim`.
    #[track_caller]
    pub fn max_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.record(Op::MaxAxis {
            a: self.id,
            axis,
            keepdim,
        })
    }

    /// Elementwise exponential.
    #[track_caller]
    pub fn exp(self) -> Var<'t> {
        self.record(Op::Exp(self.id))
    }

    /// Elementwise natural logarithm.
    #[track_caller]
    pub fn ln(self) -> Var<'t> {
        self.record(Op::Log(self.id))
    }

    /// Elementwise hyperbolic tangent.
    #[track_caller]
    pub fn tanh(self) -> Var<'t> {
        self.record(Op::Tanh(self.id))
    }

    /// Elementwise sine.
    #[track_caller]
    pub fn sin(self) -> Var<'t> {
        self.record(Op::Sin(self.id))
    }

    /// Elementwise cosine.
    #[track_caller]
    pub fn cos(self) -> Var<'t> {
        self.record(Op::Cos(self.id))
    }

    /// Elementwise arctangent (values in (-π/2, π/2)).
    #[track_caller]
    pub fn atan(self) -> Var<'t> {
        self.record(Op::Atan(self.id))
    }

    /// Elementwise power with a constant exponent.
    #[track_caller]
    pub fn powf(self, p: f64) -> Var<'t> {
        self.record(Op::Pow(self.id, p))
    }

    /// Elementwise square.
    #[track_caller]
    pub fn square(self) -> Var<'t> {
        self * self
    }

    /// Elementwise square root.
    #[track_caller]
    pub fn sqrt(self) -> Var<'t> {
        self.record(Op::Sqrt(self.id))
    }

    /// Elementwise absolute value.
    #[track_caller]
    pub fn abs(self) -> Var<'t> {
        self.record(Op::Abs(self.id))
    }

    /// Elementwise `max(x, 0)`.
    #[track_caller]
    pub fn relu(self) -> Var<'t> {
        self.record(Op::Relu(self.id))
    }

    /// The entries at `indices` along `axis` (numpy's `take`).
    ///
    /// # Panics
    /// When an index is out of bounds.
    #[track_caller]
    pub fn index_select(self, axis: usize, indices: &[usize]) -> Var<'t> {
        let shape = self.shape();
        assert!(
            axis < shape.len(),
            "index_select: axis {axis} out of range for shape {shape:?}"
        );
        if let Some(&bad) = indices.iter().find(|&&i| i >= shape[axis]) {
            panic!("index_select: index {bad} out of bounds for axis {axis} of shape {shape:?}");
        }
        self.record(Op::IndexSelect {
            a: self.id,
            axis,
            indices: Arc::from(indices),
        })
    }

    /// Elements `start..end` along `axis`.
    #[track_caller]
    pub fn slice(self, axis: usize, start: usize, end: usize) -> Var<'t> {
        self.record(Op::Slice {
            a: self.id,
            axis,
            start,
            end,
        })
    }

    /// Joins vars along `axis`; all other axes must agree.
    ///
    /// # Panics
    /// When `parts` is empty or shapes disagree outside `axis`.
    #[track_caller]
    pub fn concat(parts: &[Var<'t>], axis: usize) -> Var<'t> {
        let first = *parts.first().expect("concat: no vars given");
        for p in parts {
            p.assert_on(first.tape, "concat");
        }
        first.record(Op::Concat {
            parts: parts.iter().map(|p| p.id).collect(),
            axis,
        })
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

macro_rules! binary_operator {
    ($trait:ident, $method:ident, $op:ident) => {
        impl<'t> $trait<Var<'t>> for Var<'t> {
            type Output = Var<'t>;
            #[track_caller]
            fn $method(self, rhs: Var<'t>) -> Var<'t> {
                self.binary(rhs, stringify!($method), Op::$op)
            }
        }
        impl<'t> $trait<f64> for Var<'t> {
            type Output = Var<'t>;
            #[track_caller]
            fn $method(self, rhs: f64) -> Var<'t> {
                let rhs = self.constant_like(rhs);
                self.binary(rhs, stringify!($method), Op::$op)
            }
        }
        impl<'t> $trait<Var<'t>> for f64 {
            type Output = Var<'t>;
            #[track_caller]
            fn $method(self, rhs: Var<'t>) -> Var<'t> {
                let lhs = rhs.constant_like(self);
                lhs.binary(rhs, stringify!($method), Op::$op)
            }
        }
    };
}

binary_operator!(Add, add, Add);
binary_operator!(Sub, sub, Sub);
binary_operator!(Mul, mul, Mul);
binary_operator!(Div, div, Div);

impl<'t> Neg for Var<'t> {
    type Output = Var<'t>;
    #[track_caller]
    fn neg(self) -> Var<'t> {
        self.record(Op::Neg(self.id))
    }
}
