//! K-FAC against Adam on red wine: the CPU time K-FAC needs to reach
//! Adam's loss at budgets of 500 to 4 000 Adam steps (Adam's step size the
//! best of a 5-point grid at each budget), and which method generalises
//! best with an L2 penalty chosen on a validation split.
//!
//! Run: `cargo run --release -p examples --bin kfac_vs_adam [-- --json] [--quick]`

use examples::cli::{emit, Args};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json", "quick"], &[])?;
    emit(&args, &examples::kfac_budget::run(args.flag("quick"))?)
}
