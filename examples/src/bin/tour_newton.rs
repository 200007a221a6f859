//! Tour 2 — Newton's method: one step solves a quadratic; on Rosenbrock the
//! plain iteration against a line search and a trust region, with the paths.
//!
//! Run: `cargo run --release -p examples --bin tour_newton [-- --json]`

use examples::cli::{emit, Args};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json"], &[])?;
    emit(&args, &examples::newton::run())
}
