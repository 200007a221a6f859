//! Minimisers, one file per algorithm.
//!
//! Every solver implements [`Minimizer`]: it takes any [`Objective`](crate::objective::Objective),
//! a start point and [`Options`], and returns a [`Report`] with the point
//! found, the evaluation counts and the reason it stopped. Numerical trouble
//! (NaN, a failed line search, a non-descent direction) is a [`Status`],
//! never a panic, and the report then holds the best point seen.
//!
//! ```
//! use optim::objective::AutodiffObjective;
//! use optim::solvers::{Lbfgs, Minimizer, Options, Status};
//! // Rosenbrock's function from the standard start.
//! let f = AutodiffObjective::new(2, |x| {
//!     let (a, b) = (x.slice(0, 0, 1), x.slice(0, 1, 2));
//!     ((b - a.square()).square() * 100.0 + (1.0 - a).square()).sum()
//! });
//! let report = Lbfgs::default().minimize(&f, &[-1.2, 1.0], &Options::default());
//! assert_eq!(report.status, Status::GradientTolerance);
//! assert!((report.x[0] - 1.0).abs() < 1e-6 && (report.x[1] - 1.0).abs() < 1e-6);
//! ```

mod bfgs;
mod cauchy;
mod compact;
mod curvature_check;
mod gradient_descent;
mod lbfgs;
mod lbfgsb;
mod momentum;
mod newton;
mod newton_cg;
mod region;
mod run;
mod tron;
mod trust_exact;
mod trust_region;

pub use bfgs::Bfgs;
pub use gradient_descent::{GradientDescent, StepRule};
pub use lbfgs::Lbfgs;
pub use lbfgsb::Lbfgsb;
pub use momentum::{Momentum, MomentumKind};
pub use newton::Newton;
pub use newton_cg::NewtonCg;
pub use region::TrustRadius;
pub use run::{Control, IterState, Minimizer, Observer, Options, Report, Status};
pub use tron::Tron;
pub use trust_exact::TrustRegionExact;
pub use trust_region::TrustRegion;
