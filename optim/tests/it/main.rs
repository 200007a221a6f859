//! The solvers' and curvature tools' integration tests, in one test binary (one link instead of one per file).
//!
//! One integration-test crate per package keeps the test build to one link;
//! each module below was its own test file.

mod bounds;
mod curvature_cg;
mod curvature_diagonal;
mod curvature_nystrom;
mod curvature_spectral;
mod curvature_support;
mod curvature_trace;
mod solver_properties;
mod solvers_behaviour;
mod solvers_far_starts;
mod solvers_problems;
mod solvers_settings;
mod solvers_statuses;
mod solvers_table;
