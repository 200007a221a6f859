//! Many Hessian-vector products at one point, with the primal work done once.

use smallvec::SmallVec;

use crate::dual::{lane_shape, DualOf};
use crate::primal_log::{self, Entry};
use crate::primitive::apply;
use crate::scalar::Scalar;
use crate::tape::{sweep, LeafCotangents, TapeOf};
use crate::tensor::TensorOf;
use crate::var::VarOf;

/// A scalar function linearized at a point: its value and gradient there,
/// and a recording of every primal value of the forward pass and of the
/// reverse sweep, so that each later [`hvp`](Linearization::hvp) repeats only
/// the tangent work (JAX's `linearize` applied to the gradient).
///
/// Use it where many products are taken at one point: conjugate gradient,
/// Lanczos, power iteration, Newton-CG's inner loop.
///
/// ```
/// use autodiff::{hvp, linearize, Tensor};
/// let f = autodiff::func(|x| x[0].tanh().square().sum());
/// let x = [Tensor::randn(&[4], 0)];
/// let lin = linearize(f, &x);
/// for seed in 1..4 {
///     let v = [Tensor::randn(&[4], seed)];
///     assert_eq!(lin.hvp(&v)[0], hvp(f, &x, &v).hvp[0]);
/// }
/// ```
pub struct Linearization<S: Scalar = f64> {
    tape: TapeOf<S>,
    inputs: Vec<usize>,
    output: usize,
    log: Vec<Entry<S>>,
    value: S,
    grad: Vec<TensorOf<S>>,
}

/// Records `f` at `xs` once — value, gradient and every primal — for repeated
/// Hessian-vector products.
///
/// # Panics
/// When `f` does not return a scalar.
pub fn linearize<S: Scalar, F>(f: F, xs: &[TensorOf<S>]) -> Linearization<S>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let tape = TapeOf::<S>::new();
    let (inputs, output, value, grad, log) = {
        let vars: Vec<VarOf<S>> = xs.iter().map(|x| tape.var(x.clone())).collect();
        let out = f(&vars);
        let shape = out.shape();
        assert!(
            shape.iter().product::<usize>() == 1,
            "linearize: the function returned shape {shape:?}, not a scalar"
        );
        let (adj, log) = primal_log::record(|| tape.backward(out));
        let grad = vars.iter().map(|&v| adj.grad(v)).collect();
        (
            vars.iter().map(VarOf::id).collect(),
            out.id(),
            out.item(),
            grad,
            log,
        )
    };
    Linearization {
        tape,
        inputs,
        output,
        log,
        value,
        grad,
    }
}

impl<S: Scalar> Linearization<S> {
    /// The function's value at the point.
    pub fn value(&self) -> S {
        self.value
    }

    /// The gradient at the point, one tensor per input.
    pub fn grad(&self) -> &[TensorOf<S>] {
        &self.grad
    }

    /// `H·v` for one direction per input (same shapes as the inputs).
    pub fn hvp(&self, vs: &[TensorOf<S>]) -> Vec<TensorOf<S>> {
        let lanes: Vec<TensorOf<S>> = vs
            .iter()
            .map(|v| v.reshape(&lane_shape(1, v.shape())))
            .collect();
        self.hvp_batch(&lanes)
            .into_iter()
            .zip(vs)
            .map(|(h, v)| h.reshape(v.shape()))
            .collect()
    }

    /// `H·V` for `K` directions at once: each direction tensor has shape
    /// `[K, ...input shape]`, and so does each result.
    ///
    /// # Panics
    /// When the number or shapes of the directions do not match the inputs.
    pub fn hvp_batch(&self, lanes: &[TensorOf<S>]) -> Vec<TensorOf<S>> {
        let nodes = self.tape.nodes();
        assert_eq!(
            lanes.len(),
            self.inputs.len(),
            "hvp: {} inputs but {} directions",
            self.inputs.len(),
            lanes.len()
        );
        let k = lanes
            .first()
            .map_or(0, |l| l.shape().first().copied().unwrap_or(0));
        for (l, &id) in lanes.iter().zip(&self.inputs) {
            let want = lane_shape(k, nodes[id].value.shape());
            assert!(
                l.shape() == want.as_slice(),
                "hvp: direction of shape {:?} for an input of shape {:?} (expected {want:?})",
                l.shape(),
                nodes[id].value.shape()
            );
        }
        // Forward: recompute only the tangents, reusing each node's stored primal.
        let mut values: Vec<DualOf<S>> = Vec::with_capacity(nodes.len());
        for (id, node) in nodes.iter().enumerate() {
            let primal = node.value.primal.clone();
            let dual = if let Some(pos) = self.inputs.iter().position(|&i| i == id) {
                DualOf {
                    primal,
                    tangent: Some(lanes[pos].clone()),
                }
            } else if let (Some(op), false) = (
                &node.op,
                node.inputs.iter().all(|&i| values[i].tangent.is_none()),
            ) {
                let inputs: SmallVec<[&DualOf<S>; 2]> =
                    node.inputs.iter().map(|&i| &values[i]).collect();
                primal_log::given(primal, || apply(op.as_ref(), &inputs))
            } else {
                DualOf::constant(primal)
            };
            values.push(dual);
        }
        // Reverse: replay the recorded primals, computing only the tangents.
        let root = self.output;
        let seed = nodes[root]
            .needs_grad
            .then(|| DualOf::constant(TensorOf::ones(nodes[root].value.shape())));
        let value = |i: usize| &values[i];
        let cot = primal_log::replay(&self.log, || {
            sweep(&nodes, &value, root, seed, LeafCotangents::Full, |_, _| {})
        });
        self.inputs
            .iter()
            .map(|&id| {
                cot[id]
                    .as_ref()
                    .and_then(|d| d.tangent.clone())
                    .unwrap_or_else(|| TensorOf::zeros(&lane_shape(k, nodes[id].value.shape())))
            })
            .collect()
    }
}
