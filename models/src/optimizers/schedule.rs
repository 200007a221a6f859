//! Learning-rate schedules.

use std::f64::consts::PI;

use optim::settings::{at_least_one, non_negative, positive, SettingsError};

/// How the learning rate changes with the epoch (counted from 0).
///
/// ```
/// use models::Schedule;
/// assert_eq!(Schedule::Step { every: 10, factor: 0.5 }.rate(1.0, 25), 0.25);
/// let cos = Schedule::Cosine { epochs: 10, min_lr: 0.0 };
/// assert_eq!(cos.rate(1.0, 0), 1.0);
/// assert!((cos.rate(1.0, 5) - 0.5).abs() < 1e-15);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Schedule {
    /// The base rate throughout.
    #[default]
    Constant,
    /// The base rate times `factor` after every `every` epochs.
    Step {
        /// Epochs between decays.
        every: usize,
        /// Multiplier per decay.
        factor: f64,
    },
    /// Cosine annealing (Loshchilov & Hutter 2017) from the base rate at
    /// epoch 0 to `min_lr` at epoch `epochs` (and `min_lr` after it):
    /// `min + (base - min)(1 + cos(π t / epochs)) / 2`.
    Cosine {
        /// Length of the anneal in epochs.
        epochs: usize,
        /// The final rate.
        min_lr: f64,
    },
}

impl Schedule {
    /// Checks the settings; [`crate::Trainer::fit`] calls this before the first step.
    ///
    /// # Errors
    /// [`SettingsError`] when a step schedule decays every 0 epochs or by a
    /// factor that is not a positive finite number, or a cosine schedule
    /// anneals over 0 epochs or to a negative or NaN rate.
    pub fn validate(&self) -> Result<(), SettingsError> {
        match *self {
            Schedule::Constant => Ok(()),
            Schedule::Step { every, factor } => {
                at_least_one("Schedule::Step::every", every)?;
                positive("Schedule::Step::factor", factor)
            }
            Schedule::Cosine { epochs, min_lr } => {
                at_least_one("Schedule::Cosine::epochs", epochs)?;
                non_negative("Schedule::Cosine::min_lr", min_lr)
            }
        }
    }

    /// The learning rate at `epoch` for a base rate `base`.
    pub fn rate(&self, base: f64, epoch: usize) -> f64 {
        match *self {
            Schedule::Constant => base,
            Schedule::Step { every, factor } => {
                let decays = epoch.checked_div(every).unwrap_or(0);
                base * factor.powi(i32::try_from(decays).unwrap_or(i32::MAX))
            }
            Schedule::Cosine { epochs, min_lr } => {
                let t = (epoch as f64 / epochs.max(1) as f64).min(1.0);
                min_lr + (base - min_lr) * (1.0 + (PI * t).cos()) / 2.0
            }
        }
    }
}
