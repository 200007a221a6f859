//! The one trait every primitive implements — the built-in ones in
//! `src/ops/` and a user's own alike.
//!
//! A primitive owns all of its rules: its name, how many inputs it takes,
//! its primal, its tangent rule (the jvp, lane by lane) and its vjp rule.
//! The tape knows nothing else about it. Because the vjp rule is written
//! with tangent-carrying [`Dual`](crate::Dual) operations, the reverse sweep differentiates
//! itself when the inputs carry tangents, and every mode follows from these
//! three rules: the gradient, jvp, vjp, H·v, H·V, [`linearize`](crate::linearize),
//! [`hessian`](crate::hessian) and [`jacobian`](crate::jacobian).

use smallvec::SmallVec;

use crate::dual::DualOf;
use crate::primal_log;
use crate::scalar::Scalar;
use crate::tensor::TensorOf;

/// What the reverse sweep asks of a vjp rule for one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// Nothing: no differentiable input reaches this one.
    Nothing,
    /// The cotangent, with its tangent lanes when the sweep carries them.
    Full,
    /// Only the cotangent's tangent lanes matter (a leaf's `H·v` without its
    /// gradient); the primal may be left at zero to save work. Returning the
    /// full cotangent instead is always correct.
    TangentOnly,
}

impl Wanted {
    /// Whether any cotangent is wanted.
    pub fn any(self) -> bool {
        self != Wanted::Nothing
    }
}

/// A differentiable operation on tensors of `S` (`f64` unless said
/// otherwise): its rules, all in one place.
///
/// Implement it for a special function with a stable formula or for a fused
/// kernel, record it with [`Tape::apply`](crate::Tape::apply), and every
/// derivative mode works through it. Verify a new primitive with
/// [`check::all`](crate::check::all).
///
/// The rules, for `y = f(x₁, …, xₙ)`:
/// - [`primal`](Primitive::primal): `y` from the inputs' values;
/// - [`tangent`](Primitive::tangent): the jvp `Σᵢ ∂f/∂xᵢ · dxᵢ` for each of
///   the `K` tangent lanes (shape `[K, ...y's shape]`);
/// - [`vjp`](Primitive::vjp): the cotangents `c̄ᵢ = (∂f/∂xᵢ)ᵀ c̄`, written
///   with [`Dual`](crate::Dual) operations only (never by reading raw values out), so that
///   when the sweep carries tangents the result carries the derivative of
///   the cotangent too — that is what makes `H·v` exact.
///
/// ```
/// use autodiff::{check, func, hvp, Dual, Primitive, Tensor, Wanted};
///
/// /// `log(1 + x)`, accurate for small x.
/// struct Log1p;
///
/// impl Primitive for Log1p {
///     fn name(&self) -> &'static str {
///         "my_log1p"
///     }
///     fn arity(&self) -> usize {
///         1
///     }
///     fn primal(&self, x: &[&Tensor]) -> Tensor {
///         x[0].map(f64::ln_1p)
///     }
///     // d log1p(x) = dx / (1 + x)
///     fn tangent(&self, x: &[&Dual], _y: &Tensor) -> Option<Tensor> {
///         x[0].tangent_times(&x[0].primal.map(|x| 1.0 / (1.0 + x)))
///     }
///     fn vjp(&self, x: &[&Dual], _y: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
///         vec![Some(c / &(x[0] + 1.0))]
///     }
/// }
///
/// let f = func(|x| x[0].tape().apply(Log1p, &[x[0]]).square().sum());
/// let x = [Tensor::vector(vec![0.5, 1e-9, 3.0])];
/// let v = [Tensor::vector(vec![1.0, 0.0, 0.0])];
/// // d²/dx² log1p(x)² at 0.5 = 2 (1 - log1p(x)) / (1 + x)²
/// let expected = 2.0 * (1.0 - 0.5f64.ln_1p()) / 1.5f64.powi(2);
/// assert!((hvp(f, &x, &v).hvp[0].data()[0] - expected).abs() < 1e-14);
/// assert!(check::all(f, &x).passed());
/// ```
///
/// A primitive for both precisions implements `Primitive<S>` for every
/// [`Scalar`] `S`, as the built-in ones do (constants then written
/// `S::of(1.0)`); `impl Primitive for ...` is the `f64` one.
pub trait Primitive<S: Scalar = f64>: Send + Sync + 'static {
    /// The primitive's name, as used in error messages and anomaly reports.
    fn name(&self) -> &'static str;

    /// How many inputs it takes.
    fn arity(&self) -> usize;

    /// The output's value from the inputs' values. Panics on shapes that
    /// cannot combine, with a message naming the primitive and the shapes.
    fn primal(&self, inputs: &[&TensorOf<S>]) -> TensorOf<S>;

    /// The output's tangent lanes `[K, ...output shape]` from the inputs'
    /// values and lanes (an input without lanes has a zero tangent), given
    /// the `output` value; called only when some input carries lanes.
    fn tangent(&self, inputs: &[&DualOf<S>], output: &TensorOf<S>) -> Option<TensorOf<S>>;

    /// The cotangent of each input from the output's cotangent `c`, one
    /// entry per input: `None` where `wanted[i]` is [`Wanted::Nothing`] (or
    /// where the cotangent is zero). `output` is the output's value with its
    /// tangents, for rules that reuse it (`d exp(x) = exp(x) dx`).
    fn vjp(
        &self,
        inputs: &[&DualOf<S>],
        output: &DualOf<S>,
        c: &DualOf<S>,
        wanted: &[Wanted],
    ) -> Vec<Option<DualOf<S>>>;
}

/// Applies `primitive` to tangent-carrying values: its primal (recorded or
/// replayed when many sweeps share one point) and, when any input carries
/// lanes, its tangent.
pub(crate) fn apply<S: Scalar, P: Primitive<S> + ?Sized>(
    primitive: &P,
    inputs: &[&DualOf<S>],
) -> DualOf<S> {
    let primal = primal_log::primal(primitive.name(), || {
        let primals: SmallVec<[&TensorOf<S>; 2]> = inputs.iter().map(|d| &d.primal).collect();
        primitive.primal(&primals)
    });
    let tangent = if inputs.iter().any(|d| d.tangent.is_some()) {
        primitive.tangent(inputs, &primal)
    } else {
        None
    };
    DualOf { primal, tangent }
}
