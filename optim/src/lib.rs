//! Solvers and curvature tools built on exact Hessian-vector products.
//!
//! An [`objective::Objective`] gives value, gradient and H·v of a function of
//! a flat vector; any closure over an autodiff `Var` becomes one with
//! [`objective::AutodiffObjective`]. The [`solvers`] minimise it; the
//! [`curvature`] operators and tools look at its curvature; [`cg`] solves
//! with any [`linop::LinearOperator`].
//!
//! ```
//! use optim::objective::AutodiffObjective;
//! use optim::solvers::{Minimizer, NewtonCg, Options};
//! // Rosenbrock in two variables, derivatives from the engine.
//! let f = AutodiffObjective::new(2, |x| {
//!     let (a, b) = (x.slice(0, 0, 1), x.slice(0, 1, 2));
//!     ((b - a.square()).square() * 100.0 + (1.0 - a).square()).sum()
//! });
//! let report = NewtonCg::default().minimize(&f, &[-1.2, 1.0], &Options::default());
//! assert!(report.status.is_converged());
//! assert!((report.x[0] - 1.0).abs() < 1e-6 && (report.x[1] - 1.0).abs() < 1e-6);
//! ```

#![deny(missing_docs)]

pub mod bounds;
pub mod cg;
pub mod curvature;
pub mod line_search;
pub mod linop;
pub mod objective;
pub mod problems;
pub mod settings;
pub mod solvers;
