//! Tour 4 — natural gradient: fitting a Gaussian by gradient descent and by
//! natural gradient (Fisher-preconditioned), next to the maximum-likelihood answer.
//!
//! Run: `cargo run --release -p examples --bin tour_natural_gradient [-- --json]` (`--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::programs::TourNaturalGradientArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: TourNaturalGradientArgs, out| {
        emit(out, args.output.json, &examples::natural_gradient::run())
    })
}
