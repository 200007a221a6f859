//! Tour 7 — is Adam a diagonal second-order method? Adam's second moment
//! after training against the Hessian, Fisher and empirical-Fisher
//! diagonals, and what each diagonal does to conditioning, on quadratics
//! (axis-aligned and rotated) and the red-wine MLP.
//!
//! Run: `cargo run --release -p examples --bin tour_adam_diagonal [-- --json] [--out FILE]`
//! (the scatter of Adam's √v̂ against |diag H| goes to `out/adam_diagonal.svg`).

use std::path::PathBuf;

use examples::adam_diagonal;
use examples::cli::{emit, ArgError, Args};
use examples::svg::write_atomic;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json"], &["out"])?;
    let out = PathBuf::from(args.raw("out").unwrap_or("out/adam_diagonal.svg"));
    let figures = adam_diagonal::run();
    let svg = adam_diagonal::render_svg(&figures)?;
    write_atomic(&out, &svg)
        .map_err(|e| ArgError(format!("--out: cannot write '{}': {e}", out.display())))?;
    emit(&args, &figures)
}
