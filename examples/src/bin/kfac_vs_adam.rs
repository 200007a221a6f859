//! K-FAC against Adam on red wine: the CPU time K-FAC needs to reach
//! Adam's loss at budgets of 500 to 4 000 Adam steps (Adam's step size the
//! best of a 5-point grid at each budget), and which method generalises
//! best with an L2 penalty chosen on a validation split.
//!
//! Run: `cargo run --release -p examples --bin kfac_vs_adam [-- --json] [--quick]`
//! (`--help` for the options)

use std::process::ExitCode;

use examples::cli::emit;
use examples::cli::programs::KfacVsAdamArgs;

fn main() -> ExitCode {
    examples::cli::main(|args: KfacVsAdamArgs, out| {
        let figures = examples::kfac_budget::run(args.quick)?;
        emit(out, args.output.json, &figures)
    })
}
