//! Box constraints by L-BFGS-B and TRON: a Gaussian fit held at σ ≥ 0.1
//! where the data's spread is about 0.01, and non-negative least squares
//! with its KKT residuals.
//!
//! Run: `cargo run --release -p examples --bin bounded_fits [-- --json]` (`--help` for the options)

use std::process::ExitCode;

use examples::bounded_fits::bounded_fits;
use examples::cli::emit;
use examples::cli::programs::BoundedFitsArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: BoundedFitsArgs, out| emit(out, args.output.json, &bounded_fits()))
}
