//! Stochastic first-order optimizers. Each step takes the gradients for the
//! whole parameter set, so one training loop serves them all.

mod adagrad;
mod adam;
mod rmsprop;
mod schedule;
mod sgd;

pub use adagrad::AdaGrad;
pub use adam::Adam;
pub use rmsprop::RmsProp;
pub use schedule::Schedule;
pub use sgd::Sgd;

use autodiff::Tensor;

/// A first-order update rule with per-parameter state.
pub trait Optimizer {
    /// The current learning rate.
    fn learning_rate(&self) -> f64;

    /// Sets the learning rate (a schedule calls this between epochs).
    fn set_learning_rate(&mut self, lr: f64);

    /// Updates `params` in place from their gradients `grads` (same shapes).
    ///
    /// # Panics
    /// When the gradients do not match the parameters, or the parameter
    /// shapes change between steps.
    fn update(&mut self, params: &mut [Tensor], grads: &[Tensor]);
}

/// `S` running values per parameter element (velocities, squared-gradient
/// averages, ...), zero until the first step.
#[derive(Clone, Debug, Default)]
struct State<const S: usize> {
    slots: Vec<Vec<[f64; S]>>,
}

impl<const S: usize> State<S> {
    /// Applies `update(θ, g, state)` to every element of every parameter.
    fn apply(
        &mut self,
        params: &mut [Tensor],
        grads: &[Tensor],
        update: impl Fn(&mut f64, f64, &mut [f64; S]),
    ) {
        assert_eq!(
            params.len(),
            grads.len(),
            "optimizer step: {} parameters but {} gradients",
            params.len(),
            grads.len()
        );
        if self.slots.is_empty() {
            self.slots = params.iter().map(|p| vec![[0.0; S]; p.len()]).collect();
        }
        for ((p, g), slots) in params.iter_mut().zip(grads).zip(&mut self.slots) {
            assert!(
                p.shape() == g.shape() && slots.len() == p.len(),
                "optimizer step: parameter of shape {:?} with gradient of shape {:?} ({} state entries)",
                p.shape(),
                g.shape(),
                slots.len()
            );
            let mut data = p.data().to_vec();
            for ((x, &gi), s) in data.iter_mut().zip(g.data()).zip(slots.iter_mut()) {
                update(x, gi, s);
            }
            *p = Tensor::from_fn(p.shape(), |i| data[i]);
        }
    }
}
