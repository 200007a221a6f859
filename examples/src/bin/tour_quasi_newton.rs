//! Tour 3 — quasi-Newton: BFGS and L-BFGS on a 10-dimensional quadratic
//! with condition number 1000, and the bare two-loop recursion with unit
//! steps, to show what the line search is for.
//!
//! Run: `cargo run --release -p examples --bin tour_quasi_newton [-- --json]`

use examples::cli::{emit, Args};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json"], &[])?;
    emit(&args, &examples::quasi_newton::run())
}
