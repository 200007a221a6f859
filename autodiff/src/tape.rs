//! The define-by-run tape: every operation on a [`Var`] computes its value at
//! once and appends a node; the reverse sweep walks the nodes backwards.

use std::cell::{Cell, RefCell};
use std::panic::Location;
use std::sync::Arc;

use smallvec::{smallvec, SmallVec};

use crate::dual::{lane_shape, Dual};
use crate::error::Anomaly;
use crate::ops;
use crate::tensor::{Shape, Tensor};
use crate::var::Var;

thread_local! {
    static STOP_AT_ANOMALY: Cell<bool> = const { Cell::new(false) };
}

/// Anomaly mode for every tape created afterwards on this thread, including
/// those the functional API (`grad`, `hvp`, ...) creates internally: the first
/// NaN or infinity produced by an op in a forward or reverse sweep stops the
/// computation with a panic whose message names the op, its input shapes and
/// where in the user's code it was recorded. Off by default; the cost when on
/// is one pass over each new value.
///
/// ```should_panic
/// autodiff::stop_at_anomaly(true);
/// let x = autodiff::Tensor::vector(vec![4.0, 0.0]);
/// autodiff::grad(|x| x[0].sqrt().sum(), &[x]); // d sqrt at 0 is ∞: panics, naming sqrt
/// ```
pub fn stop_at_anomaly(on: bool) {
    STOP_AT_ANOMALY.set(on);
}

impl Default for Tape {
    fn default() -> Tape {
        Tape::new()
    }
}

/// A recorded operation and the ids of its inputs.
#[derive(Clone, Debug)]
pub(crate) enum Op {
    Leaf,
    Add(usize, usize),
    Sub(usize, usize),
    Mul(usize, usize),
    Div(usize, usize),
    Neg(usize),
    MatMul {
        a: usize,
        b: usize,
        ta: bool,
        tb: bool,
    },
    Transpose(usize),
    Reshape(usize, Shape),
    BroadcastTo(usize, Shape),
    Sum {
        a: usize,
        axes: Shape,
        keepdim: bool,
    },
    MaxAxis {
        a: usize,
        axis: usize,
        keepdim: bool,
    },
    Exp(usize),
    Log(usize),
    Tanh(usize),
    Sin(usize),
    Cos(usize),
    Atan(usize),
    Pow(usize, f64),
    Sqrt(usize),
    Abs(usize),
    Relu(usize),
    IndexSelect {
        a: usize,
        axis: usize,
        indices: Arc<[usize]>,
    },
    Slice {
        a: usize,
        axis: usize,
        start: usize,
        end: usize,
    },
    Concat {
        parts: Vec<usize>,
        axis: usize,
    },
}

impl Op {
    /// The primitive's name, as used in error messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Op::Leaf => "leaf",
            Op::Add(..) => "add",
            Op::Sub(..) => "sub",
            Op::Mul(..) => "mul",
            Op::Div(..) => "div",
            Op::Neg(..) => "neg",
            Op::MatMul { .. } => "matmul",
            Op::Transpose(..) => "transpose",
            Op::Reshape(..) => "reshape",
            Op::BroadcastTo(..) => "broadcast_to",
            Op::Sum { .. } => "sum",
            Op::MaxAxis { .. } => "max",
            Op::Exp(..) => "exp",
            Op::Log(..) => "log",
            Op::Tanh(..) => "tanh",
            Op::Sin(..) => "sin",
            Op::Cos(..) => "cos",
            Op::Atan(..) => "atan",
            Op::Pow(..) => "pow",
            Op::Sqrt(..) => "sqrt",
            Op::Abs(..) => "abs",
            Op::Relu(..) => "relu",
            Op::IndexSelect { .. } => "index_select",
            Op::Slice { .. } => "slice",
            Op::Concat { .. } => "concat",
        }
    }

    /// Ids of the inputs, in order.
    pub(crate) fn inputs(&self) -> SmallVec<[usize; 2]> {
        match self {
            Op::Leaf => SmallVec::new(),
            Op::Add(a, b) | Op::Sub(a, b) | Op::Mul(a, b) | Op::Div(a, b) => smallvec![*a, *b],
            Op::MatMul { a, b, .. } => smallvec![*a, *b],
            Op::Neg(a)
            | Op::Transpose(a)
            | Op::Reshape(a, _)
            | Op::BroadcastTo(a, _)
            | Op::Exp(a)
            | Op::Log(a)
            | Op::Tanh(a)
            | Op::Sin(a)
            | Op::Cos(a)
            | Op::Atan(a)
            | Op::Pow(a, _)
            | Op::Sqrt(a)
            | Op::Abs(a)
            | Op::Relu(a) => smallvec![*a],
            Op::Sum { a, .. }
            | Op::MaxAxis { a, .. }
            | Op::IndexSelect { a, .. }
            | Op::Slice { a, .. } => {
                smallvec![*a]
            }
            Op::Concat { parts, .. } => parts.iter().copied().collect(),
        }
    }
}

/// One recorded value.
pub(crate) struct Node {
    pub op: Op,
    pub value: Dual,
    /// Whether any differentiable leaf reaches this node.
    pub needs_grad: bool,
    /// Where in the user's code the operation was recorded.
    pub location: &'static Location<'static>,
}

/// A define-by-run tape of tensor operations.
///
/// Create one, make leaves with [`Tape::var`] (differentiable) or
/// [`Tape::constant`], compute with [`Var`] operations, then run a reverse
/// sweep with [`Tape::backward`] or [`Tape::vjp`]. Leaves made with
/// [`Tape::var_with_tangents`] carry tangent lanes; the sweep then also
/// returns the exact Hessian-vector products.
///
/// ```
/// use autodiff::{Tape, Tensor};
/// let tape = Tape::new();
/// let x = tape.var(Tensor::vector(vec![1.0, 2.0]));
/// let y = (x * x).sum();             // y = x₀² + x₁²
/// let adj = tape.backward(y);
/// assert_eq!(adj.grad(x).data(), &[2.0, 4.0]);
/// ```
pub struct Tape {
    nodes: RefCell<Vec<Node>>,
    lanes: Cell<Option<usize>>,
    detect_anomaly: Cell<bool>,
    anomaly: RefCell<Option<Anomaly>>,
    pub(crate) tags: RefCell<Vec<crate::tags::Tag>>,
}

impl Tape {
    /// An empty tape.
    pub fn new() -> Tape {
        Tape {
            nodes: RefCell::default(),
            lanes: Cell::default(),
            detect_anomaly: Cell::new(STOP_AT_ANOMALY.get()),
            anomaly: RefCell::default(),
            tags: RefCell::default(),
        }
    }

    /// Number of recorded nodes (leaves included).
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// Whether nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of tangent lanes carried on this tape, if any.
    pub fn lanes(&self) -> Option<usize> {
        self.lanes.get()
    }

    /// Turns anomaly detection on or off (off by default). While on, every
    /// recorded value, its tangents, and every cotangent of a reverse sweep
    /// are checked, and the first NaN or infinity is kept with the op that
    /// produced it, its input shapes and where it was recorded; read it with
    /// [`Tape::anomaly`]. The check costs one pass over each new value.
    ///
    /// ```
    /// use autodiff::{Tape, Tensor};
    /// let tape = Tape::new();
    /// tape.detect_anomaly(true);
    /// let x = tape.var(Tensor::vector(vec![1.0, -1.0]));
    /// let y = x.sqrt().sum();
    /// let _ = tape.backward(y);
    /// let anomaly = tape.anomaly().expect("sqrt(-1) is NaN");
    /// assert_eq!(anomaly.op, "sqrt");
    /// assert!(anomaly.location.contains(file!()));
    /// ```
    pub fn detect_anomaly(&self, on: bool) {
        self.detect_anomaly.set(on);
    }

    /// The first non-finite value seen while anomaly detection was on.
    pub fn anomaly(&self) -> Option<Anomaly> {
        self.anomaly.borrow().clone()
    }

    /// Keeps the first non-finite part of `value` produced by `node`'s op.
    fn inspect(
        &self,
        nodes: &[Node],
        op: &Op,
        location: &'static Location<'static>,
        value: &Dual,
        cotangent: bool,
    ) {
        if !self.detect_anomaly.get() || self.anomaly.borrow().is_some() {
            return;
        }
        let bad = |t: &Tensor| t.data().iter().any(|x| !x.is_finite());
        let part = match (bad(&value.primal), value.tangent.as_ref().is_some_and(bad)) {
            (true, _) if cotangent => "cotangent",
            (true, _) => "value",
            (false, true) if cotangent => "cotangent tangent",
            (false, true) => "tangent",
            (false, false) => return,
        };
        let anomaly = Anomaly {
            op: op.name(),
            part,
            input_shapes: op
                .inputs()
                .iter()
                .map(|&i| nodes[i].value.shape().to_vec())
                .collect(),
            location: location.to_string(),
        };
        if STOP_AT_ANOMALY.get() {
            panic!("anomaly: {anomaly}");
        }
        *self.anomaly.borrow_mut() = Some(anomaly);
    }

    /// A differentiable input.
    #[track_caller]
    pub fn var(&self, value: Tensor) -> Var<'_> {
        self.leaf(Dual::constant(value), true)
    }

    /// An input that is not differentiated (data, labels, hyper-parameters).
    #[track_caller]
    pub fn constant(&self, value: Tensor) -> Var<'_> {
        self.leaf(Dual::constant(value), false)
    }

    /// A differentiable input carrying `K` tangent directions, given as one
    /// tensor of shape `[K, ...value shape]`. All tangent-carrying inputs on a
    /// tape must use the same `K`.
    ///
    /// # Panics
    /// When `tangents` does not have shape `[K, ...value shape]` or `K`
    /// differs from that of earlier inputs.
    #[track_caller]
    pub fn var_with_tangents(&self, value: Tensor, tangents: Tensor) -> Var<'_> {
        let k = tangents.shape().first().copied().unwrap_or(0);
        assert!(
            tangents.rank() == value.rank() + 1 && tangents.shape()[1..] == *value.shape(),
            "var_with_tangents: tangents of shape {:?} do not match a value of shape {:?} (expected [K, ...])",
            tangents.shape(),
            value.shape()
        );
        match self.lanes.get() {
            Some(existing) if existing != k => {
                panic!(
                    "var_with_tangents: {k} tangent lanes given, but this tape carries {existing}"
                )
            }
            _ => self.lanes.set(Some(k)),
        }
        self.leaf(
            Dual {
                primal: value,
                tangent: Some(tangents),
            },
            true,
        )
    }

    #[track_caller]
    fn leaf(&self, value: Dual, needs_grad: bool) -> Var<'_> {
        let mut nodes = self.nodes.borrow_mut();
        self.inspect(&nodes, &Op::Leaf, Location::caller(), &value, false);
        nodes.push(Node {
            op: Op::Leaf,
            value,
            needs_grad,
            location: Location::caller(),
        });
        Var::new(self, nodes.len() - 1)
    }

    /// Computes the value of `op` from its inputs and appends it.
    pub(crate) fn push(&self, op: Op, location: &'static Location<'static>) -> Var<'_> {
        let (value, needs_grad) = {
            let nodes = self.nodes.borrow();
            let v = |i: usize| &nodes[i].value;
            let needs_grad = op.inputs().iter().any(|&i| nodes[i].needs_grad);
            let value = forward(&op, &v);
            self.inspect(&nodes, &op, location, &value, false);
            (value, needs_grad)
        };
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            op,
            value,
            needs_grad,
            location,
        });
        Var::new(self, nodes.len() - 1)
    }

    pub(crate) fn nodes(&self) -> std::cell::Ref<'_, Vec<Node>> {
        self.nodes.borrow()
    }

    pub(crate) fn with_node<R>(&self, id: usize, f: impl FnOnce(&Node) -> R) -> R {
        f(&self.nodes.borrow()[id])
    }

    /// Reverse sweep from a scalar output (seed 1): the gradient of `output`
    /// with respect to every node, readable from the returned [`Adjoints`].
    ///
    /// # Panics
    /// When `output` does not hold exactly one value.
    pub fn backward<'t>(&'t self, output: Var<'t>) -> Adjoints<'t> {
        let shape = output.shape();
        assert!(
            shape.iter().product::<usize>() == 1,
            "backward: output of shape {shape:?} is not a scalar; use vjp with a cotangent"
        );
        self.vjp(output, Tensor::ones(&shape))
    }

    /// Reverse sweep from any node, seeded with `cotangent` (same shape as
    /// `output`): the vector-Jacobian product with respect to every node.
    ///
    /// # Panics
    /// When the cotangent's shape differs from the output's.
    pub fn vjp<'t>(&'t self, output: Var<'t>, cotangent: Tensor) -> Adjoints<'t> {
        self.reverse(output, cotangent, LeafCotangents::Full)
    }

    /// The reverse sweep behind [`Tape::vjp`], with the primal part of the
    /// leaves' cotangents computed or not (see [`LeafCotangents`]).
    pub(crate) fn reverse<'t>(
        &'t self,
        output: Var<'t>,
        cotangent: Tensor,
        leaves: LeafCotangents,
    ) -> Adjoints<'t> {
        output.assert_on(self, "vjp");
        let nodes = self.nodes.borrow();
        let root = output.id();
        assert!(
            cotangent.shape() == nodes[root].value.shape(),
            "vjp: cotangent of shape {:?} does not match output of shape {:?}",
            cotangent.shape(),
            nodes[root].value.shape()
        );
        let seed = nodes[root].needs_grad.then(|| Dual::constant(cotangent));
        let v = |i: usize| &nodes[i].value;
        let cot = sweep(&nodes, &v, root, seed, leaves, |node, g| {
            self.inspect(&nodes, &node.op, node.location, g, true)
        });
        Adjoints { tape: self, cot }
    }
}

/// What the reverse sweep computes for the cotangents of leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LeafCotangents {
    /// Primal and tangents: the gradient and `H·v`.
    Full,
    /// Tangents only, for `H·v` without the gradient: a matrix product
    /// whose cotangent goes to a leaf (a weight's gradient) is not computed,
    /// and the leaf's primal cotangent is left at zero.
    TangentsOnly,
}

/// The reverse sweep from `root`, seeded with `seed`, over the recorded ops:
/// the cotangent of every node reached. `value` gives each node's (dual)
/// value; `inspect` sees every contribution as it is made.
pub(crate) fn sweep<'v>(
    nodes: &[Node],
    value: &impl Fn(usize) -> &'v Dual,
    root: usize,
    seed: Option<Dual>,
    leaves: LeafCotangents,
    inspect: impl Fn(&Node, &Dual),
) -> Vec<Option<Dual>> {
    let mut cot: Vec<Option<Dual>> = vec![None; root + 1];
    cot[root] = seed;
    for id in (0..=root).rev() {
        let Some(c) = cot[id].take() else { continue };
        let node = &nodes[id];
        let inputs = node.op.inputs();
        let need: SmallVec<[bool; 2]> = inputs.iter().map(|&i| nodes[i].needs_grad).collect();
        let tangents_only: SmallVec<[bool; 2]> = inputs
            .iter()
            .map(|&i| leaves == LeafCotangents::TangentsOnly && matches!(nodes[i].op, Op::Leaf))
            .collect();
        let contributions = backward(&node.op, value, value(id), &c, &need, &tangents_only);
        for (&input, contribution) in inputs.iter().zip(contributions) {
            if let Some(g) = contribution {
                inspect(node, &g);
                cot[input] = Some(match cot[input].take() {
                    Some(acc) => ops::add(&acc, &g),
                    None => g,
                });
            }
        }
        cot[id] = Some(c);
    }
    cot
}

/// The forward rule of every primitive.
pub(crate) fn forward<'n>(op: &Op, v: &impl Fn(usize) -> &'n Dual) -> Dual {
    match op {
        Op::Leaf => unreachable!("leaves are pushed with their value"),
        Op::Add(a, b) => ops::add(v(*a), v(*b)),
        Op::Sub(a, b) => ops::sub(v(*a), v(*b)),
        Op::Mul(a, b) => ops::mul(v(*a), v(*b)),
        Op::Div(a, b) => ops::div(v(*a), v(*b)),
        Op::Neg(a) => ops::neg(v(*a)),
        Op::MatMul { a, b, ta, tb } => ops::matmul(v(*a), *ta, v(*b), *tb),
        Op::Transpose(a) => ops::transpose(v(*a)),
        Op::Reshape(a, shape) => ops::reshape(v(*a), shape),
        Op::BroadcastTo(a, shape) => ops::broadcast_to(v(*a), shape),
        Op::Sum { a, axes, keepdim } => ops::sum(v(*a), axes, *keepdim),
        Op::MaxAxis { a, axis, keepdim } => ops::max_axis(v(*a), *axis, *keepdim),
        Op::Exp(a) => ops::exp(v(*a)),
        Op::Log(a) => ops::log(v(*a)),
        Op::Tanh(a) => ops::tanh(v(*a)),
        Op::Sin(a) => ops::sin(v(*a)),
        Op::Cos(a) => ops::cos(v(*a)),
        Op::Atan(a) => ops::atan(v(*a)),
        Op::Pow(a, p) => ops::pow(v(*a), *p),
        Op::Sqrt(a) => ops::sqrt(v(*a)),
        Op::Abs(a) => ops::abs(v(*a)),
        Op::Relu(a) => ops::relu(v(*a)),
        Op::IndexSelect { a, axis, indices } => ops::index_select(v(*a), *axis, indices),
        Op::Slice {
            a,
            axis,
            start,
            end,
        } => ops::slice(v(*a), *axis, *start, *end),
        Op::Concat { parts, axis } => {
            let parts: Vec<&Dual> = parts.iter().map(|&i| v(i)).collect();
            ops::concat(&parts, *axis)
        }
    }
}

/// The vjp rule of every primitive: cotangents for the inputs flagged in
/// `need`, of which those flagged in `tangents_only` may come without their
/// primal (a zero primal; matrix products skip it).
fn backward<'n>(
    op: &Op,
    v: &impl Fn(usize) -> &'n Dual,
    out: &Dual,
    c: &Dual,
    need: &[bool],
    tangents_only: &[bool],
) -> SmallVec<[Option<Dual>; 2]> {
    let pair = || [need[0], need[1]];
    let one = |d: Dual| smallvec![need[0].then_some(d)];
    match op {
        Op::Leaf => SmallVec::new(),
        Op::Add(a, b) => ops::add_vjp(v(*a), v(*b), c, pair()).into_iter().collect(),
        Op::Sub(a, b) => ops::sub_vjp(v(*a), v(*b), c, pair()).into_iter().collect(),
        Op::Mul(a, b) => ops::mul_vjp(v(*a), v(*b), c, pair()).into_iter().collect(),
        Op::Div(a, b) => ops::div_vjp(v(*a), v(*b), out, c, pair())
            .into_iter()
            .collect(),
        Op::MatMul { a, b, ta, tb } => {
            let tangents_only = [tangents_only[0], tangents_only[1]];
            ops::matmul_vjp(v(*a), *ta, v(*b), *tb, c, pair(), tangents_only)
                .into_iter()
                .collect()
        }
        Op::Neg(_) => one(ops::neg_vjp(c)),
        Op::Transpose(_) => one(ops::transpose_vjp(c)),
        Op::Reshape(a, _) => one(ops::reshape_vjp(v(*a), c)),
        Op::BroadcastTo(a, _) => one(ops::broadcast_to_vjp(v(*a), c)),
        Op::Sum { a, axes, .. } => one(ops::sum_vjp(v(*a), axes, c)),
        Op::MaxAxis { a, axis, .. } => one(ops::max_axis_vjp(v(*a), *axis, c)),
        Op::Exp(_) => one(ops::exp_vjp(out, c)),
        Op::Log(a) => one(ops::log_vjp(v(*a), c)),
        Op::Tanh(_) => one(ops::tanh_vjp(out, c)),
        Op::Sin(a) => one(ops::sin_vjp(v(*a), c)),
        Op::Cos(a) => one(ops::cos_vjp(v(*a), c)),
        Op::Atan(a) => one(ops::atan_vjp(v(*a), c)),
        Op::Pow(a, p) => one(ops::pow_vjp(v(*a), *p, c)),
        Op::Sqrt(_) => one(ops::sqrt_vjp(out, c)),
        Op::Abs(a) => one(ops::abs_vjp(v(*a), c)),
        Op::Relu(a) => one(ops::relu_vjp(v(*a), c)),
        Op::IndexSelect { a, axis, indices } => {
            one(ops::index_select_vjp(v(*a), *axis, indices, c))
        }
        Op::Slice { a, axis, start, .. } => one(ops::slice_vjp(v(*a), *axis, *start, c)),
        Op::Concat { parts, axis } => {
            let parts: Vec<&Dual> = parts.iter().map(|&i| v(i)).collect();
            ops::concat_vjp(&parts, *axis, c, need)
                .into_iter()
                .collect()
        }
    }
}

/// The result of a reverse sweep: the cotangent of every node reached.
///
/// For a scalar output seeded with 1, the cotangent of a node is the gradient
/// of the output with respect to that node — also for intermediate nodes such
/// as pre-activations. When the inputs carried tangent lanes, each cotangent
/// carries lanes too: the directional derivatives of the gradient, i.e. the
/// Hessian-vector products `H·v` for the inputs.
pub struct Adjoints<'t> {
    tape: &'t Tape,
    cot: Vec<Option<Dual>>,
}

impl<'t> Adjoints<'t> {
    fn shape_of(&self, v: Var<'t>) -> Shape {
        v.assert_on(self.tape, "Adjoints");
        v.shape()
    }

    /// The cotangent (gradient) of `v`, or zeros when the output does not depend on it.
    pub fn grad(&self, v: Var<'t>) -> Tensor {
        let shape = self.shape_of(v);
        match self.cot.get(v.id()).and_then(Option::as_ref) {
            Some(d) => d.primal.clone(),
            None => Tensor::zeros(&shape),
        }
    }

    /// The tangent lanes of `v`'s cotangent, shape `[K, ...v's shape]`: for an
    /// input, the Hessian-vector products with the `K` input directions.
    /// `None` when the tape carries no tangents.
    pub fn hvp(&self, v: Var<'t>) -> Option<Tensor> {
        let shape = self.shape_of(v);
        let k = self.tape.lanes()?;
        let zeros = || Tensor::zeros(&lane_shape(k, &shape));
        Some(
            self.cot
                .get(v.id())
                .and_then(Option::as_ref)
                .and_then(|d| d.tangent.clone())
                .unwrap_or_else(zeros),
        )
    }
}
