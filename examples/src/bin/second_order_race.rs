//! The measured comparison: the same MLP trained full-batch by Adam, SGD
//! with momentum, L-BFGS, Hessian-free, natural gradient (CG), K-FAC and
//! Shampoo, on red-wine quality (11-32-6 tanh, softmax cross-entropy) and
//! on a synthetic ill-conditioned regression (20-32-1 tanh, squared error,
//! `XᵀX/n` with condition number 1e4). Every method gets the same
//! wall-clock budget per problem (and an iteration cap); an iteration is one
//! parameter update. The clock runs only inside the optimizer: the training
//! loss recorded after every iteration is evaluated with the clock stopped
//! (L-BFGS reports it itself, so its clock includes that).
//!
//! Run: `cargo run --release -p examples --bin second_order_race`
//! (`--json` for a machine-readable summary on stdout, `--out FILE` for the
//! SVG, default `second_order_race.svg` in the current folder, `--seconds S`
//! for the budget per method and problem, above 0 and at most a day,
//! default 2, `--quick` for a smoke run, `--adam-lr` and `--sgd-lr`, above
//! 0, to rerun the step-size grid below; `--help` lists them).
//!
//! Settings. The first-order step sizes are the best final training loss
//! of a grid run with this program (`--adam-lr`, `--sgd-lr`, 2 s budget) on
//! 2026-11-29 on the shared 2-core machine (load 3–8, so the grid is noisy);
//! the second-order methods use their published defaults, untuned.
//! - Adam: lr 0.1 on red wine, 0.03 on the regression (grid 1e-3, 3e-3,
//!   1e-2, 3e-2, 0.1), β = (0.9, 0.999), ε = 1e-8.
//! - SGD: lr 1.0 on red wine, 0.3 on the regression (grid 0.01, 0.03, 0.1,
//!   0.3, 1.0; 1.0 diverges on the regression), heavy-ball momentum 0.9.
//! - L-BFGS: optim's defaults (m = 10, strong Wolfe line search).
//! - Hessian-free: Martens 2010's defaults (λ₀ = 1, ≤ 250 CG steps, decay
//!   0.95, backtracking grid 1.3, preconditioner exponent 0.75, ε = 5e-4).
//! - Natural gradient: exact Fisher, CG (≤ 50 steps, relative tolerance
//!   1e-4), damping 1e-3, lr 1, step bounded by ½ sᵀFs ≤ 0.05 (TRPO-style).
//! - K-FAC: kfac-jax's defaults (sampled Fisher, EMA 0.95, inverses every
//!   10 steps, quadratic-model step and momentum, LM damping from 1e-3).
//! - Shampoo: grafted onto Adam with Adam's lr, ε = 1e-4, roots every 10 steps.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use examples::cli::json_line;
use examples::cli::programs::SecondOrderRaceArgs;
use examples::svg::write_atomic;
use models::curvature::Curvature;
use models::data::{self, Dataset};
use models::second_order::{HessianFree, Kfac, NaturalGradient, Shampoo, Solver};
use models::{
    Activation, Adam, Loss, Mlp, Mse, Params, Sgd, SoftmaxCrossEntropy, Standardizer, Supervised,
    TrainingMethod,
};
use optim::objective::AutodiffObjective;
use optim::solvers::{Control, IterState, Lbfgs, Minimizer, Options};
use plotters::prelude::*;
use serde_json::json;

/// One method's run: `(iteration, seconds, training loss)` after every update.
struct Run {
    method: &'static str,
    points: Vec<(usize, f64, f64)>,
    test_loss: f64,
    note: Option<String>,
}

impl Run {
    fn last(&self) -> (usize, f64, f64) {
        *self
            .points
            .last()
            .expect("the initial point is always recorded")
    }

    /// The first iteration and time at which the training loss is at most `target`.
    fn reaches(&self, target: f64) -> Option<(usize, f64)> {
        self.points
            .iter()
            .find(|p| p.2 <= target)
            .map(|&(i, s, _)| (i, s))
    }
}

struct Budget {
    time: Duration,
}

impl Budget {
    fn cap(&self, method: &str) -> usize {
        match method {
            "Hessian-free" => 300,
            "natural gradient (CG)" | "K-FAC" => 3000,
            _ => 20_000,
        }
    }
}

/// Runs full-batch steps of `stepper` until the budget or the cap,
/// recording the loss after each update.
fn race<L: Loss>(
    method: &'static str,
    problem: &Supervised<Mlp, L>,
    test: &Dataset,
    start: &Params,
    budget: &Budget,
    stepper: &mut impl TrainingMethod,
) -> Run {
    let mut params = start.clone();
    let loss = |p: &Params| autodiff::value(problem.closure(), p.tensors()).item();
    let mut points = vec![(0, 0.0, loss(&params))];
    let mut clock = Duration::ZERO;
    let mut note = None;
    for iteration in 1..=budget.cap(method) {
        let t0 = Instant::now();
        if let Err(error) = stepper.step(problem, &mut params, problem.data()) {
            note = Some(format!("stopped: {error}"));
            break;
        }
        clock += t0.elapsed();
        let f = loss(&params);
        points.push((iteration, clock.as_secs_f64(), f));
        if !f.is_finite() {
            note = Some("diverged".into());
            break;
        }
        if clock >= budget.time {
            break;
        }
    }
    Run {
        method,
        points,
        test_loss: problem.evaluate(params.tensors(), test).0,
        note,
    }
}

fn lbfgs<L: Loss>(
    problem: &Supervised<Mlp, L>,
    test: &Dataset,
    start: &Params,
    budget: &Budget,
) -> Run {
    let objective = AutodiffObjective::new(start.num_values(), problem.flat_closure(start));
    let options = Options {
        gtol: 1e-12,
        max_iter: budget.cap("L-BFGS"),
        ..Options::default()
    };
    let mut points = Vec::new();
    let t0 = Instant::now();
    let mut observer = |s: &IterState| {
        let seconds = t0.elapsed().as_secs_f64();
        points.push((s.iteration, seconds, s.f));
        if seconds >= budget.time.as_secs_f64() {
            Control::Stop
        } else {
            Control::Continue
        }
    };
    let report =
        Lbfgs::default().minimize_observed(&objective, &start.flatten(), &options, &mut observer);
    let note = (!report.status.is_converged()
        && report.status != optim::solvers::Status::StoppedByObserver
        && report.status != optim::solvers::Status::MaxIterations)
        .then(|| format!("{:?}", report.status));
    let params = start
        .with_flat(&report.x)
        .expect("L-BFGS keeps the dimension");
    Run {
        method: "L-BFGS",
        points,
        test_loss: problem.evaluate(params.tensors(), test).0,
        note,
    }
}

/// Every method on one problem, from the same initial parameters.
fn all_methods<L: Loss + Clone>(
    problem: &Supervised<Mlp, L>,
    test: &Dataset,
    budget: &Budget,
    (adam_lr, sgd_lr): (f64, f64),
) -> Vec<Run> {
    let start = problem.model().init(0);
    let mut adam = Adam::new().lr(adam_lr);
    let mut sgd = Sgd::new(sgd_lr).momentum(0.9);
    let mut shampoo = Shampoo::new(Adam::new().lr(adam_lr))
        .eps(1e-4)
        .update_every(10);
    let mut hf = HessianFree::default();
    let mut ng = NaturalGradient::new()
        .lr(1.0)
        .damping(1e-3)
        .curvature(Curvature::Fisher)
        .solver(Solver::Cg {
            max_iter: 50,
            rel_tol: 1e-4,
        })
        .max_kl(0.05);
    let mut kfac = Kfac::default();
    vec![
        race("Adam", problem, test, &start, budget, &mut adam),
        race("SGD + momentum", problem, test, &start, budget, &mut sgd),
        lbfgs(problem, test, &start, budget),
        race("Hessian-free", problem, test, &start, budget, &mut hf),
        race(
            "natural gradient (CG)",
            problem,
            test,
            &start,
            budget,
            &mut ng,
        ),
        race("K-FAC", problem, test, &start, budget, &mut kfac),
        race("Shampoo", problem, test, &start, budget, &mut shampoo),
    ]
}

fn standardised(d: Dataset) -> Result<(Dataset, Dataset), data::DataError> {
    let (train, test) = d.split(0.25, 0)?;
    let scale = Standardizer::fit(&train);
    Ok((scale.apply(&train), scale.apply(&test)))
}

/// Loss against iterations (log–log) and against seconds (log loss), one row per problem.
/// The loss curves of every problem, by iteration and by time, as an SVG.
fn plot(problems: &[(&str, Vec<Run>)]) -> Result<String, Box<dyn std::error::Error>> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1200, 420 * problems.len() as u32))
            .into_drawing_area();
        root.fill(&WHITE)?;
        let rows = root.split_evenly((problems.len(), 2));
        for (r, (name, runs)) in problems.iter().enumerate() {
            // The y range spans the lowest loss reached and the common
            // starting loss; a diverging run leaves the chart at the top.
            let start = runs
                .iter()
                .map(|run| run.points[0].2)
                .fold(0.0f64, f64::max)
                .max(f64::MIN_POSITIVE);
            let lo = runs
                .iter()
                .flat_map(|run| run.points.iter().map(|p| p.2))
                .filter(|f| f.is_finite() && *f > 0.0)
                .fold(start, f64::min);
            let hi = start * 1.5;
            let clip = move |f: f64| if f.is_finite() { f.clamp(lo, hi) } else { hi };
            let max_iter = runs
                .iter()
                .map(|run| run.last().0)
                .max()
                .unwrap_or(1)
                .max(2) as f64;
            let max_time = runs.iter().map(|run| run.last().1).fold(1e-3, f64::max);
            for (c, by_time) in [false, true].into_iter().enumerate() {
                let area = &rows[2 * r + c];
                let caption = format!(
                    "{name}: training loss vs {}",
                    if by_time { "seconds" } else { "iterations" }
                );
                let mut builder = ChartBuilder::on(area);
                builder
                    .caption(caption, ("sans-serif", 18))
                    .margin(12)
                    .x_label_area_size(36)
                    .y_label_area_size(60);
                if by_time {
                    let mut chart =
                        builder.build_cartesian_2d(0.0..max_time, (lo * 0.9..hi).log_scale())?;
                    chart
                        .configure_mesh()
                        .x_desc("seconds")
                        .y_desc("training loss")
                        .y_label_formatter(&|v| format!("{v:.0e}"))
                        .draw()?;
                    for (run, color) in runs.iter().zip(examples::arena::COLOURS.iter()) {
                        chart
                            .draw_series(LineSeries::new(
                                run.points.iter().map(|p| (p.1, clip(p.2))),
                                color,
                            ))?
                            .label(run.method)
                            .legend(move |(x, y)| {
                                PathElement::new(vec![(x, y), (x + 16, y)], color)
                            });
                    }
                    chart
                        .configure_series_labels()
                        .background_style(WHITE.mix(0.8))
                        .border_style(BLACK)
                        .draw()?;
                } else {
                    let mut chart = builder.build_cartesian_2d(
                        (1.0..max_iter).log_scale(),
                        (lo * 0.9..hi).log_scale(),
                    )?;
                    chart
                        .configure_mesh()
                        .x_desc("iterations")
                        .x_label_formatter(&|v| format!("{v:.0}"))
                        .y_desc("training loss")
                        .y_label_formatter(&|v| format!("{v:.0e}"))
                        .draw()?;
                    for (run, color) in runs.iter().zip(examples::arena::COLOURS.iter()) {
                        chart.draw_series(LineSeries::new(
                            run.points
                                .iter()
                                .filter(|p| p.0 >= 1)
                                .map(|p| (p.0 as f64, clip(p.2))),
                            color,
                        ))?;
                    }
                }
            }
        }
        root.present()?;
    }
    Ok(svg)
}

fn main() -> ExitCode {
    examples::cli::main(run)
}

fn run(
    args: SecondOrderRaceArgs,
    stdout: &mut dyn std::io::Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let seconds = args.seconds();
    let budget = Budget {
        time: Duration::from_secs_f64(seconds),
    };
    let (adam_lr, sgd_lr) = (args.adam_lr, args.sgd_lr);
    let out = &args.out;
    let json_output = args.output.json;

    let (wine_train, wine_test) = standardised(data::wine_quality())?;
    let wine = Supervised::new(
        Mlp::new(11)
            .dense(32, Activation::Tanh)
            .dense(6, Activation::Identity),
        SoftmaxCrossEntropy,
        wine_train,
    )?;
    let (synthetic, _) = data::ill_conditioned_regression(800, 20, 1e4, 0.05, 1)?;
    let (ill_train, ill_test) = synthetic.split(0.25, 0)?;
    let ill = Supervised::new(
        Mlp::new(20)
            .dense(32, Activation::Tanh)
            .dense(1, Activation::Identity),
        Mse,
        ill_train,
    )?;

    let problems = vec![
        (
            "red wine",
            all_methods(
                &wine,
                &wine_test,
                &budget,
                (adam_lr.unwrap_or(0.1), sgd_lr.unwrap_or(1.0)),
            ),
        ),
        (
            "ill-conditioned",
            all_methods(
                &ill,
                &ill_test,
                &budget,
                (adam_lr.unwrap_or(0.03), sgd_lr.unwrap_or(0.3)),
            ),
        ),
    ];
    write_atomic(out, &plot(&problems)?)?;

    let mut summary = Vec::new();
    for (name, runs) in &problems {
        let adam = runs.iter().find(|r| r.method == "Adam").expect("Adam ran");
        let (adam_iters, adam_secs, adam_final) = adam.last();
        if !json_output {
            writeln!(stdout, "\n{name}: Adam's final training loss {adam_final:.5} after {adam_iters} iterations, {adam_secs:.2} s")?;
            writeln!(
                stdout,
                "{:<22} {:>6} {:>7} {:>11} {:>10} {:>16} {:>9}",
                "method", "iters", "seconds", "train loss", "test loss", "to Adam's final", "note"
            )?;
        }
        let mut methods = Vec::new();
        for run in runs {
            let (iters, secs, train) = run.last();
            let reach = run.reaches(adam_final);
            if !json_output {
                let reach_text =
                    reach.map_or("never".to_string(), |(i, s)| format!("{i} it, {s:.2} s"));
                writeln!(
                    stdout,
                    "{:<22} {:>6} {:>7.2} {:>11.5} {:>10.5} {:>16} {:>9}",
                    run.method,
                    iters,
                    secs,
                    train,
                    run.test_loss,
                    reach_text,
                    run.note.as_deref().unwrap_or("")
                )?;
            }
            let stride = (run.points.len() / 200).max(1);
            methods.push(json!({
                "method": run.method,
                "iterations": iters,
                "seconds": secs,
                "train_loss": train,
                "test_loss": run.test_loss,
                "reaches_adam_final": reach.map(|(i, s)| json!({"iterations": i, "seconds": s})),
                "note": run.note,
                "curve": run.points.iter().step_by(stride).map(|p| json!([p.0, p.1, p.2])).collect::<Vec<_>>(),
            }));
        }
        summary.push(
            json!({"problem": name, "adam_final_train_loss": adam_final, "methods": methods}),
        );
    }
    if json_output {
        json_line(
            stdout,
            &json!({"budget_seconds": seconds, "plot": out.display().to_string(), "problems": summary}),
        )?;
    } else {
        writeln!(stdout, "\nplot: {}", out.display())?;
    }
    Ok(())
}
