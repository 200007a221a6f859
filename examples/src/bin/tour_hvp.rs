//! Tour 6 — Hessian-vector products: exact against finite differences, power
//! iteration for the top eigenvalue, and CG's approximate Newton step.
//!
//! Run: `cargo run --release -p examples --bin tour_hvp [-- --json]` (`--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::programs::TourHvpArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: TourHvpArgs, out| emit(out, args.output.json, &examples::hvp::run()))
}
