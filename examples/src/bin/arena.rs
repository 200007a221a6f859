//! The optimizer arena: draws the trajectory of every optimizer on a 2-D
//! function over its contour lines, into an SVG.
//!
//! Run: `cargo run --release -p examples --bin arena -- --function rosenbrock`
//!
//! Options: `--function quadratic|rosenbrock|beale|himmelblau|saddle`,
//! `--condition K` and `--angle DEGREES` (the quadratic's; default 20 and 45),
//! `--start x,y`, `--optimizers gd,momentum,nesterov,newton,newton-plain,
//! newton-cg,trust-region,trust-exact,bfgs,lbfgs,adam`, `--step S` (the fixed-step
//! methods), `--max-iter N`, `--out FILE` (default `out/arena-FUNCTION.svg`),
//! `--json`. A function of your own: see `examples::arena::ArenaFunction::custom`.

use std::path::PathBuf;

use examples::arena::{self, ArenaFigures, ArenaFunction};
use examples::cli::{emit, ArgError, Args};
use examples::svg::write_atomic;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(
        &["json"],
        &[
            "function",
            "condition",
            "angle",
            "start",
            "optimizers",
            "step",
            "max-iter",
            "out",
        ],
    )?;
    let name = args.raw("function").unwrap_or("rosenbrock");
    let function = ArenaFunction::named(name, args.value("condition")?, args.value("angle")?)
        .map_err(|e| ArgError(format!("--function: {e}")))?;
    let start = args.point("start")?.unwrap_or(function.start);
    let step: f64 = args.value("step")?.unwrap_or(function.step);
    if !(step.is_finite() && step > 0.0) {
        return Err(ArgError(format!("--step: must be a positive number, got {step}")).into());
    }
    let max_iter: usize = args.value("max-iter")?.unwrap_or(500);
    let chosen = args.list("optimizers");
    let optimizers: Vec<&str> = match &chosen {
        Some(list) => list.iter().map(String::as_str).collect(),
        None => arena::DEFAULT_OPTIMIZERS.to_vec(),
    };
    let out = args
        .raw("out")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(format!("out/arena-{name}.svg")));

    let trajectories = arena::run(&function, start, &optimizers, step, max_iter)?;
    let svg = arena::render_svg(&function, start, &trajectories)?;
    write_atomic(&out, &svg)
        .map_err(|e| ArgError(format!("--out: cannot write '{}': {e}", out.display())))?;
    emit(
        &args,
        &ArenaFigures {
            function: &function,
            start,
            trajectories: &trajectories,
            out: out.display().to_string(),
        },
    )
}
