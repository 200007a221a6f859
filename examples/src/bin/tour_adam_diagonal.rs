//! Tour 7 — is Adam a diagonal second-order method? Adam's second moment
//! after training against the Hessian, Fisher and empirical-Fisher
//! diagonals, and what each diagonal does to conditioning, on quadratics
//! (axis-aligned and rotated) and the red-wine MLP.
//!
//! Run: `cargo run --release -p examples --bin tour_adam_diagonal [-- --json] [--out FILE]`
//! (the scatter of Adam's √v̂ against |diag H| goes to `adam_diagonal.svg`
//! in the current folder unless `--out` says otherwise; `--help` for the options).

use std::process::ExitCode;

use examples::adam_diagonal;
use examples::cli::emit;
use examples::cli::programs::TourAdamDiagonalArgs;
use examples::svg::write_atomic;

fn main() -> ExitCode {
    examples::cli::main(|args: TourAdamDiagonalArgs, out| {
        let figures = adam_diagonal::run();
        let svg = adam_diagonal::render_svg(&figures)?;
        write_atomic(&args.out, &svg)?;
        emit(out, args.output.json, &figures)
    })
}
