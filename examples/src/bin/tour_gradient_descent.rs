//! Tour 1 — why gradient descent struggles on an ill-conditioned quadratic,
//! and how heavy-ball momentum changes the scaling from O(κ) to O(√κ).
//!
//! Run: `cargo run --release -p examples --bin tour_gradient_descent [-- --json]` (`--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::programs::TourGradientDescentArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: TourGradientDescentArgs, out| {
        emit(out, args.output.json, &examples::gradient_descent::run())
    })
}
