//! The classic small K-FAC demonstration on the seed article's data and
//! initial weights: a 5-8-1 tanh network on 100 points labelled by
//! x₀ + x₁ > 0, 60 full-batch steps of two K-FAC configurations, each
//! labelled — the article's variant (empirical Fisher, damping 0.01 added
//! to both factors, step 0.1, biases on the plain gradient) beside the
//! reference implementation's losses, and kfac-jax's defaults.
//!
//! Run: `cargo run --release -p examples --bin kfac_classic [-- --json]` (`--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::programs::KfacClassicArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: KfacClassicArgs, out| {
        emit(out, args.output.json, &examples::kfac::classic()?)
    })
}
