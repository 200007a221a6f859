//! Dense layers registered where they are used: [`dense`] computes
//! `x W + b` and tags the layer's input, parameters and pre-activation on
//! the tape, so that K-FAC (and Hessian-free's preconditioner) find every
//! dense layer of any model — a residual network, two towers, a layer
//! shared by two inputs — without the model being an [`crate::Mlp`] (the
//! idea of kfac-jax's `register_dense`).

use autodiff::{Scalar, TapeOf, VarOf};

/// The tag name [`dense`] records.
const DENSE: &str = "dense";

/// `x W + b` for inputs `x: [B, fan_in]`, a weight `W: [fan_in, fan_out]`
/// and a bias `b: [fan_out]`, registered as a dense layer.
///
/// ```
/// use autodiff::{Tape, Tensor};
/// use models::{dense, dense_layers};
/// let tape = Tape::new();
/// let (w, b) = (tape.var(Tensor::randn(&[3, 2], 0)), tape.var(Tensor::zeros(&[2])));
/// let x = tape.constant(Tensor::randn(&[5, 3], 1));
/// let h = dense(x, w, b).tanh();
/// let layers = dense_layers(&tape);
/// assert_eq!(layers.len(), 1);
/// assert_eq!((layers[0].weight.id(), layers[0].bias.map(|b| b.id())), (w.id(), Some(b.id())));
/// assert_eq!(h.shape().as_slice(), [5, 2]);
/// ```
///
/// # Panics
/// When the shapes do not fit (a programming error), naming them.
pub fn dense<'t, S: Scalar>(
    x: VarOf<'t, S>,
    weight: VarOf<'t, S>,
    bias: VarOf<'t, S>,
) -> VarOf<'t, S> {
    check_shapes(x, weight, Some(bias));
    let pre_activation = x.matmul(weight) + bias;
    x.tape().tag(DENSE, &[x, weight, pre_activation, bias]);
    pre_activation
}

/// `x W` without a bias, registered as a dense layer (see [`dense`]).
///
/// # Panics
/// When the shapes do not fit (a programming error), naming them.
pub fn linear<'t, S: Scalar>(x: VarOf<'t, S>, weight: VarOf<'t, S>) -> VarOf<'t, S> {
    check_shapes(x, weight, None);
    let pre_activation = x.matmul(weight);
    x.tape().tag(DENSE, &[x, weight, pre_activation]);
    pre_activation
}

fn check_shapes<S: Scalar>(x: VarOf<'_, S>, weight: VarOf<'_, S>, bias: Option<VarOf<'_, S>>) {
    let (xs, ws) = (x.shape(), weight.shape());
    assert!(
        xs.len() == 2 && ws.len() == 2 && xs[1] == ws[0],
        "dense layer: inputs of shape {xs:?} for a weight of shape {ws:?} (expected inputs [batch, {}])",
        ws.first().copied().unwrap_or(0)
    );
    if let Some(b) = bias {
        let bs = b.shape();
        assert!(
            bs.as_slice() == [ws[1]],
            "dense layer: bias of shape {bs:?} for a weight of shape {ws:?} (expected [{}])",
            ws[1]
        );
    }
}

/// One use of a registered dense layer on a tape.
#[derive(Clone, Copy, Debug)]
pub struct DenseUse<'t, S: Scalar = f64> {
    /// The layer's inputs `[B, fan_in]`.
    pub input: VarOf<'t, S>,
    /// The weight `[fan_in, fan_out]`.
    pub weight: VarOf<'t, S>,
    /// The bias `[fan_out]`, if the layer has one.
    pub bias: Option<VarOf<'t, S>>,
    /// `x W (+ b)`, `[B, fan_out]`.
    pub pre_activation: VarOf<'t, S>,
}

/// Every dense layer registered on `tape` by [`dense`] or [`linear`], in the
/// order they were used (a layer used twice appears twice).
pub fn dense_layers<S: Scalar>(tape: &TapeOf<S>) -> Vec<DenseUse<'_, S>> {
    tape.tags()
        .into_iter()
        .filter(|t| t.name == DENSE)
        .map(|t| DenseUse {
            input: tape.var_at(t.ids[0]),
            weight: tape.var_at(t.ids[1]),
            pre_activation: tape.var_at(t.ids[2]),
            bias: t.ids.get(3).map(|&id| tape.var_at(id)),
        })
        .collect()
}
