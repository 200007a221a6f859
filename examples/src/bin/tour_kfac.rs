//! Tour 5 — K-FAC: Kronecker-factored curvature on a small MLP, next to SGD
//! and Adam with the same number of steps.
//!
//! Run: `cargo run --release -p examples --bin tour_kfac [-- --json]`

use examples::cli::{emit, Args};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json"], &[])?;
    emit(&args, &examples::kfac::run()?)
}
