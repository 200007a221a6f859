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

use autodiff::{Scalar, Tensor, TensorOf};

use crate::checkpoint::CheckpointError;
use crate::state::MethodState;
use optim::settings::SettingsError;

/// A first-order update rule with per-parameter state.
///
/// The rules update parameters of either precision; their state (moments,
/// velocities, accumulators) and their arithmetic are `f64` whatever the
/// parameters' precision, and each new parameter value is rounded once to
/// it.
pub trait Optimizer {
    /// Checks the settings; [`crate::Trainer::fit`] calls this before the first step.
    ///
    /// # Errors
    /// [`SettingsError`] naming the first setting that cannot work (a
    /// learning rate that is negative or NaN, a decay outside `[0, 1)`, ...).
    fn validate(&self) -> Result<(), SettingsError>;

    /// The current learning rate.
    fn learning_rate(&self) -> f64;

    /// Sets the learning rate (a schedule calls this between epochs).
    fn set_learning_rate(&mut self, lr: f64);

    /// Updates `params` in place from their gradients `grads` (same shapes).
    ///
    /// # Panics
    /// When the gradients do not match the parameters, or the parameter
    /// shapes change between steps.
    fn update<S: Scalar>(&mut self, params: &mut [TensorOf<S>], grads: &[TensorOf<S>]);
}

/// `S` running values per parameter element (velocities, squared-gradient
/// averages, ...), zero until the first step.
#[derive(Clone, Debug, Default)]
struct State<const S: usize> {
    slots: Vec<Vec<[f64; S]>>,
}

impl<const S: usize> State<S> {
    /// Applies `update(θ, g, state)` to every element of every parameter,
    /// in `f64`, rounding the new `θ` to the parameters' precision.
    fn apply<T: Scalar>(
        &mut self,
        params: &mut [TensorOf<T>],
        grads: &[TensorOf<T>],
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
            let next: Vec<T> = p
                .data()
                .iter()
                .zip(g.data())
                .zip(slots.iter_mut())
                .map(|((&x, &gi), s)| {
                    let mut x = x.as_f64();
                    update(&mut x, gi.as_f64(), s);
                    T::of(x)
                })
                .collect();
            *p = TensorOf::from_vec(p.shape(), next).expect("the shape of the parameter");
        }
    }
}

impl<const S: usize> State<S> {
    /// Puts slot `k` of parameter `i` under `{names[k]}/{i}`, and the number
    /// of parameters under `parameters` (0 before the first step).
    fn export(&self, names: [&str; S], into: &mut MethodState) {
        into.put_count("parameters", self.slots.len() as u64);
        for (i, slots) in self.slots.iter().enumerate() {
            for (k, name) in names.iter().enumerate() {
                let values = slots.iter().map(|s| s[k]).collect();
                into.put(format!("{name}/{i}"), Tensor::vector(values));
            }
        }
    }

    /// The state [`State::export`] wrote.
    fn import(names: [&str; S], from: &MethodState) -> Result<State<S>, CheckpointError> {
        let n = from.index("parameters")?;
        let slots = (0..n)
            .map(|i| {
                let columns = names
                    .iter()
                    .map(|name| from.tensor(&format!("{name}/{i}")))
                    .collect::<Result<Vec<_>, _>>()?;
                let len = columns[0].len();
                if let Some((name, c)) = names.iter().zip(&columns).find(|(_, c)| c.len() != len) {
                    return Err(CheckpointError::Shape {
                        name: format!("{name}/{i}"),
                        expected: vec![len],
                        found: c.shape().to_vec(),
                    });
                }
                Ok((0..len)
                    .map(|j| std::array::from_fn(|k| columns[k].data()[j]))
                    .collect())
            })
            .collect::<Result<_, _>>()?;
        Ok(State { slots })
    }
}
