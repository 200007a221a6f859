//! Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019).

use autodiff::{Scalar, TensorOf};

use crate::checkpoint::CheckpointError;
use crate::optimizers::{Optimizer, State};
use crate::state::{MethodState, Resumable};
use optim::settings::{fraction, non_negative, positive, SettingsError};

/// Adam with bias correction, and optionally AdamW's decoupled weight decay:
///
/// ```text
/// θ ← θ - η λ θ                       (AdamW only)
/// m ← β₁ m + (1 - β₁) g,   v ← β₂ v + (1 - β₂) g²
/// θ ← θ - η m̂ / (√v̂ + ε),  m̂ = m / (1 - β₁ᵗ),  v̂ = v / (1 - β₂ᵗ)
/// ```
///
/// Defaults: `η = 1e-3`, `β = (0.9, 0.999)`, `ε = 1e-8`; [`Adam::adamw`]
/// defaults to `λ = 1e-2`.
///
/// ```
/// use autodiff::Tensor;
/// use models::{Adam, Optimizer};
/// let mut opt = Adam::new().lr(0.1);
/// let mut p = [Tensor::scalar(1.0)];
/// opt.update(&mut p, &[Tensor::scalar(3.0)]);
/// // The first bias-corrected step is η · g / |g| (up to ε).
/// assert!((p[0].item() - 0.9).abs() < 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct Adam {
    lr: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    t: i32,
    state: State<2>,
}

impl Default for Adam {
    fn default() -> Adam {
        Adam {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
            t: 0,
            state: State::default(),
        }
    }
}

impl Adam {
    /// Adam with the default constants.
    pub fn new() -> Adam {
        Adam::default()
    }

    /// AdamW: Adam with decoupled weight decay `λ = 1e-2` (change it with [`Adam::weight_decay`]).
    pub fn adamw() -> Adam {
        Adam::default().weight_decay(1e-2)
    }

    /// Sets the learning rate.
    pub fn lr(mut self, lr: f64) -> Adam {
        self.lr = lr;
        self
    }

    /// Sets the decays `(β₁, β₂)` of the first and second moments.
    pub fn betas(mut self, beta1: f64, beta2: f64) -> Adam {
        self.beta1 = beta1;
        self.beta2 = beta2;
        self
    }

    /// Sets `ε`, added to the denominator.
    pub fn eps(mut self, eps: f64) -> Adam {
        self.eps = eps;
        self
    }

    /// Sets the decoupled weight decay `λ` (0 gives plain Adam).
    pub fn weight_decay(mut self, weight_decay: f64) -> Adam {
        self.weight_decay = weight_decay;
        self
    }

    /// The bias-corrected second-moment estimate `v̂ = v / (1 − β₂ᵗ)` of every
    /// parameter element, flattened in parameter order (empty before the
    /// first step): the running average of squared gradients that Adam
    /// divides by the square root of.
    ///
    /// ```
    /// use autodiff::Tensor;
    /// use models::{Adam, Optimizer};
    /// let mut opt = Adam::new();
    /// let mut p = [Tensor::vector(vec![1.0, 1.0])];
    /// opt.update(&mut p, &[Tensor::vector(vec![3.0, -1.0])]);
    /// opt.update(&mut p, &[Tensor::vector(vec![1.0, -1.0])]);
    /// // v̂ = (β₂ (1 − β₂) g₁² + (1 − β₂) g₂²) / (1 − β₂²)
    /// let want = |g1: f64, g2: f64| (0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2) / (1.0 - 0.999f64.powi(2));
    /// let v = opt.second_moment();
    /// assert!((v[0] - want(3.0, 1.0)).abs() < 1e-12 && (v[1] - want(-1.0, -1.0)).abs() < 1e-12);
    /// ```
    pub fn second_moment(&self) -> Vec<f64> {
        let correction = 1.0 - self.beta2.powi(self.t);
        self.state
            .slots
            .iter()
            .flatten()
            .map(|[_, v]| v / correction)
            .collect()
    }
}

impl Optimizer for Adam {
    fn validate(&self) -> Result<(), SettingsError> {
        positive("Adam::lr", self.lr)?;
        fraction("Adam::beta1", self.beta1)?;
        fraction("Adam::beta2", self.beta2)?;
        positive("Adam::eps", self.eps)?;
        non_negative("Adam::weight_decay", self.weight_decay)
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }

    fn update<S: Scalar>(&mut self, params: &mut [TensorOf<S>], grads: &[TensorOf<S>]) {
        self.t += 1;
        let (lr, b1, b2, eps, wd) = (self.lr, self.beta1, self.beta2, self.eps, self.weight_decay);
        let (c1, c2) = (1.0 - b1.powi(self.t), 1.0 - b2.powi(self.t));
        self.state.apply(params, grads, move |x, g, [m, v]| {
            *x -= lr * wd * *x;
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *x -= lr * (*m / c1) / ((*v / c2).sqrt() + eps);
        });
    }
}

impl Resumable for Adam {
    fn kind(&self) -> String {
        "adam".to_string()
    }

    fn export_state(&self) -> MethodState {
        let mut state = MethodState::default();
        state.put_count("t", u64::try_from(self.t).unwrap_or(0));
        self.state.export(["m", "v"], &mut state);
        state
    }

    fn import_state(&mut self, state: &MethodState) -> Result<(), CheckpointError> {
        let t = i32::try_from(state.count("t")?).map_err(|_| CheckpointError::State {
            name: "t".to_string(),
            reason: "is too large a step count".to_string(),
        })?;
        self.state = State::import(["m", "v"], state)?;
        self.t = t;
        Ok(())
    }
}
