//! The curvature visualizer: local quadratic models of a 2-D function
//! (ellipses, saddles, gradient and Newton arrows) and the Hessian
//! eigenvalue density of a small MLP before and after training, as one SVG.
//!
//! Run: `cargo run --release -p examples --bin curvature_viz`
//!
//! Options: `--function quadratic|rosenbrock|beale|himmelblau|saddle`
//! (default himmelblau), `--points "x,y;x,y;…"`, `--train-steps N`,
//! `--out FILE` (default `out/curvature.svg`), `--json`.

use std::path::PathBuf;

use examples::arena::{self, ArenaFunction};
use examples::cli::{emit, ArgError, Args};
use examples::curvature_viz::{self, local_model, CurvatureFigures};
use examples::svg::write_atomic;

/// Points that show every shape on Himmelblau's function: bowls on the
/// slopes of two minima, points beside its two central saddles (where the
/// Newton step heads for the saddle and −∇f away from it), one beside the
/// local maximum (a cap), and two far slopes.
const HIMMELBLAU_POINTS: [[f64; 2]; 6] = [
    [2.5, 1.5],
    [0.2, -1.7],
    [0.4, 2.6],
    [-0.6, -0.6],
    [-3.5, 2.5],
    [3.0, -3.5],
];

fn parse_points(raw: &str) -> Result<Vec<[f64; 2]>, ArgError> {
    raw.split(';')
        .map(|p| {
            let bad = || ArgError(format!("--points: expected 'x,y;x,y;…', cannot read '{p}'"));
            let xy: Vec<f64> = p
                .split(',')
                .map(|v| v.trim().parse::<f64>().map_err(|_| bad()))
                .collect::<Result<_, _>>()?;
            match xy[..] {
                [x, y] if x.is_finite() && y.is_finite() => Ok([x, y]),
                _ => Err(bad()),
            }
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&["json"], &["function", "points", "train-steps", "out"])?;
    let name = args.raw("function").unwrap_or("himmelblau");
    let function = ArenaFunction::builtin(name).ok_or_else(|| {
        ArgError(format!(
            "--function: unknown function '{name}' (known: {})",
            arena::FUNCTIONS.join(", ")
        ))
    })?;
    let points = match args.raw("points") {
        Some(raw) => parse_points(raw)?,
        None if name == "himmelblau" => HIMMELBLAU_POINTS.to_vec(),
        None => function
            .minima
            .iter()
            .chain(&function.saddles)
            .map(|m| [m[0] + 0.3, m[1] - 0.2])
            .chain(std::iter::once(function.start))
            .collect(),
    };
    let train_steps: usize = args
        .value("train-steps")?
        .unwrap_or(curvature_viz::TRAIN_STEPS);
    let out = PathBuf::from(args.raw("out").unwrap_or("out/curvature.svg"));

    let models = points.iter().map(|&p| local_model(&function, p)).collect();
    let (init, trained) = curvature_viz::mlp_spectra(train_steps)?;
    let figures = CurvatureFigures {
        function: &function,
        models,
        init,
        trained,
        train_steps,
        out: out.display().to_string(),
    };
    let svg = curvature_viz::render_svg(&figures)?;
    write_atomic(&out, &svg)
        .map_err(|e| ArgError(format!("--out: cannot write '{}': {e}", out.display())))?;
    emit(&args, &figures)
}
