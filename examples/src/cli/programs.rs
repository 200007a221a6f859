//! Every program's arguments, one `clap` struct each, and the list of them
//! all ([`all`]) that the tests go through. See [`crate::cli`] for the
//! pattern.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, RangedU64ValueParser};
use clap::Parser;

use super::values::{self, Points};
use super::{parse, JsonFlag, Program};
use crate::arena::{self, ArenaFunction};
use crate::curvature_viz;
use crate::playground::api::{MAX_ITER, MAX_STEP, MAX_TRAIN_STEPS};

/// One program: its name (the binary's), its command, and its parse +
/// validate, in-process.
pub struct Entry {
    /// The binary's name.
    pub name: &'static str,
    /// Its clap command (options, help).
    pub command: fn() -> clap::Command,
    /// Parses and validates a command line (program name first), as its
    /// `main` does before any work.
    pub check: fn(Vec<String>) -> Result<(), clap::Error>,
}

fn check<P: Program>(argv: Vec<String>) -> Result<(), clap::Error> {
    parse::<P, _, _>(argv).map(drop)
}

fn entry<P: Program>(name: &'static str) -> Entry {
    Entry {
        name,
        command: P::command,
        check: check::<P>,
    }
}

/// Every example program.
pub fn all() -> Vec<Entry> {
    vec![
        entry::<ArenaArgs>("arena"),
        entry::<BoundedFitsArgs>("bounded_fits"),
        entry::<CurvatureSpectrumArgs>("curvature_spectrum"),
        entry::<CurvatureVizArgs>("curvature_viz"),
        entry::<CustomPrimitiveArgs>("custom_primitive"),
        entry::<EngineTourArgs>("engine_tour"),
        entry::<KfacClassicArgs>("kfac_classic"),
        entry::<KfacVsAdamArgs>("kfac_vs_adam"),
        entry::<MghTableArgs>("mgh_table"),
        entry::<NystromPcgArgs>("nystrom_pcg"),
        entry::<PlaygroundArgs>("playground"),
        entry::<PrecisionArgs>("precision"),
        entry::<SecondOrderRaceArgs>("second_order_race"),
        entry::<TourArgs>("tour"),
        entry::<TourAdamDiagonalArgs>("tour_adam_diagonal"),
        entry::<TourGradientDescentArgs>("tour_gradient_descent"),
        entry::<TourHvpArgs>("tour_hvp"),
        entry::<TourKfacArgs>("tour_kfac"),
        entry::<TourLandscapeArgs>("tour_landscape"),
        entry::<TourNaturalGradientArgs>("tour_natural_gradient"),
        entry::<TourNewtonArgs>("tour_newton"),
        entry::<TourQuasiNewtonArgs>("tour_quasi_newton"),
    ]
}

/// A count from `lo` to `hi`, as clap reads it.
fn count(lo: u64, hi: u64) -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(lo..=hi)
}

/// The quadratic's condition number: from 1 to [`arena::MAX_CONDITION`].
fn condition(v: &str) -> Result<f64, String> {
    let k = values::finite(v)?;
    if (1.0..=arena::MAX_CONDITION).contains(&k) {
        Ok(k)
    } else {
        Err(format!("must be from 1 to {:e}", arena::MAX_CONDITION))
    }
}

/// A fixed step size: above 0, at most the playground's [`MAX_STEP`].
fn step(v: &str) -> Result<f64, String> {
    let s = values::positive(v)?;
    if s <= MAX_STEP {
        Ok(s)
    } else {
        Err(format!("must be at most {MAX_STEP}"))
    }
}

/// Refuses `point` (named `what`) outside `function`'s window.
fn inside(function: &ArenaFunction, what: &str, p: [f64; 2]) -> Result<(), String> {
    let ((x0, x1), (y0, y1)) = (function.x_range, function.y_range);
    if (x0..=x1).contains(&p[0]) && (y0..=y1).contains(&p[1]) {
        Ok(())
    } else {
        Err(format!(
            "{what}: ({}, {}) lies outside the window of {} ([{x0}, {x1}] × [{y0}, {y1}])",
            p[0], p[1], function.name
        ))
    }
}

/// The optimizer arena: the trajectory of every optimizer on a 2-D
/// function over its contour lines, written as an SVG.
#[derive(Parser, Debug)]
#[command(name = "arena")]
pub struct ArenaArgs {
    /// The function
    #[arg(long, default_value = "rosenbrock", value_parser = PossibleValuesParser::new(arena::FUNCTIONS))]
    pub function: String,
    /// The quadratic's condition number, from 1 to 1e6 (default: 20; quadratic only)
    #[arg(long, value_parser = condition, allow_negative_numbers = true)]
    pub condition: Option<f64>,
    /// The angle of the quadratic's stiff axis, in degrees (default: 45; quadratic only)
    #[arg(long, value_parser = values::finite, allow_hyphen_values = true)]
    pub angle: Option<f64>,
    /// The start point x,y, inside the function's window (default: the function's own)
    #[arg(long, value_parser = values::point, allow_hyphen_values = true)]
    pub start: Option<[f64; 2]>,
    /// The optimizers, comma-separated
    #[arg(long, value_delimiter = ',', default_values = arena::DEFAULT_OPTIMIZERS,
          value_parser = PossibleValuesParser::new(arena::OPTIMIZERS))]
    pub optimizers: Vec<String>,
    /// The step of the fixed-step methods, above 0 and at most 100 (default: the function's own)
    #[arg(long, value_parser = step, allow_negative_numbers = true)]
    pub step: Option<f64>,
    /// The most steps per optimizer
    #[arg(long, default_value_t = 500, value_parser = count(1, MAX_ITER as u64), allow_negative_numbers = true)]
    pub max_iter: usize,
    /// The SVG file to write (default: arena-FUNCTION.svg in the current folder)
    #[arg(long, value_parser = values::output_file)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub output: JsonFlag,
}

impl ArenaArgs {
    /// The chosen function, with the quadratic's settings.
    pub fn function(&self) -> Result<ArenaFunction, String> {
        if self.function != "quadratic" && (self.condition.is_some() || self.angle.is_some()) {
            return Err(format!(
                "--condition and --angle apply to the quadratic only, not to '{}'",
                self.function
            ));
        }
        ArenaFunction::named(&self.function, self.condition, self.angle).map_err(|e| e.0)
    }

    /// Where the picture goes.
    pub fn out(&self) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("arena-{}.svg", self.function)))
    }
}

impl Program for ArenaArgs {
    fn validate(&self) -> Result<(), String> {
        let function = self.function()?;
        if let Some(start) = self.start {
            inside(&function, "--start", start)?;
        }
        let names = &self.optimizers;
        if let Some(twice) = (0..names.len()).find(|&k| names[..k].contains(&names[k])) {
            return Err(format!("--optimizers: '{}' is listed twice", names[twice]));
        }
        Ok(())
    }
}

/// The curvature visualizer: local quadratic models of a 2-D function and
/// the Hessian eigenvalue density of a small MLP before and after
/// training, as one SVG.
#[derive(Parser, Debug)]
#[command(name = "curvature_viz")]
pub struct CurvatureVizArgs {
    /// The function
    #[arg(long, default_value = "himmelblau", value_parser = PossibleValuesParser::new(arena::FUNCTIONS))]
    pub function: String,
    /// Points "x,y;x,y;…" inside the function's window, at most 20 (default: points that show every shape)
    #[arg(long, value_parser = values::points, allow_hyphen_values = true)]
    pub points: Option<Points>,
    /// Adam steps that train the MLP
    #[arg(long, default_value_t = curvature_viz::TRAIN_STEPS, value_parser = count(0, MAX_TRAIN_STEPS as u64), allow_negative_numbers = true)]
    pub train_steps: usize,
    /// The SVG file to write
    #[arg(long, default_value = "curvature.svg", value_parser = values::output_file)]
    pub out: PathBuf,
    #[command(flatten)]
    pub output: JsonFlag,
}

/// Most points `curvature_viz` draws.
pub const MAX_POINTS: usize = 20;

impl Program for CurvatureVizArgs {
    fn validate(&self) -> Result<(), String> {
        let Some(Points(points)) = &self.points else {
            return Ok(());
        };
        if points.len() > MAX_POINTS {
            return Err(format!(
                "--points: at most {MAX_POINTS} points, got {}",
                points.len()
            ));
        }
        let function = ArenaFunction::builtin(&self.function)
            .ok_or_else(|| format!("--function: unknown function '{}'", self.function))?;
        points
            .iter()
            .try_for_each(|&p| inside(&function, "--points", p))
    }
}

/// The top of a neural network's Hessian spectrum: the five largest
/// eigenvalues of an MLP's loss Hessian (about 10⁴ parameters) by Lanczos,
/// next to the Gauss-Newton matrix's.
#[derive(Parser, Debug)]
#[command(name = "curvature_spectrum")]
pub struct CurvatureSpectrumArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for CurvatureSpectrumArgs {}

/// A primitive of your own: log cosh x with a stable formula and its three
/// rules; every derivative mode works through it and check::all verifies it.
#[derive(Parser, Debug)]
#[command(name = "custom_primitive")]
pub struct CustomPrimitiveArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for CustomPrimitiveArgs {}

/// The engine in one page: gradient and exact Hessian-vector product of a
/// small MLP loss, next to finite differences, and the step sweep that
/// shows why exact products matter.
#[derive(Parser, Debug)]
#[command(name = "engine_tour")]
pub struct EngineTourArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for EngineTourArgs {}

/// Box constraints by L-BFGS-B and TRON: a Gaussian fit held at σ ≥ 0.1
/// where the data's spread is about 0.01, and non-negative least squares
/// with its KKT residuals.
#[derive(Parser, Debug)]
#[command(name = "bounded_fits")]
pub struct BoundedFitsArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for BoundedFitsArgs {}

/// The classic small K-FAC demonstration on the seed article's data and
/// weights: the article's variant beside its reference losses, and
/// kfac-jax's defaults.
#[derive(Parser, Debug)]
#[command(name = "kfac_classic")]
pub struct KfacClassicArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for KfacClassicArgs {}

/// K-FAC against Adam on red wine: CPU time to reach Adam's loss at several
/// budgets, and held-out loss with an L2 penalty chosen on a validation split.
#[derive(Parser, Debug)]
#[command(name = "kfac_vs_adam")]
pub struct KfacVsAdamArgs {
    /// A smoke run: small budgets
    #[arg(long)]
    pub quick: bool,
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for KfacVsAdamArgs {}

/// Largest `--bases` of `mgh_table`.
pub const MAX_BASES: u64 = 1000;

/// Largest `--scale` factor of `mgh_table`.
pub const MAX_SCALE: f64 = 1e4;

/// A start-point factor: finite, nonzero, within ±[`MAX_SCALE`].
fn scale(v: &str) -> Result<f64, String> {
    let s = values::finite(v)?;
    if s != 0.0 && s.abs() <= MAX_SCALE {
        Ok(s)
    } else {
        Err(format!("must be nonzero and within ±{MAX_SCALE:e}"))
    }
}

/// Our deterministic solvers on the standard test problems, next to
/// scipy.optimize on the same problems. With --json, one JSON object per
/// line (a run, or a quadratic's Hessian).
#[derive(Parser, Debug)]
#[command(name = "mgh_table")]
pub struct MghTableArgs {
    /// Also solve extended Rosenbrock with n = 100 000 by L-BFGS and Newton-CG
    #[arg(long, conflicts_with_all = ["scale", "convex"])]
    pub large: bool,
    /// Also run the κ = 1000 quadratic in K random bases (at most 1000)
    #[arg(long, value_name = "K", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=MAX_BASES), allow_negative_numbers = true,
          conflicts_with_all = ["scale", "convex"])]
    pub bases: u64,
    /// Instead, run every problem from its standard start times each factor, e.g. 1,10,100 (nonzero, within ±1e4)
    #[arg(long, value_delimiter = ',', value_parser = scale, allow_hyphen_values = true,
          conflicts_with = "convex")]
    pub scale: Option<Vec<f64>>,
    /// Instead, run Newton and L-BFGS on softmax regression (iris, red wine)
    #[arg(long)]
    pub convex: bool,
    /// Instead, run L-BFGS-B and TRON on the bounded problems next to scipy's L-BFGS-B
    #[arg(long, conflicts_with_all = ["scale", "convex", "large", "bases"])]
    pub bounds: bool,
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for MghTableArgs {}

/// Training in f32 beside f64: a red-wine MLP (11-256-256-6) trained by
/// Adam and by K-FAC in each precision, from the same start on the same
/// data; the time each took and where each ended (losses, held-out accuracy).
#[derive(Parser, Debug)]
#[command(name = "precision")]
pub struct PrecisionArgs {
    /// Epochs of each run
    #[arg(long, default_value_t = 20, value_parser = count(1, MAX_PRECISION_EPOCHS), allow_negative_numbers = true)]
    pub epochs: usize,
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for PrecisionArgs {}

/// Largest `--epochs` of `precision`.
pub const MAX_PRECISION_EPOCHS: u64 = 1000;

/// Nyström-preconditioned CG against plain CG, sketch cost counted, on a
/// κ ≈ 10⁶ quadratic and on a red-wine MLP's damped Gauss-Newton system.
#[derive(Parser, Debug)]
#[command(name = "nystrom_pcg")]
pub struct NystromPcgArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for NystromPcgArgs {}

/// Longest time limit of one playground computation, in seconds.
pub const MAX_TIME_LIMIT: f64 = 3600.0;

/// A time limit: above 0, at most [`MAX_TIME_LIMIT`] seconds.
fn time_limit(v: &str) -> Result<f64, String> {
    let s = values::positive(v)?;
    if s <= MAX_TIME_LIMIT {
        Ok(s)
    } else {
        Err(format!("must be at most {MAX_TIME_LIMIT} seconds"))
    }
}

/// The playground: the arena and the curvature visualizer as one
/// interactive page, served locally.
#[derive(Parser, Debug)]
#[command(name = "playground")]
pub struct PlaygroundArgs {
    /// The port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 8000, allow_negative_numbers = true)]
    pub port: u16,
    /// The address to listen on (127.0.0.1: only this machine can connect)
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// The time limit of one computation, in seconds (at most 3600)
    #[arg(long, default_value_t = 30.0, value_parser = time_limit, allow_negative_numbers = true)]
    pub time_limit: f64,
    /// Print the address as JSON ({"address": "host:port"}) instead of a line of text
    #[arg(long)]
    pub json: bool,
}

impl Program for PlaygroundArgs {}

/// The measured comparison: one MLP trained full-batch by Adam, SGD,
/// L-BFGS, Hessian-free, natural gradient, K-FAC and Shampoo on red wine
/// and an ill-conditioned regression, the same wall-clock budget each;
/// loss curves as an SVG.
#[derive(Parser, Debug)]
#[command(name = "second_order_race")]
pub struct SecondOrderRaceArgs {
    /// A smoke run (budget 0.1 s)
    #[arg(long)]
    pub quick: bool,
    /// The budget per method and problem, in seconds, above 0 and at most a day (default: 2, or 0.1 with --quick)
    #[arg(long, value_parser = values::seconds, allow_negative_numbers = true)]
    pub seconds: Option<f64>,
    /// Adam's step size, above 0 (default: 0.1 on red wine, 0.03 on the regression)
    #[arg(long, value_parser = values::positive, allow_negative_numbers = true)]
    pub adam_lr: Option<f64>,
    /// SGD's step size, above 0 (default: 1.0 on red wine, 0.3 on the regression)
    #[arg(long, value_parser = values::positive, allow_negative_numbers = true)]
    pub sgd_lr: Option<f64>,
    /// The SVG file to write
    #[arg(long, default_value = "second_order_race.svg", value_parser = values::output_file)]
    pub out: PathBuf,
    #[command(flatten)]
    pub output: JsonFlag,
}

impl SecondOrderRaceArgs {
    /// The budget in seconds.
    pub fn seconds(&self) -> f64 {
        self.seconds.unwrap_or(if self.quick { 0.1 } else { 2.0 })
    }
}

impl Program for SecondOrderRaceArgs {}

/// The tour of second-order optimization, condensed: the key result of
/// each tour_* program in one run of a few seconds.
#[derive(Parser, Debug)]
#[command(name = "tour")]
pub struct TourArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for TourArgs {}

/// Tour 7: is Adam a diagonal second-order method? Its v̂ against the
/// Hessian, Fisher and empirical-Fisher diagonals; a scatter as SVG.
#[derive(Parser, Debug)]
#[command(name = "tour_adam_diagonal")]
pub struct TourAdamDiagonalArgs {
    /// The SVG file to write
    #[arg(long, default_value = "adam_diagonal.svg", value_parser = values::output_file)]
    pub out: PathBuf,
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for TourAdamDiagonalArgs {}

/// Tour 1: why gradient descent struggles on an ill-conditioned quadratic,
/// and what heavy-ball momentum changes.
#[derive(Parser, Debug)]
#[command(name = "tour_gradient_descent")]
pub struct TourGradientDescentArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for TourGradientDescentArgs {}

/// Tour 6: Hessian-vector products, exact against finite differences;
/// power iteration; CG's Newton step.
#[derive(Parser, Debug)]
#[command(name = "tour_hvp")]
pub struct TourHvpArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for TourHvpArgs {}

/// Tour 5: K-FAC on a small MLP, next to SGD and Adam with the same number
/// of steps.
#[derive(Parser, Debug)]
#[command(name = "tour_kfac")]
pub struct TourKfacArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for TourKfacArgs {}

/// Largest dimension of `tour_landscape` (its Newton methods factor a dense
/// n × n Hessian).
pub const MAX_LANDSCAPE_DIM: u64 = 2000;

/// An even dimension from 2 to [`MAX_LANDSCAPE_DIM`].
fn even_dimension(v: &str) -> Result<usize, String> {
    let n: usize = v
        .trim()
        .parse()
        .map_err(|_| "expected a whole number".to_string())?;
    if n >= 2 && n % 2 == 0 && n as u64 <= MAX_LANDSCAPE_DIM {
        Ok(n)
    } else {
        Err(format!(
            "extended Rosenbrock needs an even dimension from 2 to {MAX_LANDSCAPE_DIM}"
        ))
    }
}

/// Tour 7: every solver on extended Rosenbrock, with the measured cost of
/// a step, the steps to converge and the total time.
#[derive(Parser, Debug)]
#[command(name = "tour_landscape")]
pub struct TourLandscapeArgs {
    /// The dimension (even, from 2 to 2000)
    #[arg(long, default_value_t = 100, value_parser = even_dimension, allow_negative_numbers = true)]
    pub n: usize,
    /// The most iterations per solver (from 1 to 1 000 000)
    #[arg(long, default_value_t = 20_000, value_parser = count(1, 1_000_000), allow_negative_numbers = true)]
    pub cap: usize,
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for TourLandscapeArgs {}

/// Tour 4: fitting a Gaussian by gradient descent and by natural gradient,
/// next to the maximum-likelihood answer.
#[derive(Parser, Debug)]
#[command(name = "tour_natural_gradient")]
pub struct TourNaturalGradientArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for TourNaturalGradientArgs {}

/// Tour 2: Newton's method on a quadratic and on Rosenbrock, plain, with a
/// line search and with a trust region.
#[derive(Parser, Debug)]
#[command(name = "tour_newton")]
pub struct TourNewtonArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for TourNewtonArgs {}

/// Tour 3: BFGS and L-BFGS on a κ = 1000 quadratic, and the bare two-loop
/// recursion with unit steps.
#[derive(Parser, Debug)]
#[command(name = "tour_quasi_newton")]
pub struct TourQuasiNewtonArgs {
    #[command(flatten)]
    pub output: JsonFlag,
}

impl Program for TourQuasiNewtonArgs {}
