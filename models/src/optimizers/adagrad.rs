//! AdaGrad (Duchi, Hazan & Singer 2011).

use autodiff::{Scalar, TensorOf};

use crate::checkpoint::CheckpointError;
use crate::optimizers::{Optimizer, State};
use crate::state::{MethodState, Resumable};
use optim::settings::{positive, SettingsError};

/// AdaGrad: `G ← G + g²`, `θ ← θ - η g / (√G + ε)`. Defaults (PyTorch's):
/// `η = 1e-2`, `ε = 1e-10`.
#[derive(Clone, Debug)]
pub struct AdaGrad {
    lr: f64,
    eps: f64,
    state: State<1>,
}

impl Default for AdaGrad {
    fn default() -> AdaGrad {
        AdaGrad {
            lr: 1e-2,
            eps: 1e-10,
            state: State::default(),
        }
    }
}

impl AdaGrad {
    /// AdaGrad with the default constants.
    pub fn new() -> AdaGrad {
        AdaGrad::default()
    }

    /// Sets the learning rate.
    pub fn lr(mut self, lr: f64) -> AdaGrad {
        self.lr = lr;
        self
    }

    /// Sets `ε`, added to the denominator.
    pub fn eps(mut self, eps: f64) -> AdaGrad {
        self.eps = eps;
        self
    }
}

impl Optimizer for AdaGrad {
    fn validate(&self) -> Result<(), SettingsError> {
        positive("AdaGrad::lr", self.lr)?;
        positive("AdaGrad::eps", self.eps)
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn update<S: Scalar>(&mut self, params: &mut [TensorOf<S>], grads: &[TensorOf<S>]) {
        let (lr, eps) = (self.lr, self.eps);
        self.state.apply(params, grads, move |x, g, [sum]| {
            *sum += g * g;
            *x -= lr * g / (sum.sqrt() + eps);
        });
    }
}

impl Resumable for AdaGrad {
    fn kind(&self) -> String {
        "adagrad".to_string()
    }

    fn export_state(&self) -> MethodState {
        let mut state = MethodState::default();
        self.state.export(["square_sum"], &mut state);
        state
    }

    fn import_state(&mut self, state: &MethodState) -> Result<(), CheckpointError> {
        self.state = State::import(["square_sum"], state)?;
        Ok(())
    }
}
