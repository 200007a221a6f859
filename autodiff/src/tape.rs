//! The define-by-run tape: every operation on a [`Var`] computes its value at
//! once and appends a node; the reverse sweep walks the nodes backwards.

use std::cell::{Cell, RefCell};
use std::panic::Location;

use smallvec::SmallVec;

use crate::dual::{lane_shape, DualOf};
use crate::error::Anomaly;
use crate::primitive::{apply, Primitive, Wanted};
use crate::scalar::Scalar;
use crate::tensor::{Shape, TensorOf};
use crate::var::VarOf;

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

impl<S: Scalar> Default for TapeOf<S> {
    fn default() -> TapeOf<S> {
        TapeOf::new()
    }
}

/// One recorded value: a leaf, or a primitive applied to earlier nodes.
pub(crate) struct Node<S: Scalar> {
    /// The primitive that made the value; `None` for a leaf.
    pub op: Option<Box<dyn Primitive<S>>>,
    /// Ids of the inputs, in order (none for a leaf).
    pub inputs: SmallVec<[usize; 2]>,
    pub value: DualOf<S>,
    /// Whether any differentiable leaf reaches this node.
    pub needs_grad: bool,
    /// Where in the user's code the operation was recorded.
    pub location: &'static Location<'static>,
}

/// A define-by-run tape of `f64` tensor operations: [`TapeOf`] in the
/// default precision.
pub type Tape = TapeOf<f64>;

/// A define-by-run tape of `f32` tensor operations.
pub type Tape32 = TapeOf<f32>;

/// A define-by-run tape of tensor operations on [`Scalar`] values; most code
/// names it [`Tape`] (or [`Tape32`]).
///
/// Create one, make leaves with [`Tape::var`] (differentiable) or
/// [`Tape::constant`], compute with [`Var`](crate::Var) operations, then run a reverse
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
pub struct TapeOf<S: Scalar> {
    nodes: RefCell<Vec<Node<S>>>,
    lanes: Cell<Option<usize>>,
    detect_anomaly: Cell<bool>,
    anomaly: RefCell<Option<Anomaly>>,
    pub(crate) tags: RefCell<Vec<crate::tags::Tag>>,
}

impl<S: Scalar> TapeOf<S> {
    /// An empty tape.
    pub fn new() -> TapeOf<S> {
        TapeOf {
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
    fn inspect(&self, nodes: &[Node<S>], node: &Node<S>, value: &DualOf<S>, cotangent: bool) {
        if !self.detect_anomaly.get() || self.anomaly.borrow().is_some() {
            return;
        }
        let bad = |t: &TensorOf<S>| t.data().iter().any(|x| !x.is_finite());
        let part = match (bad(&value.primal), value.tangent.as_ref().is_some_and(bad)) {
            (true, _) if cotangent => "cotangent",
            (true, _) => "value",
            (false, true) if cotangent => "cotangent tangent",
            (false, true) => "tangent",
            (false, false) => return,
        };
        let anomaly = Anomaly {
            op: node.op.as_ref().map_or("leaf", |op| op.name()),
            part,
            input_shapes: node
                .inputs
                .iter()
                .map(|&i| nodes[i].value.shape().to_vec())
                .collect(),
            location: node.location.to_string(),
        };
        if STOP_AT_ANOMALY.get() {
            panic!("anomaly: {anomaly}");
        }
        *self.anomaly.borrow_mut() = Some(anomaly);
    }

    /// A differentiable input.
    #[track_caller]
    pub fn var(&self, value: TensorOf<S>) -> VarOf<'_, S> {
        self.leaf(DualOf::constant(value), true)
    }

    /// An input that is not differentiated (data, labels, hyper-parameters).
    #[track_caller]
    pub fn constant(&self, value: TensorOf<S>) -> VarOf<'_, S> {
        self.leaf(DualOf::constant(value), false)
    }

    /// A differentiable input carrying `K` tangent directions, given as one
    /// tensor of shape `[K, ...value shape]`. All tangent-carrying inputs on a
    /// tape must use the same `K`.
    ///
    /// # Panics
    /// When `tangents` does not have shape `[K, ...value shape]` or `K`
    /// differs from that of earlier inputs.
    #[track_caller]
    pub fn var_with_tangents(&self, value: TensorOf<S>, tangents: TensorOf<S>) -> VarOf<'_, S> {
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
            DualOf {
                primal: value,
                tangent: Some(tangents),
            },
            true,
        )
    }

    #[track_caller]
    fn leaf(&self, value: DualOf<S>, needs_grad: bool) -> VarOf<'_, S> {
        let node = Node {
            op: None,
            inputs: SmallVec::new(),
            value,
            needs_grad,
            location: Location::caller(),
        };
        self.append(node)
    }

    /// Records `primitive` applied to `inputs`: computes its value (and
    /// tangents, when the inputs carry lanes) at once and appends a node.
    /// This is how every operation on a [`Var`](crate::Var) is recorded, and how a
    /// primitive of your own joins the tape (see [`Primitive`]).
    ///
    /// # Panics
    /// When the number of inputs differs from the primitive's arity, or an
    /// input lives on another tape.
    #[track_caller]
    pub fn apply<'t>(
        &'t self,
        primitive: impl Primitive<S>,
        inputs: &[VarOf<'t, S>],
    ) -> VarOf<'t, S> {
        assert!(
            inputs.len() == primitive.arity(),
            "{}: takes {} inputs, {} given",
            primitive.name(),
            primitive.arity(),
            inputs.len()
        );
        for x in inputs {
            x.assert_on(self, primitive.name());
        }
        let ids: SmallVec<[usize; 2]> = inputs.iter().map(VarOf::id).collect();
        let (value, needs_grad) = {
            let nodes = self.nodes.borrow();
            let values: SmallVec<[&DualOf<S>; 2]> = ids.iter().map(|&i| &nodes[i].value).collect();
            let needs_grad = ids.iter().any(|&i| nodes[i].needs_grad);
            (apply(&primitive, &values), needs_grad)
        };
        self.append(Node {
            op: Some(Box::new(primitive)),
            inputs: ids,
            value,
            needs_grad,
            location: Location::caller(),
        })
    }

    fn append(&self, node: Node<S>) -> VarOf<'_, S> {
        let mut nodes = self.nodes.borrow_mut();
        self.inspect(&nodes, &node, &node.value, false);
        nodes.push(node);
        VarOf::new(self, nodes.len() - 1)
    }

    pub(crate) fn nodes(&self) -> std::cell::Ref<'_, Vec<Node<S>>> {
        self.nodes.borrow()
    }

    pub(crate) fn with_node<R>(&self, id: usize, f: impl FnOnce(&Node<S>) -> R) -> R {
        f(&self.nodes.borrow()[id])
    }

    /// Reverse sweep from a scalar output (seed 1): the gradient of `output`
    /// with respect to every node, readable from the returned [`Adjoints`].
    ///
    /// # Panics
    /// When `output` does not hold exactly one value.
    pub fn backward<'t>(&'t self, output: VarOf<'t, S>) -> Adjoints<'t, S> {
        let shape = output.shape();
        assert!(
            shape.iter().product::<usize>() == 1,
            "backward: output of shape {shape:?} is not a scalar; use vjp with a cotangent"
        );
        self.vjp(output, TensorOf::ones(&shape))
    }

    /// Reverse sweep from any node, seeded with `cotangent` (same shape as
    /// `output`): the vector-Jacobian product with respect to every node.
    ///
    /// # Panics
    /// When the cotangent's shape differs from the output's.
    pub fn vjp<'t>(&'t self, output: VarOf<'t, S>, cotangent: TensorOf<S>) -> Adjoints<'t, S> {
        self.reverse(output, cotangent, LeafCotangents::Full)
    }

    /// The reverse sweep behind [`Tape::vjp`], with the primal part of the
    /// leaves' cotangents computed or not (see [`LeafCotangents`]).
    pub(crate) fn reverse<'t>(
        &'t self,
        output: VarOf<'t, S>,
        cotangent: TensorOf<S>,
        leaves: LeafCotangents,
    ) -> Adjoints<'t, S> {
        output.assert_on(self, "vjp");
        let nodes = self.nodes.borrow();
        let root = output.id();
        assert!(
            cotangent.shape() == nodes[root].value.shape(),
            "vjp: cotangent of shape {:?} does not match output of shape {:?}",
            cotangent.shape(),
            nodes[root].value.shape()
        );
        let seed = nodes[root].needs_grad.then(|| DualOf::constant(cotangent));
        let v = |i: usize| &nodes[i].value;
        let cot = sweep(&nodes, &v, root, seed, leaves, |node, g| {
            self.inspect(&nodes, node, g, true)
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
pub(crate) fn sweep<'v, S: Scalar>(
    nodes: &[Node<S>],
    value: &impl Fn(usize) -> &'v DualOf<S>,
    root: usize,
    seed: Option<DualOf<S>>,
    leaves: LeafCotangents,
    inspect: impl Fn(&Node<S>, &DualOf<S>),
) -> Vec<Option<DualOf<S>>> {
    let mut cot: Vec<Option<DualOf<S>>> = vec![None; root + 1];
    cot[root] = seed;
    for id in (0..=root).rev() {
        let Some(c) = cot[id].take() else { continue };
        let node = &nodes[id];
        let Some(op) = &node.op else {
            cot[id] = Some(c);
            continue;
        };
        let wanted: SmallVec<[Wanted; 2]> = node
            .inputs
            .iter()
            .map(|&i| match &nodes[i] {
                input if !input.needs_grad => Wanted::Nothing,
                input if input.op.is_none() && leaves == LeafCotangents::TangentsOnly => {
                    Wanted::TangentOnly
                }
                _ => Wanted::Full,
            })
            .collect();
        let inputs: SmallVec<[&DualOf<S>; 2]> = node.inputs.iter().map(|&i| value(i)).collect();
        let contributions = op.vjp(&inputs, value(id), &c, &wanted);
        for ((&input, want), contribution) in node.inputs.iter().zip(wanted).zip(contributions) {
            if let (true, Some(g)) = (want.any(), contribution) {
                inspect(node, &g);
                cot[input] = Some(match cot[input].take() {
                    Some(acc) => &acc + &g,
                    None => g,
                });
            }
        }
        cot[id] = Some(c);
    }
    cot
}

/// The result of a reverse sweep: the cotangent of every node reached.
///
/// For a scalar output seeded with 1, the cotangent of a node is the gradient
/// of the output with respect to that node — also for intermediate nodes such
/// as pre-activations. When the inputs carried tangent lanes, each cotangent
/// carries lanes too: the directional derivatives of the gradient, i.e. the
/// Hessian-vector products `H·v` for the inputs.
pub struct Adjoints<'t, S: Scalar = f64> {
    tape: &'t TapeOf<S>,
    cot: Vec<Option<DualOf<S>>>,
}

impl<'t, S: Scalar> Adjoints<'t, S> {
    fn shape_of(&self, v: VarOf<'t, S>) -> Shape {
        v.assert_on(self.tape, "Adjoints");
        v.shape()
    }

    /// The cotangent (gradient) of `v`, or zeros when the output does not depend on it.
    pub fn grad(&self, v: VarOf<'t, S>) -> TensorOf<S> {
        let shape = self.shape_of(v);
        match self.cot.get(v.id()).and_then(Option::as_ref) {
            Some(d) => d.primal.clone(),
            None => TensorOf::zeros(&shape),
        }
    }

    /// The tangent lanes of `v`'s cotangent, shape `[K, ...v's shape]`: for an
    /// input, the Hessian-vector products with the `K` input directions.
    /// `None` when the tape carries no tangents.
    pub fn hvp(&self, v: VarOf<'t, S>) -> Option<TensorOf<S>> {
        let shape = self.shape_of(v);
        let k = self.tape.lanes()?;
        let zeros = || TensorOf::zeros(&lane_shape(k, &shape));
        Some(
            self.cot
                .get(v.id())
                .and_then(Option::as_ref)
                .and_then(|d| d.tangent.clone())
                .unwrap_or_else(zeros),
        )
    }
}
