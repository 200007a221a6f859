//! Second-order training: natural gradient, K-FAC, Hessian-free and Shampoo,
//! each a [`TrainingMethod`](crate::TrainingMethod) for any
//! [`Model`](crate::Model) and any [`Loss`](crate::Loss), so that
//! [`Trainer::fit`](crate::Trainer::fit) drives them like Adam.
//!
//! | method | curvature | solve | reference |
//! |---|---|---|---|
//! | [`NaturalGradient`] | a [`Curvature`](crate::curvature::Curvature) (default: the exact Fisher), damped | dense Cholesky or CG; optional step bound in the Fisher metric | Amari 1998; Schulman et al. 2015 (the bound) |
//! | [`Kfac`] | per registered dense layer `A ⊗ G` (default: Monte-Carlo Fisher) | factored inverses every `T` steps | Martens & Grosse 2015 |
//! | [`HessianFree`] | Gauss-Newton products (or any [`Curvature`](crate::curvature::Curvature)) | Martens' truncated CG | Martens 2010 |
//! | [`Shampoo`] | per tensor `L`, `R` gradient statistics | inverse fourth roots every `T` steps | Gupta, Koren & Singer 2018 |
//!
//! Numerical trouble (a factor that is not positive definite, a NaN) is a
//! [`StepError`](crate::StepError), never a panic, and leaves the
//! parameters unchanged.
//!
//! ```
//! use models::second_order::Kfac;
//! use models::{data, Activation, BceWithLogits, Mlp, Supervised, TrainingMethod};
//!
//! let data = data::linearly_separable(64, 3, 0.2, 0);
//! let mlp = Mlp::new(3).dense(6, Activation::Tanh).dense(1, Activation::Identity);
//! let mut params = mlp.init(0);
//! let problem = Supervised::new(mlp, BceWithLogits, data.clone())?;
//! let mut kfac = Kfac::default();
//! let before = problem.objective_value(&params, &data);
//! for _ in 0..10 {
//!     kfac.step(&problem, &mut params, &data)?;
//! }
//! assert!(problem.objective_value(&params, &data) < 0.5 * before);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod hessian_free;
mod kfac;
mod natural_gradient;
mod shampoo;
mod statistics;
mod vectors;

pub use hessian_free::{HessianFree, HessianFreeConfig, Preconditioner};
pub use kfac::{FactorDamping, FactorScale, Fallback, Kfac, KfacConfig, StepRule};
pub use natural_gradient::{NaturalGradient, NaturalStep, Solver};
pub use shampoo::{inverse_root, Shampoo};
