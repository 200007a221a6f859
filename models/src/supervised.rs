//! A model, a loss and a data set as one objective of the parameters: the
//! closure form for the engine, the flat form for full-batch solvers, and
//! Gauss-Newton products.

use autodiff::{Tensor, TensorError, Var};

use optim::linop::Damped;
use optim::objective::AutodiffObjective;
use optim::solvers::{Minimizer, Options, Report};

use crate::curvature::{Curvature, ModelCurvature};
use crate::data::Dataset;
use crate::loss::Loss;
use crate::model::Model;
use crate::params::{split_flat, Params};
use crate::step::StepError;

/// The regularised empirical risk `L(θ) = loss(model(θ, X), y) + (λ/2)‖θ‖²`
/// of a model on a data set.
///
/// ```
/// use autodiff::check;
/// use models::{data, Activation, Mlp, SoftmaxCrossEntropy, Supervised};
///
/// let mlp = Mlp::new(4).dense(5, Activation::Tanh).dense(3, Activation::Identity);
/// let params = mlp.init(0);
/// let problem = Supervised::new(mlp, SoftmaxCrossEntropy, data::iris().select(&[0, 60, 120])).with_l2(1e-2);
/// // The closure form feeds every entry point of the engine...
/// let f = problem.closure();
/// assert!(check::gradient(&f, params.tensors()).max_rel < 1e-6);
/// // ...and the flat form feeds full-batch solvers.
/// let (loss, grad) = problem.flat_value_and_grad(&params, &params.flatten())?;
/// assert_eq!(grad.len(), params.num_values());
/// assert_eq!(loss, autodiff::value(&f, params.tensors()).item());
/// # Ok::<(), autodiff::TensorError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Supervised<M, L> {
    model: M,
    loss: L,
    data: Dataset,
    l2: f64,
}

impl<M: Model, L: Loss> Supervised<M, L> {
    /// The unregularised objective of `model` with `loss` on `data`.
    pub fn new(model: M, loss: L, data: Dataset) -> Supervised<M, L> {
        Supervised {
            model,
            loss,
            data,
            l2: 0.0,
        }
    }

    /// Adds the penalty `(l2/2) Σ θ²` over every parameter.
    pub fn with_l2(mut self, l2: f64) -> Supervised<M, L> {
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
    pub fn data(&self) -> &Dataset {
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
    pub fn batch_objective<'t>(&self, params: &[Var<'t>], batch: &Dataset) -> Var<'t> {
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
        loss + penalty * (0.5 * self.l2)
    }

    /// The full-batch objective as a graph of the parameter vars.
    pub fn objective<'t>(&self, params: &[Var<'t>]) -> Var<'t> {
        self.batch_objective(params, &self.data)
    }

    /// The full-batch objective as a closure over the parameter tensors, for
    /// `autodiff::{value_and_grad, hvp, hessian, check}` and solvers taking closures.
    pub fn closure(&self) -> impl for<'t> Fn(&[Var<'t>]) -> Var<'t> + '_ {
        autodiff::func(move |p| self.objective(p))
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
    /// let problem = Supervised::new(mlp, Mse, d.select(&(0..60).collect::<Vec<_>>()));
    /// let objective = AutodiffObjective::new(params.num_values(), problem.flat_closure(&params));
    /// let options = Options { max_iter: 30, ..Options::default() };
    /// let report = Lbfgs::default().minimize(&objective, &params.flatten(), &options);
    /// let before = problem.value_and_grad(params.tensors()).0;
    /// params.set_flat(&report.x)?;
    /// assert!(problem.value_and_grad(params.tensors()).0 < before);
    /// # Ok::<(), autodiff::TensorError>(())
    /// ```
    pub fn flat_closure(&self, like: &Params) -> impl for<'t> Fn(Var<'t>) -> Var<'t> + '_ {
        self.batch_flat_closure(like, &self.data)
    }

    fn batch_flat_closure<'a>(
        &'a self,
        like: &Params,
        batch: &'a Dataset,
    ) -> impl for<'t> Fn(Var<'t>) -> Var<'t> + 'a {
        let shapes = like.tensors().to_vec();
        move |x| self.batch_objective(&split_flat(x, &shapes), batch)
    }

    /// Value and gradient of the full-batch objective.
    pub fn value_and_grad(&self, params: &[Tensor]) -> (f64, Vec<Tensor>) {
        autodiff::value_and_grad(self.closure(), params)
    }

    /// Value and gradient at a flat parameter vector laid out like `like`.
    ///
    /// # Errors
    /// When `x` does not hold `like.num_values()` values.
    pub fn flat_value_and_grad(
        &self,
        like: &Params,
        x: &[f64],
    ) -> Result<(f64, Vec<f64>), TensorError> {
        let p = like.with_flat(x)?;
        let (value, grads) = self.value_and_grad(p.tensors());
        Ok((value, autodiff::flatten(&grads)))
    }

    /// The model's outputs `[n, k]` for a feature matrix.
    pub fn outputs(&self, params: &[Tensor], features: &Tensor) -> Tensor {
        let x = features.clone();
        autodiff::value(
            move |p| self.model.forward(p, p[0].tape().constant(x.clone())),
            params,
        )
    }

    /// The data loss (without the penalty) and, for classification losses,
    /// the accuracy of the parameters on `data`.
    pub fn evaluate(&self, params: &[Tensor], data: &Dataset) -> (f64, Option<f64>) {
        let outputs = self.outputs(params, data.features());
        let loss = autodiff::value(
            |o| self.loss.loss(o[0], data.targets()),
            std::slice::from_ref(&outputs),
        );
        (loss.item(), self.loss.accuracy(&outputs, data.targets()))
    }

    /// The objective on a batch (data loss plus penalty) at `params`.
    pub fn objective_value(&self, params: &Params, batch: &Dataset) -> f64 {
        autodiff::value(|p| self.batch_objective(p, batch), params.tensors()).item()
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
    /// let problem = Supervised::new(mlp, SoftmaxCrossEntropy, iris.clone());
    /// let ggn = problem.curvature(&params, &iris, Curvature::GaussNewton)?;
    /// let top = extreme_eigenpairs(&ggn, 1, &LanczosParams::default());
    /// assert!(top.largest[0].value > 0.0);
    /// # Ok::<(), models::StepError>(())
    /// ```
    ///
    /// # Errors
    /// As [`Curvature::output_matrix`].
    pub fn curvature(
        &self,
        params: &Params,
        batch: &Dataset,
        choice: Curvature,
    ) -> Result<ModelCurvature, StepError> {
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
        params: &Params,
        choice: Curvature,
    ) -> Result<Damped<ModelCurvature>, StepError> {
        Ok(Damped {
            inner: self.curvature(params, &self.data, choice)?,
            lambda: self.l2,
        })
    }

    /// The full-batch objective as an [`optim`] objective of the flattened
    /// parameters (laid out as [`Params::flatten`] of `like`).
    pub fn flat_objective(
        &self,
        like: &Params,
    ) -> AutodiffObjective<impl for<'t> Fn(Var<'t>) -> Var<'t> + '_> {
        AutodiffObjective::new(like.num_values(), self.flat_closure(like))
    }

    /// Minimises the full-batch objective from `params` with a solver of
    /// [`optim`], and leaves `params` at the solver's answer: the model to
    /// a flat objective and back in one call.
    ///
    /// ```
    /// use models::{data, Activation, Mlp, Mse, Supervised};
    /// use optim::solvers::{Lbfgs, Options};
    ///
    /// let d = data::diabetes().select(&(0..60).collect::<Vec<_>>());
    /// let mlp = Mlp::new(10).dense(4, Activation::Tanh).dense(1, Activation::Identity);
    /// let mut params = mlp.init(0);
    /// let problem = Supervised::new(mlp, Mse, d.clone());
    /// let before = problem.objective_value(&params, &d);
    /// let report = problem.minimize(&Lbfgs::default(), &mut params, &Options { max_iter: 30, ..Options::default() });
    /// assert!(report.f < before && problem.objective_value(&params, &d) == report.f);
    /// ```
    pub fn minimize(
        &self,
        solver: &dyn Minimizer,
        params: &mut Params,
        options: &Options,
    ) -> Report {
        self.minimize_on(&self.data, solver, params, options)
    }

    /// [`minimize`](Supervised::minimize) on the objective of `batch`.
    pub(crate) fn minimize_on(
        &self,
        batch: &Dataset,
        solver: &dyn Minimizer,
        params: &mut Params,
        options: &Options,
    ) -> Report {
        let objective =
            AutodiffObjective::new(params.num_values(), self.batch_flat_closure(params, batch));
        let report = solver.minimize(&objective, &params.flatten(), options);
        params
            .set_flat(&report.x)
            .expect("the solver returns a point of the parameters' length");
        report
    }
}
