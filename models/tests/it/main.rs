//! The models crate's integration tests: data, losses, training, second-order methods and checkpoints, in one test binary.
//!
//! One integration-test crate per package keeps the test build to one link;
//! each module below was its own test file.

mod bad_input;
mod checkpoint;
mod checkpoint_precision;
mod common;
mod convex_reference;
#[path = "../../../optim/tests/it/curvature_support/mod.rs"]
mod curvature_support;
mod custom_model;
mod data;
mod derivatives;
mod fisher_diagonal;
mod kfac_seed;
mod likelihoods;
mod model_curvature;
mod monte_carlo_fisher;
mod optimizers;
mod resume;
mod robustness;
mod second_order_classic;
mod second_order_hessian_free;
mod second_order_kfac;
mod second_order_natural_gradient;
mod second_order_shampoo;
mod settings;
mod single_precision;
mod training;
mod wine;
