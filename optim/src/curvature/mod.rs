//! Curvature operators (Hessian, Gauss-Newton, Fisher) and spectral tools.
//!
//! The operators implement [`LinearOperator`](crate::linop::LinearOperator)
//! over the parameters flattened into one vector ([`autodiff::flatten`]):
//!
//! - [`HessianOperator`]: exact `H·v` by forward-over-reverse sweeps;
//!   `apply_block` sends `K` directions through one sweep.
//! - The Gauss-Newton and Fisher matrices of a model and a loss are built
//!   on [`HessianOperator`]'s machinery in the `models` crate
//!   (`models::curvature`), which knows about losses; this crate does not.
//! - [`FiniteDifferenceHessian`]: central differences of the gradient, to
//!   compare with the exact product.
//! - Damping and dense matrices come from [`crate::linop`]
//!   ([`Damped`](crate::linop::Damped), [`DenseMatrix`](crate::linop::DenseMatrix)).
//!
//! The tools take any operator: [`power_iteration`] and [`top_eigenpairs`],
//! [`extreme_eigenpairs`] (Lanczos), [`hutchinson`] and [`hutch_plus_plus`]
//! trace estimates, [`spectral_density`] (stochastic Lanczos quadrature) and
//! [`condition_number`], the diagonal exactly ([`exact_diagonal`]) or
//! estimated from probes ([`diagonal_estimate`]), and the randomized
//! Nyström approximation ([`NystromSketch`]) with its preconditioner for CG
//! on damped systems. Solve with the operators by
//! [`conjugate_gradient`](crate::cg::conjugate_gradient).
//!
//! ```
//! use autodiff::Tensor;
//! use optim::curvature::{extreme_eigenpairs, HessianOperator, LanczosParams};
//! // f(x) = Σ_i i x_i² / 2 has Hessian diag(1, 2, ..., 20).
//! let weights = Tensor::from_fn(&[20], |i| (i + 1) as f64);
//! let f = autodiff::func(|x| (x[0].square() * x[0].tape().constant(weights.clone())).sum() * 0.5);
//! let h = HessianOperator::new(f, vec![Tensor::zeros(&[20])]);
//! let info = extreme_eigenpairs(&h, 1, &LanczosParams::default());
//! assert!((info.largest[0].value - 20.0).abs() < 1e-8 && (info.smallest[0].value - 1.0).abs() < 1e-8);
//! ```

mod condition;
mod density;
mod diagonal;
mod finite_difference;
mod hessian;
mod lanczos;
mod lanes;
mod nystrom;
mod power;
mod trace;
mod vectors;

pub use condition::{condition_number, ConditionEstimate};
pub use density::{spectral_density, DensityParams, SpectralDensity};
pub use diagonal::{diagonal_estimate, exact_diagonal, DiagonalEstimate};
pub use finite_difference::FiniteDifferenceHessian;
pub use hessian::HessianOperator;
pub use lanczos::{
    extreme_eigenpairs, LanczosInfo, LanczosParams, LanczosStatus, RitzPair, SpectrumEnd,
};
pub use nystrom::{NystromError, NystromParams, NystromPreconditioner, NystromSketch};
pub use power::{power_iteration, top_eigenpairs, PowerInfo, PowerParams, PowerStatus};
pub use trace::{hutch_plus_plus, hutchinson, TraceEstimate, TraceParams};
