//! Tour 4 — natural gradient: fitting a Gaussian by gradient descent and by
//! natural gradient (Fisher-preconditioned), next to the maximum-likelihood answer.
//!
//! Run: `cargo run --release -p examples --bin tour_natural_gradient [-- --json]`

use examples::cli::{emit, Args};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json"], &[])?;
    emit(&args, &examples::natural_gradient::run())
}
