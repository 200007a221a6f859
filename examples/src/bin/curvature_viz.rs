//! The curvature visualizer: local quadratic models of a 2-D function
//! (ellipses, saddles, gradient and Newton arrows) and the Hessian
//! eigenvalue density of a small MLP before and after training, as one SVG.
//!
//! Run: `cargo run --release -p examples --bin curvature_viz`
//!
//! Options: `--function quadratic|rosenbrock|beale|himmelblau|saddle`
//! (default himmelblau), `--points "x,y;x,y;…"` (at most 20, inside the
//! function's window), `--train-steps N` (0 to 2 000), `--out FILE` (default
//! `curvature.svg` in the current folder), `--json`; `--help` lists them.

use std::process::ExitCode;

use examples::arena::ArenaFunction;
use examples::cli::emit;
use examples::cli::programs::CurvatureVizArgs;
use examples::cli::values::Points;
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

fn main() -> ExitCode {
    examples::cli::main(|args: CurvatureVizArgs, out| {
        let function = ArenaFunction::builtin(&args.function)
            .ok_or_else(|| format!("--function: unknown function '{}'", args.function))?;
        let points = match &args.points {
            Some(Points(points)) => points.clone(),
            None if args.function == "himmelblau" => HIMMELBLAU_POINTS.to_vec(),
            None => function
                .minima
                .iter()
                .chain(&function.saddles)
                .map(|m| [m[0] + 0.3, m[1] - 0.2])
                .chain(std::iter::once(function.start))
                .collect(),
        };
        let models = points.iter().map(|&p| local_model(&function, p)).collect();
        let (init, trained) = curvature_viz::mlp_spectra(args.train_steps)?;
        let figures = CurvatureFigures {
            function: &function,
            models,
            init,
            trained,
            train_steps: args.train_steps,
            out: args.out.display().to_string(),
        };
        let svg = curvature_viz::render_svg(&figures)?;
        write_atomic(&args.out, &svg)?;
        emit(out, args.output.json, &figures)
    })
}
