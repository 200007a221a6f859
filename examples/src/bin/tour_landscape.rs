//! Tour 7 — the landscape: every solver on extended Rosenbrock, with the
//! measured cost of a step in gradient-equivalents, the steps to converge
//! and the total time.
//!
//! Run: `cargo run --release -p examples --bin tour_landscape [-- --json] [-- --n 100 --cap 20000]`

use examples::cli::{emit, ArgError, Args};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json"], &["n", "cap"])?;
    let n: usize = args.value("n")?.unwrap_or(100);
    if n == 0 || n % 2 == 1 {
        return Err(ArgError(format!(
            "--n: extended Rosenbrock needs a positive even dimension, got {n}"
        ))
        .into());
    }
    let cap: usize = args.value("cap")?.unwrap_or(20_000);
    emit(&args, &examples::landscape::run(n, cap))
}
