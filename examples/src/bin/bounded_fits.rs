//! Box constraints by L-BFGS-B and TRON: a Gaussian fit held at σ ≥ 0.1
//! where the data's spread is about 0.01, and non-negative least squares
//! with its KKT residuals.
//!
//! Run: `cargo run --release -p examples --bin bounded_fits [-- --json]`

use examples::bounded_fits::bounded_fits;
use examples::cli::{emit, Args};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json"], &[])?;
    emit(&args, &bounded_fits())
}
