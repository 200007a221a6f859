//! `optim`'s deterministic solvers as a training method.

use autodiff::Scalar;
use optim::solvers::{Minimizer, Options, Status};

use crate::checkpoint::CheckpointError;
use crate::data::Dataset;
use crate::loss::Loss;
use crate::model::Model;
use crate::params::Params;
use crate::state::{MethodState, Resumable};
use crate::step::{StepError, StepReport, TrainingMethod};
use crate::supervised::Supervised;
use optim::settings::{at_least_one, SettingsError};

/// A full-batch solver of [`optim`] (L-BFGS, BFGS, Newton-CG, trust
/// region, ...) as a [`TrainingMethod`]: each step runs up to `iterations`
/// of the solver's iterations on the batch, from the current parameters.
/// Meant for the full training set (a [`crate::Trainer`] with a batch size
/// of at least the set's size), where one step is one epoch.
///
/// NOTE: each step starts the solver afresh, so a quasi-Newton memory or a
/// trust radius does not carry over from one step to the next; choose
/// `iterations` large enough that this does not matter (tens).
///
/// ```
/// use models::{data, Activation, FullBatch, Mlp, SoftmaxCrossEntropy, Supervised, Trainer};
/// use optim::solvers::Lbfgs;
///
/// let iris = data::iris();
/// let mlp = Mlp::new(4).dense(6, Activation::Tanh).dense(3, Activation::Identity);
/// let mut params = mlp.init(0);
/// let problem = Supervised::new(mlp, SoftmaxCrossEntropy, iris.clone())?.with_l2(1e-3);
/// let trainer = Trainer { epochs: 5, batch_size: iris.len(), ..Trainer::default() };
/// let history = trainer.fit(&problem, &mut params, &mut FullBatch::new(Lbfgs::default(), 20), None, |_| optim::solvers::Control::Continue)?;
/// assert!(history.last().unwrap().train_accuracy.unwrap() > 0.95);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct FullBatch<S> {
    solver: S,
    iterations: usize,
}

impl<S: Minimizer> FullBatch<S> {
    /// `solver`, run for up to `iterations` iterations per step.
    pub fn new(solver: S, iterations: usize) -> FullBatch<S> {
        FullBatch { solver, iterations }
    }
}

impl<S: Minimizer> TrainingMethod for FullBatch<S> {
    fn validate(&self) -> Result<(), SettingsError> {
        at_least_one("FullBatch::iterations", self.iterations)
    }

    fn step<T: Scalar, M: Model<T>, L: Loss<T>>(
        &mut self,
        problem: &Supervised<M, L, T>,
        params: &mut Params<T>,
        batch: &Dataset<T>,
    ) -> Result<StepReport, StepError> {
        self.validate()?;
        let loss = problem.objective_value(params, batch);
        if !loss.is_finite() {
            return Err(StepError::NonFinite("the loss"));
        }
        let options = Options {
            gtol: 0.0,
            max_iter: self.iterations,
            ..Options::default()
        };
        let mut moved = params.clone();
        let report = problem.minimize_on(batch, &self.solver, &mut moved, &options);
        if report.status == Status::NonFinite || !report.f.is_finite() {
            return Err(StepError::NonFinite("the solver's run"));
        }
        *params = moved;
        Ok(StepReport {
            loss,
            gradients: report.counts.grad,
            curvature_products: report.counts.hvp + report.counts.hessian * params.num_values(),
            damping: None,
            reduction_ratio: None,
            accepted: report.f < loss,
        })
    }
}

impl<S: Minimizer> Resumable for FullBatch<S> {
    fn kind(&self) -> String {
        "full_batch".to_string()
    }

    /// None: every step starts the solver afresh.
    fn export_state(&self) -> MethodState {
        MethodState::default()
    }

    fn import_state(&mut self, _state: &MethodState) -> Result<(), CheckpointError> {
        Ok(())
    }
}
