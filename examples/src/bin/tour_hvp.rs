//! Tour 6 — Hessian-vector products: exact against finite differences, power
//! iteration for the top eigenvalue, and CG's approximate Newton step.
//!
//! Run: `cargo run --release -p examples --bin tour_hvp [-- --json]`

use examples::cli::{emit, Args};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json"], &[])?;
    emit(&args, &examples::hvp::run())
}
