//! What the training loop and the objectives need from a model.

use autodiff::{Scalar, VarOf};

/// A differentiable function from a batch of inputs `[B, d]` to outputs
/// `[B, k]`, given its parameter vars (in the order of its [`crate::Params`]).
///
/// `S` is the precision it computes in: `impl Model for MyModel` is an
/// `f64` model; a model written once for both precisions implements
/// `Model<S>` for every `S: Scalar`, as [`crate::Mlp`] does (constants in
/// it are written `S::of(0.5)`).
pub trait Model<S: Scalar = f64> {
    /// The outputs for a batch of inputs.
    fn forward<'t>(&self, params: &[VarOf<'t, S>], inputs: VarOf<'t, S>) -> VarOf<'t, S>;

    /// The shape of the outputs for inputs of shape `inputs`, when the model
    /// knows it without its parameters, so that data of the wrong shape is
    /// refused before any forward pass (see [`crate::Supervised::new`]).
    /// The default knows nothing (`Ok(None)`): the checks are then left to
    /// `forward` and the loss.
    ///
    /// # Errors
    /// A message naming what is wrong with the inputs and what the model
    /// expects ("Mlp expects 3 inputs per row, got 5").
    fn output_shape(&self, inputs: &[usize]) -> Result<Option<Vec<usize>>, String> {
        let _ = inputs;
        Ok(None)
    }
}
