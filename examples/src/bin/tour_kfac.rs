//! Tour 5 — K-FAC: Kronecker-factored curvature on a small MLP, next to SGD
//! and Adam with the same number of steps.
//!
//! Run: `cargo run --release -p examples --bin tour_kfac [-- --json]` (`--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::programs::TourKfacArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: TourKfacArgs, out| {
        emit(out, args.output.json, &examples::kfac::run()?)
    })
}
