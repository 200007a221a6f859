//! Nyström-preconditioned CG against plain CG, sketch cost counted: a
//! κ ≈ 10⁶ quadratic of dimension 2 000 (λᵢ = i⁻³ damped by 10⁻⁶; also
//! the slower decay i⁻² for contrast) and the damped Gauss-Newton system of
//! a red-wine MLP, with the sketch's top eigenvalues against Lanczos.
//!
//! Run: `cargo run --release -p examples --bin nystrom_pcg [-- --json]`
//! (`--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::machine;
use examples::cli::programs::NystromPcgArgs;
use examples::nystrom_pcg::{quadratic, wine, PcgFigures};

fn main() -> ExitCode {
    examples::cli::main(|args: NystromPcgArgs, out| {
        let comparisons = vec![
            quadratic(2000, 3.0, 1e-6, 50),
            quadratic(2000, 2.0, 1e-6, 50),
            wine(32, 10, 1e-3, 50),
            wine(32, 10, 1e-4, 50),
        ];
        let figures = PcgFigures {
            machine: machine(),
            comparisons,
        };
        emit(out, args.output.json, &figures)
    })
}
