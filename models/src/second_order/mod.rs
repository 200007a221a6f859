//! Second-order training: natural gradient, K-FAC, Hessian-free and Shampoo.
//!
//! | method | curvature | solve | reference |
//! |---|---|---|---|
//! | [`NaturalGradient`] | Fisher (exact, Monte-Carlo or empirical), damped | dense Cholesky or CG; optional step bound in the Fisher metric | Amari 1998; Schulman et al. 2015 (the bound) |
//! | [`Kfac`] | per layer `A ⊗ G` from activations and pre-activation gradients | factored inverses every `T` steps | Martens & Grosse 2015 |
//! | [`HessianFree`] | Gauss-Newton products | Martens' truncated CG | Martens 2010 |
//! | [`Shampoo`] | per tensor `L`, `R` gradient statistics | inverse fourth roots every `T` steps | Gupta, Koren & Singer 2018 |
//!
//! The curvature products come from [`optim::curvature::ModelCurvature`]
//! (through [`OutputLikelihood`], which names the likelihood each loss is the
//! negative logarithm of); per-layer statistics come from
//! [`Mlp::forward_traced`](crate::Mlp::forward_traced). Numerical trouble (a
//! factor that is not positive definite, a NaN) is a [`Trouble`], never a panic.
//!
//! ```
//! use models::second_order::{Kfac, KfacParams};
//! use models::{data, Activation, BceWithLogits, Mlp, Supervised};
//!
//! let data = data::linearly_separable(64, 3, 0.2, 0);
//! let mlp = Mlp::new(3).dense(6, Activation::Tanh).dense(1, Activation::Identity);
//! let mut params = mlp.init(0);
//! let problem = Supervised::new(mlp.clone(), BceWithLogits, data.clone());
//! let mut kfac = Kfac::new(&mlp, KfacParams::default());
//! let before = problem.value_and_grad(params.tensors()).0;
//! for _ in 0..10 {
//!     kfac.step(&problem, &mut params, &data)?;
//! }
//! assert!(problem.value_and_grad(params.tensors()).0 < 0.5 * before);
//! # Ok::<(), models::second_order::Trouble>(())
//! ```

mod hessian_free;
mod kfac;
mod natural_gradient;
mod output_likelihood;
mod shampoo;
mod statistics;

pub use hessian_free::{HessianFree, HessianFreeParams, HfStep};
pub use kfac::{Kfac, KfacParams, KfacStep, StepRule};
pub use natural_gradient::{FisherKind, NaturalGradient, NgStep, Solver};
pub use output_likelihood::OutputLikelihood;
pub use shampoo::{inverse_root, Shampoo};
pub use statistics::{layer_statistics, LayerStatistics, StatisticsTargets, Traced};

use thiserror::Error;

/// Why a second-order step could not be taken. The parameters are left as
/// they were.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum Trouble {
    /// A curvature matrix (damped Fisher, Kronecker factor) that must be
    /// positive definite is not, numerically.
    #[error("{0} is not positive definite (add damping)")]
    NotPositiveDefinite(&'static str),
    /// A NaN or infinity appeared in a loss, gradient or curvature product.
    #[error("non-finite value in {0}")]
    NonFinite(&'static str),
    /// The loss or targets do not fit the curvature operator.
    #[error("the loss does not fit the curvature operator: {0}")]
    Incompatible(String),
}
