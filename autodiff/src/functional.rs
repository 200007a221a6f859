//! The functional entry points, in JAX's vocabulary.
//!
//! Every function takes the user's function as a plain closure over vars,
//! `|x: &[Var]| -> Var`, and the point as a slice of tensors (one per input,
//! e.g. one per parameter tensor). The same closure serves every mode: it is
//! never written twice nor made generic to get second derivatives.

use crate::scalar::Scalar;
use crate::tape::{LeafCotangents, TapeOf};
use crate::tensor::TensorOf;
use crate::var::{Var, Var32, VarOf};

/// Gives a closure over vars the signature every entry point expects, so it
/// can be stored in a `let` and reused: Rust infers the higher-ranked
/// signature `for<'t> Fn(&[Var<'t>]) -> Var<'t>` for a closure passed directly
/// to a function, but not for one bound to a variable first.
///
/// ```
/// use autodiff::{func, grad, hvp, Tensor};
/// let f = func(|x| x[0].square().sum());
/// let x = [Tensor::vector(vec![1.0, 2.0])];
/// assert_eq!(grad(f, &x)[0].data(), &[2.0, 4.0]);
/// assert_eq!(hvp(f, &x, &x).hvp[0].data(), &[2.0, 4.0]);
/// ```
pub fn func<F>(f: F) -> F
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    f
}

/// [`func`] for a closure over `f32` vars.
///
/// ```
/// use autodiff::{func32, grad, Tensor32};
/// let f = func32(|x| (1.0 - x[0]).square().sum());
/// let x = [Tensor32::vector(vec![1.0, 3.0])];
/// assert_eq!(grad(f, &x)[0].data(), &[0.0f32, 4.0]);
/// ```
pub fn func32<F>(f: F) -> F
where
    F: for<'t> Fn(&[Var32<'t>]) -> Var32<'t>,
{
    f
}

/// [`func`] for code generic over the precision `S`.
///
/// ```
/// use autodiff::{func_of, grad, Scalar, TensorOf};
/// fn slope<S: Scalar>(x: TensorOf<S>) -> S {
///     let f = func_of::<S, _>(|v| v[0].square().sum());
///     grad(f, &[x])[0].data()[0]
/// }
/// assert_eq!(slope(TensorOf::<f32>::vector(vec![3.0])), 6.0);
/// ```
pub fn func_of<S: Scalar, F>(f: F) -> F
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    f
}

/// Lanes per sweep when a full Hessian or Jacobian is built.
const LANES_PER_SWEEP: usize = 32;

fn scalar_value<S: Scalar>(out: &VarOf<'_, S>, who: &str) -> S {
    let v = out.value();
    assert!(
        v.len() == 1,
        "{who}: the function returned shape {:?}, not a scalar",
        v.shape()
    );
    v.item()
}

/// Total number of elements over several tensors.
pub fn total_len<S: Scalar>(xs: &[TensorOf<S>]) -> usize {
    xs.iter().map(TensorOf::len).sum()
}

/// Concatenates the elements of several tensors into one vector.
pub fn flatten<S: Scalar>(xs: &[TensorOf<S>]) -> Vec<S> {
    xs.iter().flat_map(|x| x.data().iter().copied()).collect()
}

/// Splits a flat vector into tensors shaped like `like` (the inverse of [`flatten`]).
///
/// # Panics
/// When the lengths differ.
pub fn unflatten<S: Scalar>(flat: &[S], like: &[TensorOf<S>]) -> Vec<TensorOf<S>> {
    assert_eq!(flat.len(), total_len(like), "unflatten: length mismatch");
    let mut at = 0;
    like.iter()
        .map(|x| {
            let t = TensorOf::new(x.shape(), flat[at..at + x.len()].to_vec());
            at += x.len();
            t
        })
        .collect()
}

/// The value of `f` at `xs`, without any derivative work.
pub fn value<S: Scalar, F>(f: F, xs: &[TensorOf<S>]) -> TensorOf<S>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let tape = TapeOf::<S>::new();
    let vars: Vec<VarOf<S>> = xs.iter().map(|x| tape.constant(x.clone())).collect();
    f(&vars).value()
}

/// The value of a scalar function and its gradient with respect to every input.
///
/// ```
/// use autodiff::{value_and_grad, Tensor};
/// let (v, g) = value_and_grad(|x| (x[0] * x[1]).sum(), &[Tensor::scalar(3.0), Tensor::scalar(4.0)]);
/// assert_eq!((v, g[0].item(), g[1].item()), (12.0, 4.0, 3.0));
/// ```
pub fn value_and_grad<S: Scalar, F>(f: F, xs: &[TensorOf<S>]) -> (S, Vec<TensorOf<S>>)
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let tape = TapeOf::<S>::new();
    let vars: Vec<VarOf<S>> = xs.iter().map(|x| tape.var(x.clone())).collect();
    let out = f(&vars);
    let value = scalar_value(&out, "value_and_grad");
    let adj = tape.backward(out);
    (value, vars.iter().map(|&v| adj.grad(v)).collect())
}

/// The gradient of a scalar function with respect to every input.
pub fn grad<S: Scalar, F>(f: F, xs: &[TensorOf<S>]) -> Vec<TensorOf<S>>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    value_and_grad(f, xs).1
}

/// The value of `f` and the vector-Jacobian product `cotangentᵀ J` for every input.
pub fn vjp<S: Scalar, F>(
    f: F,
    xs: &[TensorOf<S>],
    cotangent: &TensorOf<S>,
) -> (TensorOf<S>, Vec<TensorOf<S>>)
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let tape = TapeOf::<S>::new();
    let vars: Vec<VarOf<S>> = xs.iter().map(|x| tape.var(x.clone())).collect();
    let out = f(&vars);
    let adj = tape.vjp(out, cotangent.clone());
    (out.value(), vars.iter().map(|&v| adj.grad(v)).collect())
}

/// The value of `f` and its directional derivative `J t` along `tangents`
/// (one per input, same shapes), in one forward pass with no reverse sweep.
///
/// ```
/// use autodiff::{jvp, Tensor};
/// let x = Tensor::vector(vec![0.0, 1.0]);
/// let (y, dy) = jvp(|x| x[0].exp(), &[x], &[Tensor::vector(vec![1.0, 2.0])]);
/// assert_eq!(dy.data(), &[1.0, 2.0 * 1f64.exp()]);
/// # let _ = y;
/// ```
pub fn jvp<S: Scalar, F>(
    f: F,
    xs: &[TensorOf<S>],
    tangents: &[TensorOf<S>],
) -> (TensorOf<S>, TensorOf<S>)
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let lanes: Vec<TensorOf<S>> = tangents.iter().map(as_one_lane).collect();
    let (value, out_lanes) = jvp_batch(f, xs, &lanes);
    (value.clone(), out_lanes.reshape(value.shape()))
}

/// [`jvp`] for `K` directions at once: each tangent has shape `[K, ...input
/// shape]` and the result has shape `[K, ...output shape]`.
pub fn jvp_batch<S: Scalar, F>(
    f: F,
    xs: &[TensorOf<S>],
    tangents: &[TensorOf<S>],
) -> (TensorOf<S>, TensorOf<S>)
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    assert_eq!(
        xs.len(),
        tangents.len(),
        "jvp: {} inputs but {} tangents",
        xs.len(),
        tangents.len()
    );
    let tape = TapeOf::<S>::new();
    let vars: Vec<VarOf<S>> = xs
        .iter()
        .zip(tangents)
        .map(|(x, t)| tape.var_with_tangents(x.clone(), t.clone()))
        .collect();
    let out = f(&vars);
    let value = out.value();
    let k = tape.lanes().unwrap_or(0);
    let mut shape = vec![k];
    shape.extend_from_slice(value.shape());
    let lanes = out.tangent().unwrap_or_else(|| TensorOf::zeros(&shape));
    (value, lanes)
}

fn as_one_lane<S: Scalar>(t: &TensorOf<S>) -> TensorOf<S> {
    let mut shape = vec![1];
    shape.extend_from_slice(t.shape());
    t.reshape(&shape)
}

/// The result of a forward-over-reverse sweep.
#[derive(Clone, Debug)]
pub struct Hvp<S: Scalar = f64> {
    /// The function's value.
    pub value: S,
    /// The gradient, one tensor per input.
    pub grad: Vec<TensorOf<S>>,
    /// The Hessian-vector products, one tensor per input (with a leading lane
    /// axis `K` for [`hvp_batch`]).
    pub hvp: Vec<TensorOf<S>>,
}

/// Value, gradient and the exact Hessian-vector product `H·v` of a scalar
/// function, from one forward-over-reverse sweep. `vs` holds one direction
/// per input (same shapes); `H` is the Hessian over all inputs jointly.
///
/// ```
/// use autodiff::{hvp, Tensor};
/// // f(x) = Σ x³, H = diag(6x)
/// let x = Tensor::vector(vec![1.0, 2.0]);
/// let v = Tensor::vector(vec![1.0, 1.0]);
/// let r = hvp(|x| x[0].powf(3.0).sum(), &[x], &[v]);
/// assert_eq!(r.hvp[0].data(), &[6.0, 12.0]);
/// ```
pub fn hvp<S: Scalar, F>(f: F, xs: &[TensorOf<S>], vs: &[TensorOf<S>]) -> Hvp<S>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let lanes: Vec<TensorOf<S>> = vs.iter().map(as_one_lane).collect();
    let mut r = hvp_batch(f, xs, &lanes);
    r.hvp = r
        .hvp
        .iter()
        .zip(xs)
        .map(|(h, x)| h.reshape(x.shape()))
        .collect();
    r
}

/// Hessian-matrix products for `K` directions in one sweep: each direction
/// tensor has shape `[K, ...input shape]`, and so does each result.
pub fn hvp_batch<S: Scalar, F>(f: F, xs: &[TensorOf<S>], vs: &[TensorOf<S>]) -> Hvp<S>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let (value, grad, hvp) = hvp_sweep(f, xs, vs, LeafCotangents::Full);
    Hvp { value, grad, hvp }
}

/// The exact `H·v` alone: [`hvp`] without the value and gradient, which
/// lets the sweep skip the products that only the gradient needs (the
/// gradient's own products with respect to the inputs, e.g. `xᵀ δ` for a
/// weight matrix: a fifth of the multiply-adds of an MLP's `H·v`).
///
/// ```
/// use autodiff::{func, hvp, hvp_only, Tensor};
/// let f = func(|x| x[0].matmul(x[1]).tanh().sum());
/// let xs = [Tensor::randn(&[3, 4], 0), Tensor::randn(&[4, 2], 1)];
/// let vs = [Tensor::randn(&[3, 4], 2), Tensor::randn(&[4, 2], 3)];
/// assert_eq!(hvp_only(f, &xs, &vs), hvp(f, &xs, &vs).hvp);
/// ```
pub fn hvp_only<S: Scalar, F>(f: F, xs: &[TensorOf<S>], vs: &[TensorOf<S>]) -> Vec<TensorOf<S>>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let lanes: Vec<TensorOf<S>> = vs.iter().map(as_one_lane).collect();
    hvp_batch_only(f, xs, &lanes)
        .iter()
        .zip(xs)
        .map(|(h, x)| h.reshape(x.shape()))
        .collect()
}

/// [`hvp_batch`] without the value and gradient (see [`hvp_only`]).
pub fn hvp_batch_only<S: Scalar, F>(
    f: F,
    xs: &[TensorOf<S>],
    vs: &[TensorOf<S>],
) -> Vec<TensorOf<S>>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    hvp_sweep(f, xs, vs, LeafCotangents::TangentsOnly).2
}

/// One forward-over-reverse sweep with `K` directions per input: the value,
/// the gradient (empty unless `leaves` is [`LeafCotangents::Full`]) and `H·V`.
fn hvp_sweep<S: Scalar, F>(
    f: F,
    xs: &[TensorOf<S>],
    vs: &[TensorOf<S>],
    leaves: LeafCotangents,
) -> (S, Vec<TensorOf<S>>, Vec<TensorOf<S>>)
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    assert_eq!(
        xs.len(),
        vs.len(),
        "hvp: {} inputs but {} directions",
        xs.len(),
        vs.len()
    );
    let tape = TapeOf::<S>::new();
    let vars: Vec<VarOf<S>> = xs
        .iter()
        .zip(vs)
        .map(|(x, v)| tape.var_with_tangents(x.clone(), v.clone()))
        .collect();
    let out = f(&vars);
    let value = scalar_value(&out, "hvp");
    let adj = tape.reverse(out, TensorOf::ones(&out.shape()), leaves);
    let grad = match leaves {
        LeafCotangents::Full => vars.iter().map(|&v| adj.grad(v)).collect(),
        LeafCotangents::TangentsOnly => Vec::new(),
    };
    let hvp = vars
        .iter()
        .map(|&v| adj.hvp(v).expect("tangents were given"))
        .collect();
    (value, grad, hvp)
}

/// Unit directions `e_j` for `j in range`, split per input as lanes `[K, ...shape]`.
fn unit_lanes<S: Scalar>(xs: &[TensorOf<S>], range: std::ops::Range<usize>) -> Vec<TensorOf<S>> {
    let k = range.len();
    let mut offset = 0;
    xs.iter()
        .map(|x| {
            let mut shape = vec![k];
            shape.extend_from_slice(x.shape());
            let mut data = vec![S::zero(); k * x.len()];
            for (lane, j) in range.clone().enumerate() {
                if (offset..offset + x.len()).contains(&j) {
                    data[lane * x.len() + j - offset] = S::one();
                }
            }
            offset += x.len();
            TensorOf::new(&shape, data)
        })
        .collect()
}

/// The full `n × n` Hessian of a scalar function over all inputs flattened in
/// order, built from batched forward-over-reverse sweeps of up to 32 lanes.
///
/// ```
/// use autodiff::{hessian, Tensor};
/// // f(x, y) = x² y  →  H = [[2y, 2x], [2x, 0]]
/// let h = hessian(|v| (v[0].square() * v[1]).sum(), &[Tensor::scalar(3.0), Tensor::scalar(5.0)]);
/// assert_eq!(h.data(), &[10.0, 6.0, 6.0, 0.0]);
/// ```
pub fn hessian<S: Scalar, F>(f: F, xs: &[TensorOf<S>]) -> TensorOf<S>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let n = total_len(xs);
    let mut h = vec![S::zero(); n * n];
    for start in (0..n).step_by(LANES_PER_SWEEP) {
        let range = start..(start + LANES_PER_SWEEP).min(n);
        let columns = hvp_batch_only(&f, xs, &unit_lanes(xs, range.clone()));
        for lane in 0..range.len() {
            // Column j of H is H e_j; H is symmetric, so it is also row j.
            let row = &mut h[(range.start + lane) * n..(range.start + lane + 1) * n];
            let mut at = 0;
            for part in &columns {
                let m = part.len() / range.len();
                row[at..at + m].copy_from_slice(&part.data()[lane * m..(lane + 1) * m]);
                at += m;
            }
        }
    }
    TensorOf::new(&[n, n], h)
}

/// The `m × n` Jacobian of `f` (output flattened to `m`, inputs flattened
/// jointly to `n`), built column by column from batched forward-mode passes.
pub fn jacobian<S: Scalar, F>(f: F, xs: &[TensorOf<S>]) -> TensorOf<S>
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let n = total_len(xs);
    let m = value(&f, xs).len();
    let mut jac = vec![S::zero(); m * n];
    for start in (0..n).step_by(LANES_PER_SWEEP) {
        let range = start..(start + LANES_PER_SWEEP).min(n);
        let (_, lanes) = jvp_batch(&f, xs, &unit_lanes(xs, range.clone()));
        for (lane, j) in range.enumerate() {
            for i in 0..m {
                jac[i * n + j] = lanes.data()[lane * m + i];
            }
        }
    }
    TensorOf::new(&[m, n], jac)
}
