//! RMSProp (Tieleman & Hinton 2012).

use autodiff::{Scalar, TensorOf};

use crate::checkpoint::CheckpointError;
use crate::optimizers::{Optimizer, State};
use crate::state::{MethodState, Resumable};
use optim::settings::{fraction, positive, SettingsError};

/// RMSProp: `s ← ρ s + (1 - ρ) g²`, `θ ← θ - η g / (√s + ε)`. Defaults
/// (PyTorch's): `η = 1e-2`, `ρ = 0.99`, `ε = 1e-8`.
#[derive(Clone, Debug)]
pub struct RmsProp {
    lr: f64,
    rho: f64,
    eps: f64,
    state: State<1>,
}

impl Default for RmsProp {
    fn default() -> RmsProp {
        RmsProp {
            lr: 1e-2,
            rho: 0.99,
            eps: 1e-8,
            state: State::default(),
        }
    }
}

impl RmsProp {
    /// RMSProp with the default constants.
    pub fn new() -> RmsProp {
        RmsProp::default()
    }

    /// Sets the learning rate.
    pub fn lr(mut self, lr: f64) -> RmsProp {
        self.lr = lr;
        self
    }

    /// Sets the decay `ρ` of the squared-gradient average.
    pub fn rho(mut self, rho: f64) -> RmsProp {
        self.rho = rho;
        self
    }

    /// Sets `ε`, added to the denominator.
    pub fn eps(mut self, eps: f64) -> RmsProp {
        self.eps = eps;
        self
    }
}

impl Optimizer for RmsProp {
    fn validate(&self) -> Result<(), SettingsError> {
        positive("RmsProp::lr", self.lr)?;
        fraction("RmsProp::rho", self.rho)?;
        positive("RmsProp::eps", self.eps)
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn update<S: Scalar>(&mut self, params: &mut [TensorOf<S>], grads: &[TensorOf<S>]) {
        let (lr, rho, eps) = (self.lr, self.rho, self.eps);
        self.state.apply(params, grads, move |x, g, [s]| {
            *s = rho * *s + (1.0 - rho) * g * g;
            *x -= lr * g / (s.sqrt() + eps);
        });
    }
}

impl Resumable for RmsProp {
    fn kind(&self) -> String {
        "rmsprop".to_string()
    }

    fn export_state(&self) -> MethodState {
        let mut state = MethodState::default();
        self.state.export(["square_average"], &mut state);
        state
    }

    fn import_state(&mut self, state: &MethodState) -> Result<(), CheckpointError> {
        self.state = State::import(["square_average"], state)?;
        Ok(())
    }
}
