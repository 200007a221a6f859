//! Tour 1 — why gradient descent struggles on an ill-conditioned quadratic,
//! and how heavy-ball momentum changes the scaling from O(κ) to O(√κ).
//!
//! Run: `cargo run --release -p examples --bin tour_gradient_descent [-- --json]`

use examples::cli::{emit, Args};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json"], &[])?;
    emit(&args, &examples::gradient_descent::run())
}
