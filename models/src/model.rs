//! What the training loop and the objectives need from a model.

use autodiff::Var;

/// A differentiable function from a batch of inputs `[B, d]` to outputs
/// `[B, k]`, given its parameter vars (in the order of its [`crate::Params`]).
pub trait Model {
    /// The outputs for a batch of inputs.
    fn forward<'t>(&self, params: &[Var<'t>], inputs: Var<'t>) -> Var<'t>;
}
