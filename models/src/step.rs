//! One stepping interface for every training method — the first-order
//! optimizers, Shampoo, K-FAC, natural gradient, Hessian-free and `optim`'s
//! full-batch solvers — so that [`crate::Trainer::fit`] drives any of them.

use autodiff::{Scalar, Tensor, TensorOf};
use thiserror::Error;

use crate::data::Dataset;
use crate::loss::Loss;
use crate::model::Model;
use crate::optimizers::Optimizer;
use crate::params::Params;
use crate::supervised::Supervised;
use optim::settings::SettingsError;

/// Why a step could not be taken. The parameters are left as they were.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum StepError {
    /// A matrix that must be positive definite (a damped Fisher, a
    /// Kronecker factor, a quadratic model) is not, numerically.
    #[error("{0} is not positive definite (add damping)")]
    NotPositiveDefinite(&'static str),
    /// A NaN or infinity appeared in a loss, gradient, curvature product or update.
    #[error("non-finite value in {0}")]
    NonFinite(&'static str),
    /// The loss lacks what the chosen curvature needs (an exact Fisher, a
    /// sampler), or a setting cannot work.
    #[error("{0}")]
    Unsupported(String),
    /// The model's outputs and the targets do not fit the loss.
    #[error("{0}")]
    Mismatch(String),
    /// A setting cannot work (the same check [`crate::Trainer::fit`] runs
    /// before the first step; a step taken directly runs it too).
    #[error(transparent)]
    Settings(#[from] SettingsError),
}

/// What one step did.
#[derive(Clone, Debug, PartialEq)]
pub struct StepReport {
    /// The batch objective (data loss plus penalty) before the step.
    pub loss: f64,
    /// Gradient evaluations (reverse sweeps at the observed targets) spent.
    pub gradients: usize,
    /// Curvature-vector products (Gauss-Newton, Fisher or Hessian) spent,
    /// a batch of `K` products counting `K`.
    pub curvature_products: usize,
    /// The damping after the step, for methods that adapt one.
    pub damping: Option<f64>,
    /// Actual over predicted reduction, where the method measured it.
    pub reduction_ratio: Option<f64>,
    /// Whether the parameters moved (Hessian-free rejects steps that do not
    /// lower the objective).
    pub accepted: bool,
}

impl StepReport {
    /// A step that spent one gradient and moved the parameters.
    pub fn first_order(loss: f64) -> StepReport {
        StepReport {
            loss,
            gradients: 1,
            curvature_products: 0,
            damping: None,
            reduction_ratio: None,
            accepted: true,
        }
    }
}

/// A training method: one update of `params` from a batch of `problem`.
///
/// ```
/// use models::{data, Activation, Adam, Mlp, SoftmaxCrossEntropy, Supervised, TrainingMethod};
/// use models::second_order::Kfac;
///
/// let iris = data::iris();
/// let mlp = Mlp::new(4).dense(8, Activation::Tanh).dense(3, Activation::Identity);
/// let problem = Supervised::new(mlp.clone(), SoftmaxCrossEntropy, iris.clone())?;
/// // The same call steps a first-order optimizer and K-FAC.
/// let (mut p, mut q) = (mlp.init(0), mlp.init(0));
/// let before = problem.objective_value(&p, &iris);
/// let (mut adam, mut kfac) = (Adam::new().lr(1e-2), Kfac::default());
/// for _ in 0..5 {
///     adam.step(&problem, &mut p, &iris)?;
///     kfac.step(&problem, &mut q, &iris)?;
/// }
/// assert!(problem.objective_value(&p, &iris) < before && problem.objective_value(&q, &iris) < before);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A method steps models of either precision `S` (`f64` or `f32`): the
/// heavy work — forward, reverse and curvature sweeps, K-FAC's batch
/// statistics — runs in `S`; a method's own small state (moments, Kronecker
/// factors and their inverses, conjugate-gradient vectors) is kept in
/// `f64`, and updates are rounded to `S` once, when they are added to the
/// parameters.
pub trait TrainingMethod {
    /// One step on `batch` (the full training set or a minibatch of it).
    ///
    /// # Errors
    /// [`StepError`] when the step cannot be taken (among them
    /// [`StepError::Settings`] when [`TrainingMethod::validate`] fails); the
    /// parameters are then unchanged.
    fn step<S: Scalar, M: Model<S>, L: Loss<S>>(
        &mut self,
        problem: &Supervised<M, L, S>,
        params: &mut Params<S>,
        batch: &Dataset<S>,
    ) -> Result<StepReport, StepError>;

    /// Checks the settings; [`crate::Trainer::fit`] calls this before the
    /// first step. Methods without settings keep this default.
    ///
    /// # Errors
    /// [`SettingsError`] naming the first setting that cannot work.
    fn validate(&self) -> Result<(), SettingsError> {
        Ok(())
    }

    /// The learning rate a schedule scales, for methods that have one.
    fn learning_rate(&self) -> Option<f64> {
        None
    }

    /// Sets the learning rate (a schedule calls this); ignored by methods without one.
    fn set_learning_rate(&mut self, _lr: f64) {}
}

/// The batch objective (data loss plus penalty) and its gradient.
///
/// # Errors
/// [`StepError::NonFinite`] when either holds a NaN or an infinity.
pub(crate) fn batch_value_and_grad<S: Scalar, M: Model<S>, L: Loss<S>>(
    problem: &Supervised<M, L, S>,
    params: &Params<S>,
    batch: &Dataset<S>,
) -> Result<(f64, Vec<TensorOf<S>>), StepError> {
    let (loss, grads) =
        autodiff::value_and_grad(|p| problem.batch_objective(p, batch), params.tensors());
    let loss = loss.as_f64();
    ensure_finite(loss, &grads)?;
    Ok((loss, grads))
}

/// [`StepError::NonFinite`] unless the loss and every gradient entry are finite.
pub(crate) fn ensure_finite<S: Scalar>(loss: f64, grads: &[TensorOf<S>]) -> Result<(), StepError> {
    let finite = loss.is_finite() && grads.iter().all(|g| g.data().iter().all(|x| x.is_finite()));
    if finite {
        Ok(())
    } else {
        Err(StepError::NonFinite("the loss or its gradient"))
    }
}

/// Tensors of any precision as `f64` tensors (exact).
pub(crate) fn widened<S: Scalar>(xs: &[TensorOf<S>]) -> Vec<Tensor> {
    xs.iter().map(TensorOf::cast).collect()
}

/// Tensors' values in one flat `f64` vector (widening is exact).
pub(crate) fn widened_flat<S: Scalar>(xs: &[TensorOf<S>]) -> Vec<f64> {
    autodiff::flatten(xs)
        .into_iter()
        .map(Scalar::as_f64)
        .collect()
}

/// A flat `f64` vector rounded to `S`.
pub(crate) fn rounded_flat<S: Scalar>(x: &[f64]) -> Vec<S> {
    x.iter().map(|&e| S::of(e)).collect()
}

impl<O: Optimizer> TrainingMethod for O {
    fn step<S: Scalar, M: Model<S>, L: Loss<S>>(
        &mut self,
        problem: &Supervised<M, L, S>,
        params: &mut Params<S>,
        batch: &Dataset<S>,
    ) -> Result<StepReport, StepError> {
        Optimizer::validate(self)?;
        let (loss, grads) = batch_value_and_grad(problem, params, batch)?;
        self.update(params.tensors_mut(), &grads);
        Ok(StepReport::first_order(loss))
    }

    fn validate(&self) -> Result<(), SettingsError> {
        Optimizer::validate(self)
    }

    fn learning_rate(&self) -> Option<f64> {
        Some(Optimizer::learning_rate(self))
    }

    fn set_learning_rate(&mut self, lr: f64) {
        Optimizer::set_learning_rate(self, lr);
    }
}
