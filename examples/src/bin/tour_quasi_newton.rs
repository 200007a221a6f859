//! Tour 3 — quasi-Newton: BFGS and L-BFGS on a 10-dimensional quadratic
//! with condition number 1000, and the bare two-loop recursion with unit
//! steps, to show what the line search is for.
//!
//! Run: `cargo run --release -p examples --bin tour_quasi_newton [-- --json]` (`--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::programs::TourQuasiNewtonArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: TourQuasiNewtonArgs, out| {
        emit(out, args.output.json, &examples::quasi_newton::run())
    })
}
