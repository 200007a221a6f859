//! K-FAC against Adam on red wine by CPU time, and which method generalises.
//!
//! Part 1 (speed): the 11-32-6 tanh MLP, full batch on the 1 199 training
//! wines (standardised), Adam with each step size of a 5-point grid for up
//! to 4 000 steps, and K-FAC with kfac-jax's defaults. For every budget of
//! `N` Adam steps, Adam's loss is the best over the grid after `N` steps;
//! K-FAC's time is the CPU time it needs to reach that loss. The clock is
//! the calling thread's CPU time (these products are below the engine's
//! threading threshold, so one thread does all the work) and runs only
//! inside the steps.
//!
//! Part 2 (generalisation): the training wines split again 80/20 into fit
//! and validation sets; each method trains on the fit set with L2 penalties
//! `0, 1e-4, 1e-3, 1e-2, 3e-2, 0.1`, the penalty with the lowest validation loss is
//! kept, and the held-out test loss (the 400 wines never used) is reported
//! beside the unregularised one. Every run goes through `Trainer::fit`.

use cpu_time::ThreadTime;
use models::second_order::{HessianFree, HessianFreeConfig, Kfac};
use models::{
    data, Activation, Adam, Control, Dataset, FullBatch, Mlp, Params, SoftmaxCrossEntropy,
    Standardizer, Supervised, Trainer, TrainingMethod,
};
use optim::solvers::Lbfgs;
use serde_json::json;

use crate::cli::Figures;

/// Adam's step sizes.
pub const ADAM_GRID: [f64; 5] = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1];
/// The budgets, in Adam steps.
pub const BUDGETS: [usize; 4] = [500, 1000, 2000, 4000];
/// The L2 penalties tried on the validation split.
pub const PENALTIES: [f64; 6] = [0.0, 1e-4, 1e-3, 1e-2, 3e-2, 1e-1];

/// One budget of part 1.
#[derive(Clone, Debug)]
pub struct BudgetRow {
    /// Adam steps.
    pub adam_steps: usize,
    /// The best step size of the grid at this budget.
    pub adam_lr: f64,
    /// Adam's training loss after the budget (best of the grid).
    pub adam_loss: f64,
    /// Adam's CPU seconds for those steps.
    pub adam_seconds: f64,
    /// K-FAC's steps and CPU seconds to reach `adam_loss`, if it did within its cap.
    pub kfac: Option<(usize, f64)>,
}

/// One method of part 2.
#[derive(Clone, Debug)]
pub struct GeneralisationRow {
    /// The method and its budget.
    pub method: &'static str,
    /// The penalty chosen on the validation split.
    pub l2: f64,
    /// Validation loss at that penalty.
    pub validation_loss: f64,
    /// Test loss and accuracy at that penalty.
    pub test: (f64, f64),
    /// Test loss and accuracy without a penalty.
    pub unregularised_test: (f64, f64),
}

/// Everything the program reports.
#[derive(Clone, Debug)]
pub struct BudgetFigures {
    /// Mean CPU milliseconds per step: Adam (at its best grid point for the
    /// largest budget) and K-FAC.
    pub ms_per_step: (f64, f64),
    /// Part 1, one row per budget.
    pub budgets: Vec<BudgetRow>,
    /// Part 2, one row per method.
    pub generalisation: Vec<GeneralisationRow>,
}

fn wine() -> Result<(Dataset, Dataset), data::DataError> {
    let (train, test) = data::wine_quality().split(0.25, 0)?;
    let scale = Standardizer::fit(&train);
    Ok((scale.apply(&train), scale.apply(&test)))
}

fn mlp() -> Mlp {
    Mlp::new(11)
        .dense(32, Activation::Tanh)
        .dense(6, Activation::Identity)
}

/// Full-batch steps of `method` from `start`: after each step, the
/// cumulative CPU seconds inside the steps and the training loss (evaluated
/// with the clock stopped). Stops after `cap` steps or once `stop` holds.
fn trajectory(
    problem: &Supervised<Mlp, SoftmaxCrossEntropy>,
    start: &Params,
    method: &mut impl TrainingMethod,
    cap: usize,
    stop: impl Fn(f64) -> bool,
) -> Vec<(f64, f64)> {
    let mut params = start.clone();
    let mut seconds = 0.0;
    let mut points = Vec::with_capacity(cap);
    for _ in 0..cap {
        let clock = ThreadTime::now();
        if method.step(problem, &mut params, problem.data()).is_err() {
            break;
        }
        seconds += clock.elapsed().as_secs_f64();
        let loss = problem.objective_value(&params, problem.data());
        points.push((seconds, loss));
        if stop(loss) || !loss.is_finite() {
            break;
        }
    }
    points
}

fn speed(quick: bool) -> Result<(Vec<BudgetRow>, (f64, f64)), data::DataError> {
    let (train, _) = wine()?;
    let problem = Supervised::new(mlp(), SoftmaxCrossEntropy, train)
        .expect("the MLP fits the wine data by construction");
    let start = mlp().init(0);
    let budgets: Vec<usize> = BUDGETS
        .iter()
        .map(|b| if quick { b / 50 } else { *b })
        .collect();
    let largest = *budgets.last().expect("budgets");
    let adam: Vec<(f64, Vec<(f64, f64)>)> = ADAM_GRID
        .iter()
        .map(|&lr| {
            let run = trajectory(&problem, &start, &mut Adam::new().lr(lr), largest, |_| {
                false
            });
            (lr, run)
        })
        .collect();
    let mut rows: Vec<BudgetRow> = budgets
        .iter()
        .map(|&n| {
            let (lr, run) = adam
                .iter()
                .filter(|(_, run)| run.len() >= n)
                .min_by(|a, b| a.1[n - 1].1.total_cmp(&b.1[n - 1].1))
                .expect("a finite Adam run");
            BudgetRow {
                adam_steps: n,
                adam_lr: *lr,
                adam_loss: run[n - 1].1,
                adam_seconds: run[n - 1].0,
                kfac: None,
            }
        })
        .collect();
    let target = rows
        .iter()
        .map(|r| r.adam_loss)
        .fold(f64::INFINITY, f64::min);
    let kfac = trajectory(&problem, &start, &mut Kfac::default(), largest, |l| {
        l <= target
    });
    for row in &mut rows {
        row.kfac = kfac
            .iter()
            .position(|&(_, loss)| loss <= row.adam_loss)
            .map(|i| (i + 1, kfac[i].0));
    }
    let best = &adam
        .iter()
        .find(|(lr, _)| *lr == rows.last().expect("rows").adam_lr)
        .expect("the chosen rate")
        .1;
    let per_step = |run: &[(f64, f64)]| {
        run.last()
            .map_or(f64::NAN, |p| p.0 / run.len() as f64 * 1e3)
    };
    Ok((rows, (per_step(best), per_step(&kfac))))
}

/// Trains a fresh copy of the MLP on `fit` with penalty `l2`, evaluating on `validation` and `test`.
fn fit_and_test(
    fit: &Dataset,
    validation: &Dataset,
    test: &Dataset,
    l2: f64,
    method: &mut impl TrainingMethod,
    steps: usize,
) -> (f64, (f64, f64)) {
    let problem = Supervised::new(mlp(), SoftmaxCrossEntropy, fit.clone())
        .expect("the MLP fits the wine data by construction")
        .with_l2(l2);
    let mut params = mlp().init(0);
    let trainer = Trainer {
        epochs: steps,
        batch_size: fit.len(),
        progress: false,
        ..Trainer::default()
    };
    trainer
        .fit(&problem, &mut params, method, None, |_| Control::Continue)
        .expect("the settings are valid");
    let validation_loss = problem.evaluate(params.tensors(), validation).0;
    let (loss, accuracy) = problem.evaluate(params.tensors(), test);
    (validation_loss, (loss, accuracy.unwrap_or(f64::NAN)))
}

fn generalisation(quick: bool, adam_lr: f64) -> Result<Vec<GeneralisationRow>, data::DataError> {
    let (train, test) = wine()?;
    let (fit, validation) = train.split(0.2, 1)?;
    let scale = move |n: usize| if quick { (n / 20).max(2) } else { n };
    type Make = Box<dyn Fn(&Dataset, &Dataset, &Dataset, f64) -> (f64, (f64, f64))>;
    let methods: Vec<(&'static str, Make)> = vec![
        (
            "Adam (best lr of part 1, 2000 steps)",
            Box::new(move |f, v, t, l2| {
                fit_and_test(f, v, t, l2, &mut Adam::new().lr(adam_lr), scale(2000))
            }),
        ),
        (
            "K-FAC (kfac-jax defaults, 300 steps)",
            Box::new(move |f, v, t, l2| {
                fit_and_test(f, v, t, l2, &mut Kfac::default(), scale(300))
            }),
        ),
        (
            "L-BFGS (300 iterations)",
            Box::new(move |f, v, t, l2| {
                fit_and_test(
                    f,
                    v,
                    t,
                    l2,
                    &mut FullBatch::new(Lbfgs::default(), scale(300)),
                    1,
                )
            }),
        ),
        (
            "Hessian-free (≤ 50 CG steps each, 60 steps)",
            Box::new(move |f, v, t, l2| {
                let config = HessianFreeConfig {
                    max_cg: 50,
                    ..HessianFreeConfig::default()
                };
                fit_and_test(f, v, t, l2, &mut HessianFree::new(config), scale(60))
            }),
        ),
    ];
    Ok(methods
        .into_iter()
        .map(|(method, run)| {
            let runs: Vec<(f64, (f64, f64, f64))> = PENALTIES
                .iter()
                .map(|&l2| {
                    let (v, t) = run(&fit, &validation, &test, l2);
                    (l2, (v, t.0, t.1))
                })
                .collect();
            let (l2, (validation_loss, test_loss, accuracy)) = *runs
                .iter()
                .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0))
                .expect("penalties");
            let unregularised = runs[0].1;
            GeneralisationRow {
                method,
                l2,
                validation_loss,
                test: (test_loss, accuracy),
                unregularised_test: (unregularised.1, unregularised.2),
            }
        })
        .collect())
}

/// Runs both parts (`quick`: budgets cut fifty-fold and twenty-fold, for a smoke test).
pub fn run(quick: bool) -> Result<BudgetFigures, data::DataError> {
    let (budgets, ms_per_step) = speed(quick)?;
    let adam_lr = budgets.last().map_or(1e-2, |r| r.adam_lr);
    Ok(BudgetFigures {
        ms_per_step,
        budgets,
        generalisation: generalisation(quick, adam_lr)?,
    })
}

impl Figures for BudgetFigures {
    fn table(&self) -> String {
        let mut s = String::from("Red wine, 11-32-6 tanh MLP, full batch (1 199 wines), CPU time of the calling thread\n");
        s += &format!(
            "per step: Adam {:.3} ms, K-FAC {:.3} ms ({:.2} Adam steps)\n\n",
            self.ms_per_step.0,
            self.ms_per_step.1,
            self.ms_per_step.1 / self.ms_per_step.0
        );
        s += "Adam steps  best lr  Adam loss   Adam s   K-FAC steps  K-FAC s  K-FAC faster\n";
        for r in &self.budgets {
            let (steps, secs, faster) = match r.kfac {
                Some((n, t)) => (
                    n.to_string(),
                    format!("{t:.3}"),
                    if t < r.adam_seconds { "yes" } else { "no" },
                ),
                None => ("never".into(), "-".into(), "no"),
            };
            s += &format!(
                "{:>10}  {:>7}  {:>9.5}  {:>7.3}  {:>11}  {:>7}  {:>12}\n",
                r.adam_steps, r.adam_lr, r.adam_loss, r.adam_seconds, steps, secs, faster
            );
        }
        s += "\nHeld-out loss (400 test wines), L2 chosen on a validation split of the training wines:\n";
        s += &format!(
            "{:<46} {:>7} {:>10} {:>18} {:>22}\n",
            "method", "L2", "val. loss", "test loss (acc.)", "test, no L2 (acc.)"
        );
        for r in &self.generalisation {
            s += &format!(
                "{:<46} {:>7} {:>10.4} {:>18} {:>22}\n",
                r.method,
                r.l2,
                r.validation_loss,
                format!("{:.4} ({:.3})", r.test.0, r.test.1),
                format!(
                    "{:.4} ({:.3})",
                    r.unregularised_test.0, r.unregularised_test.1
                ),
            );
        }
        if let Some(best) = self
            .generalisation
            .iter()
            .min_by(|a, b| a.test.0.total_cmp(&b.test.0))
        {
            s += &format!("\nlowest held-out loss: {}\n", best.method);
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "ms_per_step": {"adam": self.ms_per_step.0, "kfac": self.ms_per_step.1},
            "budgets": self.budgets.iter().map(|r| json!({
                "adam_steps": r.adam_steps, "adam_lr": r.adam_lr, "adam_loss": r.adam_loss,
                "adam_seconds": r.adam_seconds,
                "kfac_steps": r.kfac.map(|k| k.0), "kfac_seconds": r.kfac.map(|k| k.1),
            })).collect::<Vec<_>>(),
            "generalisation": self.generalisation.iter().map(|r| json!({
                "method": r.method, "l2": r.l2, "validation_loss": r.validation_loss,
                "test_loss": r.test.0, "test_accuracy": r.test.1,
                "unregularised_test_loss": r.unregularised_test.0,
                "unregularised_test_accuracy": r.unregularised_test.1,
            })).collect::<Vec<_>>(),
        })
    }
}
