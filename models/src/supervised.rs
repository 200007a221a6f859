//! A model, a loss and a data set as one objective of the parameters: the
//! closure form for the engine, the flat form for full-batch solvers, and
//! Gauss-Newton products.

use autodiff::{Scalar, TensorError, TensorOf, VarOf};
use thiserror::Error;

use optim::linop::Damped;
use optim::objective::AutodiffObjective;
use optim::solvers::{Minimizer, Options, Report};

use crate::curvature::{Curvature, ModelCurvature};
use crate::data::Dataset;
use crate::loss::Loss;
use crate::model::Model;
use crate::params::{split_flat, Params};
use crate::step::{rounded_flat, widened_flat, StepError};

/// Why a data set does not fit a model and a loss.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ShapeError {
    /// The features are not what the model takes ([`Model::output_shape`]'s message).
    #[error("{0}")]
    Inputs(String),
    /// The model's outputs and the targets do not fit the loss
    /// ([`Loss::check`]'s message).
    #[error("{0}")]
    Targets(String),
}

/// The regularised empirical risk `L(θ) = loss(model(θ, X), y) + (λ/2)‖θ‖²`
/// of a model on a data set, in the precision `S` of its data (`f64` by
/// default; an `f32` problem is made from `f32` data, [`Dataset::cast`]).
/// Values it returns as plain numbers (losses, accuracies) are `f64`; the
/// parameters and gradients stay in `S`.
///
/// ```
/// use autodiff::check;
/// use models::{data, Activation, Mlp, SoftmaxCrossEntropy, Supervised};
///
/// let mlp = Mlp::new(4).dense(5, Activation::Tanh).dense(3, Activation::Identity);
/// let params = mlp.init(0);
/// let problem = Supervised::new(mlp, SoftmaxCrossEntropy, data::iris().select(&[0, 60, 120]))?.with_l2(1e-2);
/// // The closure form feeds every entry point of the engine...
/// let f = problem.closure();
/// assert!(check::gradient(&f, params.tensors()).max_rel < 1e-6);
/// // ...and the flat form feeds full-batch solvers.
/// let (loss, grad) = problem.flat_value_and_grad(&params, &params.flatten())?;
/// assert_eq!(grad.len(), params.num_values());
/// assert_eq!(loss, autodiff::value(&f, params.tensors()).item());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Supervised<M, L, S: Scalar = f64> {
    model: M,
    loss: L,
    data: Dataset<S>,
    l2: f64,
}

impl<S: Scalar, M: Model<S>, L: Loss<S>> Supervised<M, L, S> {
    /// The unregularised objective of `model` with `loss` on `data`.
    ///
    /// ```
    /// use autodiff::Tensor;
    /// use models::{Activation, Dataset, Mlp, Mse, ShapeError, Supervised, Targets};
    /// let mlp = Mlp::new(3).dense(1, Activation::Identity);
    /// let wide = Dataset::new(Tensor::zeros(&[4, 5]), Targets::Values(Tensor::zeros(&[4, 1])))?;
    /// let err = Supervised::new(mlp.clone(), Mse, wide).unwrap_err();
    /// assert_eq!(err.to_string(), "Mlp expects 3 inputs per row, got 5");
    /// let two = Dataset::new(Tensor::zeros(&[4, 3]), Targets::Values(Tensor::zeros(&[4, 2])))?;
    /// assert!(matches!(Supervised::new(mlp, Mse, two), Err(ShapeError::Targets(_))));
    /// # Ok::<(), models::data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// [`ShapeError`] when the model says the features do not fit it, or
    /// the loss says its targets do not fit the model's outputs (checked
    /// when the model knows its output shape, see [`Model::output_shape`]).
    pub fn new(model: M, loss: L, data: Dataset<S>) -> Result<Supervised<M, L, S>, ShapeError> {
        check_fit(&model, &loss, &data)?;
        Ok(Supervised {
            model,
            loss,
            data,
            l2: 0.0,
        })
    }

    /// Whether `data` (held-out data, say) fits the model and the loss, as
    /// [`Supervised::new`] checks its training data: data that does not
    /// makes [`Supervised::evaluate`] and the other batch methods panic.
    ///
    /// # Errors
    /// As [`Supervised::new`].
    pub fn check(&self, data: &Dataset<S>) -> Result<(), ShapeError> {
        check_fit(&self.model, &self.loss, data)
    }

    /// Adds the penalty `(l2/2) Σ θ²` over every parameter.
    pub fn with_l2(mut self, l2: f64) -> Supervised<M, L, S> {
        self.l2 = l2;
        self
    }

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The loss.
    pub fn loss(&self) -> &L {
        &self.loss
    }

    /// The (training) data.
    pub fn data(&self) -> &Dataset<S> {
        &self.data
    }

    /// The L2 penalty coefficient.
    pub fn l2(&self) -> f64 {
        self.l2
    }

    /// The objective on a minibatch (data loss plus penalty), as a graph.
    ///
    /// # Panics
    /// When `params` is empty or does not fit the model.
    pub fn batch_objective<'t>(&self, params: &[VarOf<'t, S>], batch: &Dataset<S>) -> VarOf<'t, S> {
        let tape = params[0].tape();
        let outputs = self
            .model
            .forward(params, tape.constant(batch.features().clone()));
        let loss = self.loss.loss(outputs, batch.targets());
        if self.l2 == 0.0 {
            return loss;
        }
        let penalty = params
            .iter()
            .map(|p| p.square().sum())
            .reduce(|a, b| a + b)
            .expect("at least one parameter");
        loss + penalty * S::of(0.5 * self.l2)
    }

    /// The full-batch objective as a graph of the parameter vars.
    pub fn objective<'t>(&self, params: &[VarOf<'t, S>]) -> VarOf<'t, S> {
        self.batch_objective(params, &self.data)
    }

    /// The full-batch objective as a closure over the parameter tensors, for
    /// `autodiff::{value_and_grad, hvp, hessian, check}` and solvers taking closures.
    pub fn closure(&self) -> impl for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S> + '_ {
        autodiff::func_of::<S, _>(move |p| self.objective(p))
    }

    /// The full-batch objective as a closure of one flat var `[n]` holding
    /// every parameter (laid out as [`Params::flatten`] of `like`): the form
    /// full-batch solvers over a flat vector take.
    ///
    /// ```
    /// use models::{data, Activation, Mlp, Mse, Supervised};
    /// use optim::objective::AutodiffObjective;
    /// use optim::solvers::{Lbfgs, Minimizer, Options};
    ///
    /// let d = data::diabetes();
    /// let mlp = Mlp::new(10).dense(4, Activation::Tanh).dense(1, Activation::Identity);
    /// let mut params = mlp.init(0);
    /// let problem = Supervised::new(mlp, Mse, d.select(&(0..60).collect::<Vec<_>>()))?;
    /// let objective = AutodiffObjective::new(params.num_values(), problem.flat_closure(&params));
    /// let options = Options { max_iter: 30, ..Options::default() };
    /// let report = Lbfgs::default().minimize(&objective, &params.flatten(), &options);
    /// let before = problem.value_and_grad(params.tensors()).0;
    /// params.set_flat(&report.x)?;
    /// assert!(problem.value_and_grad(params.tensors()).0 < before);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn flat_closure(
        &self,
        like: &Params<S>,
    ) -> impl for<'t> Fn(VarOf<'t, S>) -> VarOf<'t, S> + '_ {
        self.batch_flat_closure(like, &self.data)
    }

    fn batch_flat_closure<'a>(
        &'a self,
        like: &Params<S>,
        batch: &'a Dataset<S>,
    ) -> impl for<'t> Fn(VarOf<'t, S>) -> VarOf<'t, S> + 'a {
        let shapes = like.tensors().to_vec();
        move |x| self.batch_objective(&split_flat(x, &shapes), batch)
    }

    /// Value (widened to `f64`) and gradient of the full-batch objective.
    pub fn value_and_grad(&self, params: &[TensorOf<S>]) -> (f64, Vec<TensorOf<S>>) {
        let (value, grads) = autodiff::value_and_grad(self.closure(), params);
        (value.as_f64(), grads)
    }

    /// Value and gradient at a flat parameter vector laid out like `like`,
    /// in `f64` whatever the model's precision (`x` is rounded to it, the
    /// gradient widened back): the form full-batch solvers take.
    ///
    /// # Errors
    /// When `x` does not hold `like.num_values()` values.
    pub fn flat_value_and_grad(
        &self,
        like: &Params<S>,
        x: &[f64],
    ) -> Result<(f64, Vec<f64>), TensorError> {
        let p = like.with_flat(&rounded_flat(x))?;
        let (value, grads) = self.value_and_grad(p.tensors());
        Ok((value, widened_flat(&grads)))
    }

    /// The model's outputs `[n, k]` for a feature matrix.
    pub fn outputs(&self, params: &[TensorOf<S>], features: &TensorOf<S>) -> TensorOf<S> {
        let x = features.clone();
        autodiff::value(
            move |p| self.model.forward(p, p[0].tape().constant(x.clone())),
            params,
        )
    }

    /// The data loss (without the penalty) and, for classification losses,
    /// the accuracy of the parameters on `data`.
    ///
    /// # Panics
    /// When `data` does not fit the model and loss (see [`Supervised::check`]).
    pub fn evaluate(&self, params: &[TensorOf<S>], data: &Dataset<S>) -> (f64, Option<f64>) {
        let outputs = self.outputs(params, data.features());
        let loss = autodiff::value(
            |o| self.loss.loss(o[0], data.targets()),
            std::slice::from_ref(&outputs),
        );
        (
            loss.item().as_f64(),
            self.loss.accuracy(&outputs, data.targets()),
        )
    }

    /// The objective on a batch (data loss plus penalty) at `params`.
    pub fn objective_value(&self, params: &Params<S>, batch: &Dataset<S>) -> f64 {
        autodiff::value(|p| self.batch_objective(p, batch), params.tensors())
            .item()
            .as_f64()
    }

    /// The curvature `Jᵀ Q J` of the data loss on `batch` at `params`, as a
    /// linear operator over the flattened parameters (the penalty's `l2·I`
    /// is not included: add it to the damping). One forward pass records it;
    /// each product then costs the tangent work of one sweep.
    ///
    /// ```
    /// use models::curvature::Curvature;
    /// use models::{data, Activation, Mlp, SoftmaxCrossEntropy, Supervised};
    /// use optim::curvature::{extreme_eigenpairs, LanczosParams};
    ///
    /// let iris = data::iris();
    /// let mlp = Mlp::new(4).dense(5, Activation::Tanh).dense(3, Activation::Identity);
    /// let params = mlp.init(0);
    /// let problem = Supervised::new(mlp, SoftmaxCrossEntropy, iris.clone())?;
    /// let ggn = problem.curvature(&params, &iris, Curvature::GaussNewton)?;
    /// let top = extreme_eigenpairs(&ggn, 1, &LanczosParams::default());
    /// assert!(top.largest[0].value > 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Curvature::output_matrix`].
    pub fn curvature(
        &self,
        params: &Params<S>,
        batch: &Dataset<S>,
        choice: Curvature,
    ) -> Result<ModelCurvature<S>, StepError> {
        let x = batch.features().clone();
        ModelCurvature::new(
            |p| self.model.forward(p, p[0].tape().constant(x.clone())),
            params.tensors().to_vec(),
            |z| choice.output_matrix(&self.loss, z, batch.targets()),
        )
    }

    /// The curvature of the whole full-batch objective, data loss and
    /// penalty: `Jᵀ Q J + l2·I` ([`Supervised::curvature`] on the training
    /// data, damped by the L2 coefficient).
    ///
    /// # Errors
    /// As [`Curvature::output_matrix`].
    pub fn objective_curvature(
        &self,
        params: &Params<S>,
        choice: Curvature,
    ) -> Result<Damped<ModelCurvature<S>>, StepError> {
        Ok(Damped {
            inner: self.curvature(params, &self.data, choice)?,
            lambda: self.l2,
        })
    }

    /// The full-batch objective as an [`optim`] objective of the flattened
    /// parameters (laid out as [`Params::flatten`] of `like`), evaluated in
    /// the model's precision and read in `f64` (see [`AutodiffObjective`]).
    pub fn flat_objective(
        &self,
        like: &Params<S>,
    ) -> AutodiffObjective<impl for<'t> Fn(VarOf<'t, S>) -> VarOf<'t, S> + '_, S> {
        AutodiffObjective::in_precision(like.num_values(), self.flat_closure(like))
    }

    /// Minimises the full-batch objective from `params` with a solver of
    /// [`optim`], and leaves `params` at the solver's answer: the model to
    /// a flat objective and back in one call. The solver works in `f64`; an
    /// `f32` model's objective is evaluated in `f32` (see
    /// [`Supervised::flat_objective`]) and the answer rounded into `params`.
    ///
    /// ```
    /// use models::{data, Activation, Mlp, Mse, Supervised};
    /// use optim::solvers::{Lbfgs, Options};
    ///
    /// let d = data::diabetes().select(&(0..60).collect::<Vec<_>>());
    /// let mlp = Mlp::new(10).dense(4, Activation::Tanh).dense(1, Activation::Identity);
    /// let mut params = mlp.init(0);
    /// let problem = Supervised::new(mlp, Mse, d.clone())?;
    /// let before = problem.objective_value(&params, &d);
    /// let report = problem.minimize(&Lbfgs::default(), &mut params, &Options { max_iter: 30, ..Options::default() });
    /// assert!(report.f < before && problem.objective_value(&params, &d) == report.f);
    /// # Ok::<(), models::ShapeError>(())
    /// ```
    pub fn minimize(
        &self,
        solver: &dyn Minimizer,
        params: &mut Params<S>,
        options: &Options,
    ) -> Report {
        self.minimize_on(&self.data, solver, params, options)
    }

    /// [`minimize`](Supervised::minimize) on the objective of `batch`.
    pub(crate) fn minimize_on(
        &self,
        batch: &Dataset<S>,
        solver: &dyn Minimizer,
        params: &mut Params<S>,
        options: &Options,
    ) -> Report {
        let objective = AutodiffObjective::in_precision(
            params.num_values(),
            self.batch_flat_closure(params, batch),
        );
        let report = solver.minimize(&objective, &widened_flat(params.tensors()), options);
        params
            .set_flat(&rounded_flat(&report.x))
            .expect("the solver returns a point of the parameters' length");
        report
    }
}

/// [`Supervised::new`]'s check: the model on the features, then the loss on
/// the model's outputs and the targets.
fn check_fit<S: Scalar>(
    model: &impl Model<S>,
    loss: &impl Loss<S>,
    data: &Dataset<S>,
) -> Result<(), ShapeError> {
    let outputs = model
        .output_shape(data.features().shape())
        .map_err(ShapeError::Inputs)?;
    match outputs {
        Some(shape) => loss
            .check(&shape, data.targets())
            .map_err(ShapeError::Targets),
        None => Ok(()),
    }
}
