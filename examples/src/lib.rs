//! The library behind the teaching examples: each `tour_*` program is a thin
//! `main` over one function here that returns its figures, so the flagship
//! `tour` and the tests call the very same code.
//!
//! | module | program | idea |
//! |---|---|---|
//! | [`gradient_descent`] | `tour_gradient_descent` | why plain gradient descent struggles, and momentum |
//! | [`newton`] | `tour_newton` | Newton's method, plain and safeguarded |
//! | [`quasi_newton`] | `tour_quasi_newton` | BFGS, L-BFGS, and what the line search is for |
//! | [`natural_gradient`] | `tour_natural_gradient` | natural gradient on a Gaussian fit |
//! | [`kfac`] | `tour_kfac`, `kfac_classic` | K-FAC against SGD and Adam on a small MLP; the seed article's variant |
//! | [`kfac_budget`] | `kfac_vs_adam` | K-FAC against Adam on red wine by CPU time, and held-out loss with L2 |
//! | [`hvp`] | `tour_hvp` | exact H·v, power iteration, CG's Newton step |
//! | [`landscape`] | `tour_landscape` | every solver on one problem: cost per step, steps, time |
//! | [`arena`] | `arena` | trajectories of every optimizer on a 2-D function, as SVG |
//! | [`curvature_viz`] | `curvature_viz` | local quadratic models and the Hessian spectrum, as SVG |
//! | [`nystrom_pcg`] | `nystrom_pcg` | Nyström-preconditioned CG against CG on damped curvature systems |
//! | [`adam_diagonal`] | `tour_adam_diagonal` | is Adam a diagonal second-order method? its `v̂` against the curvature diagonals |
//! | [`bounded_fits`] | `bounded_fits` | box constraints: a Gaussian fit with σ ≥ 0.1 and non-negative least squares, by L-BFGS-B and TRON |
//! | [`playground`] | `playground` | the arena and the curvature visualizer as an interactive page |
//!
//! The flagship `tour` condenses tours 1–4, 6 and the Adam-diagonal tour from the same functions.
//!
//! Shared pieces: [`cli`] (every program's arguments as a `clap` struct,
//! checked before any work; `--help`, `--json`), [`runs`] (running a solver
//! to a gradient tolerance), [`adam_steps`] (Adam from `models` as a solver), [`mlp_task`] (the 5-8-1 network and its data),
//! [`contour`] (marching squares) and [`svg`] (atomic writes, clipping).

pub mod adam_diagonal;
pub mod adam_steps;
pub mod arena;
pub mod bounded_fits;
pub mod cli;
pub mod contour;
pub mod curvature_viz;
pub mod gradient_descent;
pub mod hvp;
pub mod kfac;
pub mod kfac_budget;
pub mod landscape;
pub mod mlp_task;
pub mod natural_gradient;
pub mod newton;
pub mod nystrom_pcg;
pub mod playground;
pub mod precision;
pub mod quasi_newton;
pub mod runs;
pub mod svg;
