//! Tour 2 — Newton's method: one step solves a quadratic; on Rosenbrock the
//! plain iteration against a line search and a trust region, with the paths.
//!
//! Run: `cargo run --release -p examples --bin tour_newton [-- --json]` (`--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::programs::TourNewtonArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: TourNewtonArgs, out| {
        emit(out, args.output.json, &examples::newton::run())
    })
}
