//! Gaussian likelihoods fitted directly to data (no network): the univariate
//! `N(μ, σ²)` and the multivariate `N(μ, L Lᵀ)` with a Cholesky factor.

mod multivariate;
mod univariate;

pub use multivariate::MultivariateGaussian;
pub use univariate::UnivariateGaussian;
