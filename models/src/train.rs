//! The training loop: epochs, minibatches, any [`TrainingMethod`] (first-
//! or second-order, or a full-batch solver), held-out evaluation, history,
//! early stopping, an observer callback and a progress bar on terminals.

use std::io::IsTerminal;
use std::time::Instant;

use autodiff::Scalar;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
pub use optim::solvers::Control;
use thiserror::Error;

use crate::data::Dataset;
use crate::loss::Loss;
use crate::model::Model;
use crate::optimizers::Schedule;
use crate::params::Params;
use crate::step::{StepError, TrainingMethod};
use crate::supervised::{ShapeError, Supervised};
use optim::settings::{at_least_one, non_negative, SettingsError};

/// Why [`Trainer::fit`] refused to start (it takes no step then).
#[derive(Clone, Debug, Error, PartialEq)]
pub enum FitError {
    /// The trainer's or the method's settings cannot work.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The held-out data does not fit the model and the loss (see
    /// [`Supervised::check`]).
    #[error("held-out data: {0}")]
    HeldOut(ShapeError),
}

/// Stop when the monitored loss (held-out when there is a held-out split,
/// training otherwise) has not improved by more than `min_delta` for
/// `patience` epochs; the best parameters are then restored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EarlyStopping {
    /// Epochs without improvement before stopping.
    pub patience: usize,
    /// The smallest decrease that counts as an improvement.
    pub min_delta: f64,
}

/// The figures of one epoch, measured on the full splits after its last step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochRecord {
    /// The epoch, from 0.
    pub epoch: usize,
    /// The learning rate at the epoch's last step, for methods that have one.
    pub learning_rate: Option<f64>,
    /// Data loss (without penalty) on the training split.
    pub train_loss: f64,
    /// Accuracy on the training split, for classification losses.
    pub train_accuracy: Option<f64>,
    /// Data loss on the held-out split, when there is one.
    pub test_loss: Option<f64>,
    /// Accuracy on the held-out split, when there is one and the loss classifies.
    pub test_accuracy: Option<f64>,
    /// Seconds since `fit` began (evaluation included).
    pub seconds: f64,
    /// Gradient evaluations (reverse sweeps) so far.
    pub gradients: usize,
    /// Curvature-vector products so far.
    pub curvature_products: usize,
    /// Steps of this epoch that failed (parameters unchanged; see [`History::failures`]).
    pub failed_steps: usize,
}

/// A step that could not be taken; the parameters were left as they were.
#[derive(Clone, Debug, PartialEq)]
pub struct FailedStep {
    /// The epoch, from 0.
    pub epoch: usize,
    /// The step, counted from 0 over the whole run.
    pub step: usize,
    /// Why.
    pub error: StepError,
}

/// Why training ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// All epochs ran.
    Completed,
    /// Early stopping triggered (best parameters restored).
    EarlyStopped,
    /// The observer asked to stop.
    Observer,
    /// A loss became NaN or infinite (parameters left as they were then).
    NonFinite,
}

/// Where a run stands after its last completed epoch: with the parameters
/// and the method's state, all that [`Trainer::fit_from`] needs to go on
/// exactly as if the run had not stopped (the shuffle of epoch `e` is drawn
/// from `seed + e`, so it needs no state of its own).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress<S: Scalar = f64> {
    /// Epochs completed.
    pub epochs: usize,
    /// Steps taken, failed ones included.
    pub steps: usize,
    /// Gradient evaluations so far.
    pub gradients: usize,
    /// Curvature-vector products so far.
    pub curvature_products: usize,
    /// The method's learning rate when the run began: the schedule's base.
    pub base_learning_rate: Option<f64>,
    /// Early stopping's best monitored loss so far and the parameters that had it.
    pub best: Option<(f64, Params<S>)>,
    /// Epochs since the best one.
    pub since_best: usize,
}

/// Every epoch's record, and why training ended.
#[derive(Clone, Debug, PartialEq)]
pub struct History<S: Scalar = f64> {
    /// One record per epoch run (by this call: a resumed run's first record
    /// is that of the epoch it resumed at).
    pub epochs: Vec<EpochRecord>,
    /// Every step that failed.
    pub failures: Vec<FailedStep>,
    /// Why training ended.
    pub stop: StopReason,
    /// Where the run stands, to resume it with [`Trainer::fit_from`].
    pub progress: Progress<S>,
}

impl<S: Scalar> History<S> {
    /// The last epoch's record.
    pub fn last(&self) -> Option<&EpochRecord> {
        self.epochs.last()
    }
}

/// What a [`Schedule`] counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScheduleUnit {
    /// The rate changes between epochs.
    #[default]
    Epochs,
    /// The rate changes before every step.
    Steps,
}

/// Minibatch training settings.
///
/// ```
/// use models::{data, Activation, Adam, Control, Mlp, SoftmaxCrossEntropy, Supervised, Trainer};
/// use models::second_order::Kfac;
///
/// let moons = data::two_moons(200, 0.1, 0);
/// let (train, test) = moons.split(0.25, 1)?;
/// let mlp = Mlp::new(2).dense(16, Activation::Tanh).dense(2, Activation::Identity);
/// let mut params = mlp.init(0);
/// let problem = Supervised::new(mlp, SoftmaxCrossEntropy, train)?;
/// let trainer = Trainer { epochs: 30, batch_size: 32, ..Trainer::default() };
/// let history = trainer.fit(&problem, &mut params, &mut Adam::new().lr(0.05), Some(&test), |_| Control::Continue)?;
/// assert!(history.last().unwrap().test_accuracy.unwrap() > 0.8);
/// // The same loop, the same few lines, with K-FAC.
/// let mut params = problem.model().init(0);
/// let history = trainer.fit(&problem, &mut params, &mut Kfac::default(), Some(&test), |_| Control::Continue)?;
/// assert!(history.last().unwrap().test_accuracy.unwrap() > 0.8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Trainer {
    /// Maximum number of passes over the training split.
    pub epochs: usize,
    /// Examples per minibatch.
    pub batch_size: usize,
    /// Seed of the per-epoch shuffles.
    pub seed: u64,
    /// Learning-rate schedule over the method's rate at the start of `fit`
    /// (for methods that have one).
    pub schedule: Schedule,
    /// Whether the schedule counts epochs or steps.
    pub schedule_unit: ScheduleUnit,
    /// Early stopping, if any.
    pub early_stopping: Option<EarlyStopping>,
    /// Whether to draw a progress bar (only ever drawn when stdout is a terminal).
    pub progress: bool,
}

impl Default for Trainer {
    /// 10 epochs of batches of 32, seed 0, constant rate (per epoch), no
    /// early stopping, progress bar on.
    fn default() -> Trainer {
        Trainer {
            epochs: 10,
            batch_size: 32,
            seed: 0,
            schedule: Schedule::Constant,
            schedule_unit: ScheduleUnit::Epochs,
            early_stopping: None,
            progress: true,
        }
    }
}

fn progress_bar(epochs: usize, wanted: bool) -> ProgressBar {
    if !(wanted && std::io::stdout().is_terminal()) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(epochs as u64), ProgressDrawTarget::stdout());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} epochs {msg}") {
        bar.set_style(style);
    }
    bar
}

impl Trainer {
    /// Checks the settings; [`Trainer::fit`] calls this before the first step.
    ///
    /// # Errors
    /// [`SettingsError`] when the batch size is 0, early stopping has a
    /// patience of 0 or a negative or NaN `min_delta`, or the schedule's
    /// settings cannot work (see [`Schedule::validate`]).
    pub fn validate(&self) -> Result<(), SettingsError> {
        at_least_one("Trainer::batch_size", self.batch_size)?;
        self.schedule.validate()?;
        if let Some(rule) = self.early_stopping {
            at_least_one("EarlyStopping::patience", rule.patience)?;
            non_negative("EarlyStopping::min_delta", rule.min_delta)?;
        }
        Ok(())
    }

    /// Trains `params` on `problem`'s data with `method` (any
    /// [`TrainingMethod`]: a first-order optimizer, Shampoo, K-FAC, natural
    /// gradient, Hessian-free, or a [`crate::FullBatch`] solver),
    /// evaluating on `test` after every epoch and calling `observer` with
    /// the record.
    ///
    /// Each epoch shuffles the training split (seed `seed + epoch`), takes
    /// one step per minibatch on the minibatch objective (data loss plus
    /// penalty), then measures the full splits. A step that fails is
    /// recorded in [`History::failures`] and the loop goes on from the
    /// unchanged parameters.
    ///
    /// # Errors
    /// Before any step: [`FitError::Settings`] when the trainer's settings
    /// ([`Trainer::validate`]) or the method's ([`TrainingMethod::validate`])
    /// cannot work, [`FitError::HeldOut`] when `test` does not fit the
    /// model and the loss.
    pub fn fit<S: Scalar, M: Model<S>, L: Loss<S>, T: TrainingMethod>(
        &self,
        problem: &Supervised<M, L, S>,
        params: &mut Params<S>,
        method: &mut T,
        test: Option<&Dataset<S>>,
        observer: impl FnMut(&EpochRecord) -> Control,
    ) -> Result<History<S>, FitError> {
        self.fit_from(Progress::default(), problem, params, method, test, observer)
    }

    /// [`Trainer::fit`] going on from `from` (a [`History::progress`], or
    /// one restored with [`crate::checkpoint::load_run`]) up to epoch
    /// `epochs`: with the parameters and the method's state of that moment,
    /// the run continues bit for bit as if it had not stopped.
    ///
    /// # Errors
    /// As [`Trainer::fit`].
    pub fn fit_from<S: Scalar, M: Model<S>, L: Loss<S>, T: TrainingMethod>(
        &self,
        from: Progress<S>,
        problem: &Supervised<M, L, S>,
        params: &mut Params<S>,
        method: &mut T,
        test: Option<&Dataset<S>>,
        mut observer: impl FnMut(&EpochRecord) -> Control,
    ) -> Result<History<S>, FitError> {
        self.validate()?;
        method.validate()?;
        if let Some(test) = test {
            problem.check(test).map_err(FitError::HeldOut)?;
        }
        let started = Instant::now();
        let base_lr = from.base_learning_rate.or_else(|| method.learning_rate());
        let bar = progress_bar(self.epochs.saturating_sub(from.epochs), self.progress);
        let mut epochs = Vec::with_capacity(self.epochs.saturating_sub(from.epochs));
        let mut failures = Vec::new();
        let Progress {
            epochs: first_epoch,
            mut steps,
            mut gradients,
            mut curvature_products,
            mut best,
            mut since_best,
            ..
        } = from;
        let mut stop = StopReason::Completed;
        let mut done = first_epoch;
        for epoch in first_epoch..self.epochs {
            let shuffled = problem
                .data()
                .shuffled(self.seed.wrapping_add(epoch as u64));
            let mut failed_steps = 0;
            for batch in shuffled.batches(self.batch_size) {
                if let Some(base) = base_lr {
                    let t = match self.schedule_unit {
                        ScheduleUnit::Epochs => epoch,
                        ScheduleUnit::Steps => steps,
                    };
                    method.set_learning_rate(self.schedule.rate(base, t));
                }
                match method.step(problem, params, &batch) {
                    Ok(report) => {
                        gradients += report.gradients;
                        curvature_products += report.curvature_products;
                    }
                    Err(error) => {
                        failed_steps += 1;
                        failures.push(FailedStep {
                            epoch,
                            step: steps,
                            error,
                        });
                    }
                }
                steps += 1;
            }
            done = epoch + 1;
            let (train_loss, train_accuracy) = problem.evaluate(params.tensors(), problem.data());
            let held_out = test.map(|t| problem.evaluate(params.tensors(), t));
            let record = EpochRecord {
                epoch,
                learning_rate: method.learning_rate(),
                train_loss,
                train_accuracy,
                test_loss: held_out.map(|h| h.0),
                test_accuracy: held_out.and_then(|h| h.1),
                seconds: started.elapsed().as_secs_f64(),
                gradients,
                curvature_products,
                failed_steps,
            };
            epochs.push(record);
            bar.inc(1);
            bar.set_message(format!("loss {train_loss:.4}"));
            let monitored = record.test_loss.unwrap_or(train_loss);
            if !monitored.is_finite() {
                stop = StopReason::NonFinite;
                break;
            }
            if observer(&record) == Control::Stop {
                stop = StopReason::Observer;
                break;
            }
            if let Some(rule) = self.early_stopping {
                match &best {
                    Some((b, _)) if monitored >= b - rule.min_delta => since_best += 1,
                    _ => {
                        best = Some((monitored, params.clone()));
                        since_best = 0;
                    }
                }
                if since_best >= rule.patience {
                    stop = StopReason::EarlyStopped;
                    break;
                }
            }
        }
        if let (StopReason::EarlyStopped, Some((_, p))) = (stop, &best) {
            *params = p.clone();
        }
        bar.finish_and_clear();
        Ok(History {
            epochs,
            failures,
            stop,
            progress: Progress {
                epochs: done,
                steps,
                gradients,
                curvature_products,
                base_learning_rate: base_lr,
                best,
                since_best,
            },
        })
    }
}
