//! Tour 7 — the landscape: every solver on extended Rosenbrock, with the
//! measured cost of a step in gradient-equivalents, the steps to converge
//! and the total time.
//!
//! Run: `cargo run --release -p examples --bin tour_landscape [-- --json] [--n 100 --cap 20000]`
//! (`--n`: an even dimension from 2 to 2 000; `--cap`: the most iterations
//! per solver; `--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::programs::TourLandscapeArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: TourLandscapeArgs, out| {
        let figures = examples::landscape::run(args.n, args.cap);
        emit(out, args.output.json, &figures)
    })
}
