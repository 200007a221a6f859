//! A model, a loss and a data set as one objective of the parameters: the
//! closure form for the engine, the flat form for full-batch solvers, and
//! Gauss-Newton products.

use autodiff::{Tensor, TensorError, Var};

use crate::data::Dataset;
use crate::loss::Loss;
use crate::model::Model;
use crate::params::{split_flat, Params};

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
        let shapes = like.tensors().to_vec();
        move |x| self.objective(&split_flat(x, &shapes))
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

    /// The generalised Gauss-Newton product `(Jᵀ H J + λ I) v` on the full
    /// batch, with `J` the Jacobian of the outputs in the parameters and `H`
    /// the loss's output-space curvature ([`Loss::curvature_vp`]): one jvp,
    /// one curvature product, one vjp. Positive semi-definite whatever `θ`.
    /// Since every [`Loss`] here reports its Fisher in output space, this is
    /// also the exact Fisher-vector product of the model's predictive
    /// distribution (plus the penalty's `λ v`).
    pub fn gauss_newton_vp(&self, params: &[Tensor], v: &[Tensor]) -> Vec<Tensor> {
        let x = self.data.features().clone();
        let net = autodiff::func(move |p| self.model.forward(p, p[0].tape().constant(x.clone())));
        let (outputs, jv) = autodiff::jvp(&net, params, v);
        let hjv = self.loss.curvature_vp(&outputs, &jv);
        let (_, jt) = autodiff::vjp(&net, params, &hjv);
        jt.iter()
            .zip(v)
            .map(|(g, d)| Tensor::from_fn(g.shape(), |i| g.data()[i] + self.l2 * d.data()[i]))
            .collect()
    }
}
