//! Training in f32 beside f64: a red-wine MLP trained by Adam and by K-FAC
//! in each precision, from the same start on the same data, with the time
//! each took and where each ended.
//!
//! Run: `cargo run --release -p examples --bin precision [-- --epochs N] [--json]`
//! (`--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::programs::PrecisionArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: PrecisionArgs, out| {
        let figures = examples::precision::run(args.epochs)?;
        emit(out, args.output.json, &figures)
    })
}
