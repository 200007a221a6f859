//! Stochastic gradient descent, with heavy-ball or Nesterov momentum.

use autodiff::{Scalar, TensorOf};

use crate::checkpoint::CheckpointError;
use crate::optimizers::{Optimizer, State};
use crate::state::{MethodState, Resumable};
use optim::settings::{fraction, positive, SettingsError};

/// SGD in the form PyTorch uses (Sutskever et al. 2013):
///
/// - plain: `θ ← θ - η g`;
/// - momentum `μ`: `v ← μ v + g`, `θ ← θ - η v`;
/// - Nesterov: `v ← μ v + g`, `θ ← θ - η (g + μ v)`.
///
/// ```
/// use autodiff::Tensor;
/// use models::{Optimizer, Sgd};
/// let mut opt = Sgd::new(0.1).momentum(0.9);
/// let mut p = [Tensor::scalar(1.0)];
/// opt.update(&mut p, &[Tensor::scalar(2.0)]); // v = 2, θ = 1 - 0.2
/// opt.update(&mut p, &[Tensor::scalar(2.0)]); // v = 3.8, θ = 0.8 - 0.38
/// assert!((p[0].item() - 0.42).abs() < 1e-15);
/// ```
#[derive(Clone, Debug)]
pub struct Sgd {
    lr: f64,
    momentum: f64,
    nesterov: bool,
    state: State<1>,
}

impl Sgd {
    /// Plain SGD with learning rate `lr` (no momentum).
    pub fn new(lr: f64) -> Sgd {
        Sgd {
            lr,
            momentum: 0.0,
            nesterov: false,
            state: State::default(),
        }
    }

    /// Heavy-ball momentum with coefficient `mu` (commonly 0.9).
    pub fn momentum(mut self, mu: f64) -> Sgd {
        self.momentum = mu;
        self
    }

    /// Nesterov momentum with coefficient `mu` (commonly 0.9).
    pub fn nesterov(mut self, mu: f64) -> Sgd {
        self.momentum = mu;
        self.nesterov = true;
        self
    }
}

impl Optimizer for Sgd {
    fn validate(&self) -> Result<(), SettingsError> {
        positive("Sgd::lr", self.lr)?;
        fraction("Sgd::momentum", self.momentum)
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn update<S: Scalar>(&mut self, params: &mut [TensorOf<S>], grads: &[TensorOf<S>]) {
        let (lr, mu, nesterov) = (self.lr, self.momentum, self.nesterov);
        self.state.apply(params, grads, move |x, g, [v]| {
            *v = mu * *v + g;
            *x -= lr * if nesterov { g + mu * *v } else { *v };
        });
    }
}

impl Resumable for Sgd {
    fn kind(&self) -> String {
        "sgd".to_string()
    }

    fn export_state(&self) -> MethodState {
        let mut state = MethodState::default();
        self.state.export(["velocity"], &mut state);
        state
    }

    fn import_state(&mut self, state: &MethodState) -> Result<(), CheckpointError> {
        self.state = State::import(["velocity"], state)?;
        Ok(())
    }
}
