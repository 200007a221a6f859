//! The engine's integration tests: the derivative table, edge semantics against JAX, property tests and a user-defined primitive.
//!
//! One integration-test crate per package keeps the test build to one link;
//! each module below was its own test file.

mod custom_primitive;
mod derivatives;
mod edges;
mod properties;
mod single_precision;
