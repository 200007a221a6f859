//! Models, losses and likelihoods with their curvature, data sets, one
//! training loop for first- and second-order methods, and checkpoints,
//! built on the [`autodiff`] engine.
//!
//! A model is a [`Model`] (an [`Mlp`], or your own `forward` over vars) with
//! its parameters in a [`Params`] (named tensors, flattenable to one vector).
//! A [`Supervised`] problem ties it to a [`Loss`] and a [`Dataset`] and gives
//! the objective in every form the rest of the workspace needs: a graph, a
//! closure `for<'t> Fn(&[Var<'t>]) -> Var<'t>` over the parameter tensors (or
//! over one flat vector) for the engine's `grad`/`hvp`/`hessian` and the
//! full-batch solvers, `(loss, grad)` of a flat vector, and its
//! [`curvature`] as a linear operator. Every [`TrainingMethod`] — the
//! first-order optimizers, the methods of [`second_order`], and `optim`'s
//! solvers through [`FullBatch`] — runs under [`Trainer::fit`]. K-FAC finds
//! the dense layers of any model that computes them with [`dense`].
//!
//! ```
//! use models::{data, Activation, Adam, Control, Mlp, SoftmaxCrossEntropy, Standardizer, Supervised, Trainer};
//!
//! // Real data, standardised with statistics of the training split only.
//! let (train, test) = data::iris().split(0.3, 0)?;
//! let scale = Standardizer::fit(&train);
//! let (train, test) = (scale.apply(&train), scale.apply(&test));
//!
//! let mlp = Mlp::new(4).dense(8, Activation::Tanh).dense(3, Activation::Identity);
//! let mut params = mlp.init(42);
//! let problem = Supervised::new(mlp, SoftmaxCrossEntropy, train)?;
//! let trainer = Trainer { epochs: 40, batch_size: 16, ..Trainer::default() };
//! let history = trainer.fit(&problem, &mut params, &mut Adam::new().lr(1e-2), Some(&test), |_| Control::Continue)?;
//! assert!(history.last().unwrap().test_accuracy.unwrap() > 0.8);
//!
//! // The same objective, as a closure for the engine: exact H·v, checked.
//! let f = problem.closure();
//! let v: Vec<_> = params.tensors().iter().map(|t| autodiff::Tensor::randn(t.shape(), 1)).collect();
//! assert!(autodiff::check::hvp(&f, params.tensors(), &v).max_rel < 1e-5);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]

mod activation;
pub mod checkpoint;
pub mod curvature;
pub mod data;
mod fisher_diagonal;
mod full_batch;
mod init;
mod layers;
pub mod likelihood;
mod loss;
mod mlp;
mod model;
mod optimizers;
mod params;
pub mod second_order;
mod softmax_regression;
mod state;
mod step;
mod supervised;
mod train;

pub use activation::Activation;
pub use data::{Dataset, Standardizer, Targets};
pub use fisher_diagonal::{empirical_fisher_diagonal, sampled_fisher_diagonal};
pub use full_batch::FullBatch;
pub use init::Init;
pub use layers::{dense, dense_layers, linear, DenseUse};
pub use loss::{
    draw_bernoulli, draw_classes, sigmoid, softmax_rows, BceWithLogits, GaussianHead, Loss, Mse,
    SoftmaxCrossEntropy,
};
pub use mlp::{Dense, Mlp};
pub use model::Model;
pub use optim::settings::SettingsError;
pub use optimizers::{AdaGrad, Adam, Optimizer, RmsProp, Schedule, Sgd};
pub use params::{split_flat, Params, ParamsError, MAX_NAME_LEN};
pub use softmax_regression::softmax_regression;
pub use step::{StepError, StepReport, TrainingMethod};
pub use supervised::{ShapeError, Supervised};
pub use train::{
    Control, EarlyStopping, EpochRecord, FailedStep, FitError, History, Progress, ScheduleUnit,
    StopReason, Trainer,
};

/// The README's Rust examples, run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// This crate's README's Rust examples, run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct CrateReadmeDoctests;
