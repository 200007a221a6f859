//! The optimizer arena: draws the trajectory of every optimizer on a 2-D
//! function over its contour lines, into an SVG.
//!
//! Run: `cargo run --release -p examples --bin arena -- --function rosenbrock`
//! (writes `arena-rosenbrock.svg` in the current folder; `--help` lists
//! every option with its default).
//!
//! Options: `--function quadratic|rosenbrock|beale|himmelblau|saddle`,
//! `--condition K` (1 to 10⁶) and `--angle DEGREES` (the quadratic's;
//! default 20 and 45), `--start x,y` (inside the function's window),
//! `--optimizers gd,momentum,nesterov,newton,newton-plain,newton-cg,
//! trust-region,trust-exact,bfgs,lbfgs,adam`, `--step S` (the fixed-step
//! methods; above 0, at most 100), `--max-iter N` (1 to 5 000), `--out FILE`
//! (default `arena-FUNCTION.svg`), `--json`. A function of your own: see
//! `examples::arena::ArenaFunction::custom`.

use std::process::ExitCode;

use examples::arena::{self, ArenaFigures};
use examples::cli::emit;
use examples::cli::programs::ArenaArgs;
use examples::svg::write_atomic;

fn main() -> ExitCode {
    examples::cli::main(|args: ArenaArgs, out| {
        let function = args.function()?;
        let start = args.start.unwrap_or(function.start);
        let step = args.step.unwrap_or(function.step);
        let optimizers: Vec<&str> = args.optimizers.iter().map(String::as_str).collect();
        let path = args.out();
        let trajectories = arena::run(&function, start, &optimizers, step, args.max_iter)?;
        let svg = arena::render_svg(&function, start, &trajectories)?;
        write_atomic(&path, &svg)?;
        let figures = ArenaFigures {
            function: &function,
            start,
            trajectories: &trajectories,
            out: path.display().to_string(),
        };
        emit(out, args.output.json, &figures)
    })
}
