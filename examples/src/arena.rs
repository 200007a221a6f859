//! The optimizer arena: every optimizer's trajectory on a 2-D function,
//! drawn over its contour lines, as an SVG picture.
//!
//! ```no_run
//! use examples::arena::{render_svg, run, ArenaFunction};
//! // Any closure over the engine's vars is a function for the arena.
//! let f = ArenaFunction::custom("bowl", (-2.0, 2.0), (-2.0, 2.0), [1.5, 1.5], |x| {
//!     (x.square() * x.tape().constant(autodiff::Tensor::vector(vec![1.0, 4.0]))).sum()
//! });
//! let runs = run(&f, [1.5, 1.5], &["gd", "newton"], 0.1, 100)?;
//! let svg = render_svg(&f, [1.5, 1.5], &runs)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::error::Error;

use autodiff::Var;
use optim::linop::norm;
use optim::objective::{AutodiffObjective, Objective};
use optim::problems::ProblemFn;
use optim::solvers::{
    Bfgs, GradientDescent, Lbfgs, Minimizer, Momentum, MomentumKind, Newton, NewtonCg, Status,
    TrustRegion, TrustRegionExact,
};
use plotters::prelude::*;
use serde_json::json;

use crate::adam_steps::AdamSteps;
use crate::cli::{ArgError, Figures};
use crate::contour::{contour_lines, Grid, Polylines};
use crate::runs::{to_tolerance, Run};
use crate::svg::clip_path;

/// Stop when `‖∇f‖₂` falls below this.
pub const TOL: f64 = 1e-8;
/// The largest condition number [`ArenaFunction::named`] gives the quadratic.
pub const MAX_CONDITION: f64 = 1e6;
/// Contour levels drawn.
pub const LEVELS: usize = 18;
/// Grid points per axis for the contours.
pub const GRID: usize = 100;
/// Iterates are marked with dots on runs of at most this many steps.
pub const DOTS_UP_TO: usize = 100;
/// Picture size in pixels.
pub const SIZE: (u32, u32) = (820, 680);

/// Every optimizer the arena knows, by command-line name.
pub const OPTIMIZERS: [&str; 11] = [
    "gd",
    "momentum",
    "nesterov",
    "newton",
    "newton-plain",
    "newton-cg",
    "trust-region",
    "trust-exact",
    "bfgs",
    "lbfgs",
    "adam",
];

/// The optimizers drawn when none are chosen.
pub const DEFAULT_OPTIMIZERS: [&str; 6] =
    ["gd", "momentum", "newton", "trust-region", "bfgs", "lbfgs"];

/// The built-in functions, by command-line name.
pub const FUNCTIONS: [&str; 5] = ["quadratic", "rosenbrock", "beale", "himmelblau", "saddle"];

/// Each optimizer's colour (one per entry of [`OPTIMIZERS`]), so a picture
/// can be read against another.
pub const COLOURS: [RGBColor; 11] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(214, 39, 40),
    RGBColor(227, 119, 194),
    RGBColor(188, 189, 34),
    RGBColor(44, 160, 44),
    RGBColor(23, 190, 207),
    RGBColor(148, 103, 189),
    RGBColor(20, 20, 110),
    RGBColor(127, 127, 127),
];

/// A 2-D function with the window it is drawn in.
pub struct ArenaFunction {
    /// Its name, for titles.
    pub name: String,
    /// `x ↦ f(x)` on one var of shape `[2]`.
    pub f: Box<ProblemFn>,
    /// The drawn range of the first coordinate.
    pub x_range: (f64, f64),
    /// The drawn range of the second coordinate.
    pub y_range: (f64, f64),
    /// The default start point.
    pub start: [f64; 2],
    /// The default step of the fixed-step methods.
    pub step: f64,
    /// Known minimisers (marked ×) and saddle points (marked +).
    pub minima: Vec<[f64; 2]>,
    /// Known saddle points.
    pub saddles: Vec<[f64; 2]>,
}

fn parts(x: Var<'_>) -> (Var<'_>, Var<'_>) {
    (x.slice(0, 0, 1), x.slice(0, 1, 2))
}

impl ArenaFunction {
    /// A user's function: any closure over the engine's vars.
    pub fn custom(
        name: &str,
        x_range: (f64, f64),
        y_range: (f64, f64),
        start: [f64; 2],
        f: impl for<'t> Fn(Var<'t>) -> Var<'t> + Send + Sync + 'static,
    ) -> ArenaFunction {
        ArenaFunction {
            name: name.to_string(),
            f: Box::new(move |x| f(x).sum()),
            x_range,
            y_range,
            start,
            step: 1e-2,
            minima: Vec::new(),
            saddles: Vec::new(),
        }
    }

    /// A built-in function by name (see [`FUNCTIONS`]).
    pub fn builtin(name: &str) -> Option<ArenaFunction> {
        let with =
            |mut f: ArenaFunction, step: f64, minima: Vec<[f64; 2]>, saddles: Vec<[f64; 2]>| {
                f.step = step;
                f.minima = minima;
                f.saddles = saddles;
                Some(f)
            };
        match name {
            "quadratic" => Some(ArenaFunction::quadratic(20.0, 45.0)),
            "rosenbrock" => with(
                ArenaFunction::custom("Rosenbrock", (-2.0, 2.0), (-1.0, 3.0), [-1.2, 1.0], |x| {
                    let (a, b) = parts(x);
                    ((b - a.square()).square() * 100.0 + (1.0 - a).square()).sum()
                }),
                1e-3,
                vec![[1.0, 1.0]],
                vec![],
            ),
            "beale" => with(
                ArenaFunction::custom("Beale", (-0.5, 4.5), (-1.5, 2.0), [1.0, 1.0], |x| {
                    let (a, b) = parts(x);
                    let term = |y: f64, k: f64| (y - a * (1.0 - b.powf(k))).square();
                    (term(1.5, 1.0) + term(2.25, 2.0) + term(2.625, 3.0)).sum()
                }),
                1e-2,
                vec![[3.0, 0.5]],
                vec![],
            ),
            "himmelblau" => with(
                ArenaFunction::custom("Himmelblau", (-5.0, 5.0), (-5.0, 5.0), [0.0, 0.0], |x| {
                    let (a, b) = parts(x);
                    ((a.square() + b - 11.0).square() + (a + b.square() - 7.0).square()).sum()
                }),
                1e-2,
                vec![
                    [3.0, 2.0],
                    [-2.805118, 3.131312],
                    [-3.779310, -3.283186],
                    [3.584428, -1.848126],
                ],
                vec![],
            ),
            // ½x² + ¼y⁴ − ½y²: a saddle at the origin between minima at (0, ±1).
            "saddle" => with(
                ArenaFunction::custom(
                    "saddle ½x² + ¼y⁴ − ½y²",
                    (-2.0, 2.0),
                    (-1.6, 1.6),
                    [1.5, 0.05],
                    |x| {
                        let (a, b) = parts(x);
                        (a.square() * 0.5 + b.powf(4.0) * 0.25 - b.square() * 0.5).sum()
                    },
                ),
                0.1,
                vec![[0.0, 1.0], [0.0, -1.0]],
                vec![[0.0, 0.0]],
            ),
            _ => None,
        }
    }

    /// `½ xᵀAx` where `A` has eigenvalues `condition` and 1, the larger one's
    /// eigenvector at `angle` degrees from the x axis; the fixed-step methods'
    /// step is `1.8/condition` (just inside gradient descent's `2/L`). The
    /// built-in "quadratic" is `quadratic(20, 45)`.
    pub fn quadratic(condition: f64, angle: f64) -> ArenaFunction {
        let (s, c) = angle.to_radians().sin_cos();
        // A = R diag(κ, 1) Rᵀ, R the rotation by the angle.
        let (a00, a01, a11) = (
            condition * c * c + s * s,
            (condition - 1.0) * c * s,
            condition * s * s + c * c,
        );
        let mut f = ArenaFunction::custom(
            &format!("quadratic, κ = {condition}, θ = {angle}°"),
            (-3.0, 3.0),
            (-3.0, 3.0),
            [-2.5, 1.0],
            move |x| {
                let (a, b) = parts(x);
                (a.square() * (0.5 * a00) + a * b * a01 + b.square() * (0.5 * a11)).sum()
            },
        );
        f.step = 1.8 / condition;
        f.minima = vec![[0.0, 0.0]];
        f
    }

    /// A built-in function by name; the quadratic takes a condition number
    /// (default 20, at most [`MAX_CONDITION`]) and an angle in degrees
    /// (default 45), which no other function takes. Each bad value is named.
    pub fn named(
        name: &str,
        condition: Option<f64>,
        angle: Option<f64>,
    ) -> Result<ArenaFunction, ArgError> {
        if name != "quadratic" && (condition.is_some() || angle.is_some()) {
            return Err(ArgError(format!(
                "condition and angle apply to the quadratic only, not to '{name}'"
            )));
        }
        if name == "quadratic" {
            let condition = condition.unwrap_or(20.0);
            if !(1.0..=MAX_CONDITION).contains(&condition) {
                return Err(ArgError(format!(
                    "condition: must be a number from 1 to {MAX_CONDITION:e}, got {condition}"
                )));
            }
            let angle = angle.unwrap_or(45.0);
            if !angle.is_finite() {
                return Err(ArgError(format!("angle: must be finite, got {angle}")));
            }
            return Ok(ArenaFunction::quadratic(condition, angle));
        }
        ArenaFunction::builtin(name).ok_or_else(|| {
            ArgError(format!(
                "unknown function '{name}' (known: {})",
                FUNCTIONS.join(", ")
            ))
        })
    }

    /// The function as an objective, derivatives from the engine.
    pub fn objective(&self) -> AutodiffObjective<&ProblemFn> {
        AutodiffObjective::new(2, &*self.f)
    }
}

/// The optimizer called `name`, with step `step` for the fixed-step methods.
pub fn optimizer(name: &str, step: f64) -> Option<Box<dyn Minimizer>> {
    let momentum = |kind| Momentum {
        lr: step,
        beta: 0.9,
        kind,
    };
    Some(match name {
        "gd" => Box::new(GradientDescent::fixed(step)),
        "momentum" => Box::new(momentum(MomentumKind::HeavyBall)),
        "nesterov" => Box::new(momentum(MomentumKind::Nesterov)),
        "newton" => Box::new(Newton::default()),
        "newton-plain" => Box::new(Newton::undamped()),
        "newton-cg" => Box::new(NewtonCg::default()),
        "trust-region" => Box::new(TrustRegion::default()),
        "trust-exact" => Box::new(TrustRegionExact::default()),
        "bfgs" => Box::new(Bfgs::default()),
        "lbfgs" => Box::new(Lbfgs::default()),
        "adam" => Box::new(AdamSteps { lr: step }),
        _ => return None,
    })
}

/// One optimizer's run in the arena.
#[derive(Clone, Debug)]
pub struct Trajectory {
    /// The optimizer's name (one of [`OPTIMIZERS`]).
    pub name: String,
    /// The run, with its path.
    pub run: Run,
}

impl Trajectory {
    /// "N steps", or why it stopped.
    pub fn outcome(&self) -> String {
        let r = &self.run;
        match r.report.status {
            _ if r.converged && r.iterations == 1 => "1 step".to_string(),
            _ if r.converged => format!("{} steps", r.iterations),
            Status::MaxIterations => format!("{} steps, not converged", r.iterations),
            s => format!("{s:?} after {} steps", r.iterations),
        }
    }
}

/// Runs each named optimizer from `start` for at most `max_iter` steps.
pub fn run(
    function: &ArenaFunction,
    start: [f64; 2],
    optimizers: &[&str],
    step: f64,
    max_iter: usize,
) -> Result<Vec<Trajectory>, ArgError> {
    let f = function.objective();
    optimizers
        .iter()
        .map(|&name| {
            let solver = optimizer(name, step).ok_or_else(|| {
                ArgError(format!(
                    "--optimizers: unknown optimizer '{name}' (known: {})",
                    OPTIMIZERS.join(", ")
                ))
            })?;
            Ok(Trajectory {
                name: name.to_string(),
                run: to_tolerance(solver.as_ref(), &f, &start, TOL, max_iter),
            })
        })
        .collect()
}

/// The colour of optimizer `name`.
pub fn colour(name: &str) -> RGBColor {
    OPTIMIZERS
        .iter()
        .position(|&o| o == name)
        .map_or(RGBColor(0, 0, 0), |k| COLOURS[k])
}

/// The contour lines of `function` over its window: `(level, polylines)`,
/// [`LEVELS`] levels on a [`GRID`]² grid.
pub fn contours(function: &ArenaFunction) -> Vec<(f64, Polylines)> {
    contours_on(function, GRID, LEVELS)
}

/// [`contours`] with `levels` levels on a `grid × grid` sample (`grid ≥ 2`).
pub fn contours_on(function: &ArenaFunction, grid: usize, levels: usize) -> Vec<(f64, Polylines)> {
    let f = function.objective();
    let grid = Grid::sample(function.x_range, function.y_range, grid, grid, |x, y| {
        f.value(&[x, y])
    });
    grid.levels(levels)
        .into_iter()
        .map(|level| (level, contour_lines(&grid, level)))
        .collect()
}

/// The picture: contours, each trajectory in its colour with its outcome in
/// the legend and its iterates as dots (on runs of at most [`DOTS_UP_TO`]
/// steps), the start (●), minimisers (×) and saddle points (+).
pub fn render_svg(
    function: &ArenaFunction,
    start: [f64; 2],
    trajectories: &[Trajectory],
) -> Result<String, Box<dyn Error>> {
    let (xr, yr) = (function.x_range, function.y_range);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let title = format!("{} from ({}, {})", function.name, start[0], start[1]);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(44)
            .build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("x")
            .y_desc("y")
            .draw()?;
        let grey = RGBColor(185, 185, 185);
        for (_, lines) in contours(function) {
            for line in lines {
                chart.draw_series(LineSeries::new(line, grey.stroke_width(1)))?;
            }
        }
        for t in trajectories {
            let c = colour(&t.name);
            let points: Vec<(f64, f64)> = t.run.path.iter().map(|p| (p[0], p[1])).collect();
            let mut pieces = clip_path(&points, xr, yr).into_iter();
            chart
                .draw_series(LineSeries::new(
                    pieces.next().unwrap_or_default(),
                    c.stroke_width(2),
                ))?
                .label(format!("{}: {}", t.name, t.outcome()))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], c.stroke_width(3))
                });
            for piece in pieces {
                chart.draw_series(LineSeries::new(piece, c.stroke_width(2)))?;
            }
            let inside = |p: &&(f64, f64)| p.0 >= xr.0 && p.0 <= xr.1 && p.1 >= yr.0 && p.1 <= yr.1;
            if t.run.iterations <= DOTS_UP_TO {
                chart.draw_series(
                    points
                        .iter()
                        .filter(inside)
                        .map(|&p| Circle::new(p, 2, c.filled())),
                )?;
            }
        }
        let marks = |ps: &[[f64; 2]]| ps.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>();
        chart.draw_series(
            marks(&function.minima)
                .into_iter()
                .map(|p| Cross::new(p, 6, BLACK.stroke_width(2))),
        )?;
        // Saddle points: a plus sign 3% of the window wide, and a label.
        let (dx, dy) = (0.03 * (xr.1 - xr.0), 0.03 * (yr.1 - yr.0));
        for p in marks(&function.saddles) {
            chart.draw_series([
                PathElement::new(
                    vec![(p.0 - dx, p.1), (p.0 + dx, p.1)],
                    BLACK.stroke_width(2),
                ),
                PathElement::new(
                    vec![(p.0, p.1 - dy), (p.0, p.1 + dy)],
                    BLACK.stroke_width(2),
                ),
            ])?;
            chart.draw_series(std::iter::once(Text::new(
                "saddle",
                (p.0 + dx, p.1 + dy),
                ("sans-serif", 14).into_font().color(&BLACK),
            )))?;
        }
        chart.draw_series(std::iter::once(Circle::new(
            (start[0], start[1]),
            5,
            BLACK.filled(),
        )))?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 14))
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}

/// One run's figures as JSON: its outcome, the point reported with `f` and
/// `‖∇f‖₂` there, the evaluation counts, and the path with `f` at each
/// iterate (`null` where not finite). The playground's API sends the same.
pub fn trajectory_json(function: &ArenaFunction, t: &Trajectory) -> serde_json::Value {
    let f = function.objective();
    let r = &t.run.report;
    json!({
        "name": t.name,
        "converged": t.run.converged,
        "iterations": t.run.iterations,
        "status": format!("{:?}", r.status),
        "outcome": t.outcome(),
        "x": t.run.x(),
        "f": r.f,
        "grad_norm": norm(&f.grad(t.run.x())),
        "evaluations": {
            "f": r.counts.f,
            "grad": r.counts.grad,
            "hvp": r.counts.hvp,
            "hessian": r.counts.hessian,
        },
        "path": t.run.path,
        "path_f": t.run.path.iter().map(|p| f.value(p)).collect::<Vec<_>>(),
    })
}

/// The arena's figures: each optimizer's outcome.
pub struct ArenaFigures<'a> {
    /// The function.
    pub function: &'a ArenaFunction,
    /// The start point.
    pub start: [f64; 2],
    /// The runs.
    pub trajectories: &'a [Trajectory],
    /// Where the picture went.
    pub out: String,
}

impl Figures for ArenaFigures<'_> {
    fn table(&self) -> String {
        let f = self.function.objective();
        let mut s = format!(
            "{} from ({}, {}), to ‖∇f‖₂ < 1e-8\n\n{:<14} {:<34} {:>26} {:>12}\n",
            self.function.name,
            self.start[0],
            self.start[1],
            "optimizer",
            "outcome",
            "point reported",
            "f"
        );
        for t in self.trajectories {
            let x = t.run.x();
            s += &format!(
                "{:<14} {:<34} {:>26} {:>12.4e}\n",
                t.name,
                t.outcome(),
                format!("({:.6}, {:.6})", x[0], x[1]),
                f.value(x)
            );
        }
        s += &format!("\npicture: {}\n", self.out);
        s
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "function": self.function.name,
            "start": self.start,
            "svg": self.out,
            "optimizers": self.trajectories.iter()
                .map(|t| trajectory_json(self.function, t))
                .collect::<Vec<_>>(),
        })
    }
}
