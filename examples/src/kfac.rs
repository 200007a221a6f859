//! K-FAC against first-order training on the seed article's small problem:
//! the 5-8-1 tanh MLP of [`mlp_task::seed_reference`], full batch, the
//! same number of steps for every method from the reference's initial
//! weights, loss recorded at steps 0, 20, 40 and the end. Every method is
//! stepped through the same [`TrainingMethod`] call.

use std::time::Instant;

use models::second_order::{Kfac, KfacConfig};
use models::{Adam, Params, Sgd, StepError, TrainingMethod};
use serde_json::json;

use crate::cli::Figures;
use crate::mlp_task::{self, SeedReference};

/// Steps per method.
pub const STEPS: usize = 60;
/// The steps at which the loss is reported.
pub const CHECKPOINTS: [usize; 4] = [0, 20, 40, STEPS];

/// One method's losses at the checkpoints.
#[derive(Clone, Debug)]
pub struct KfacRow {
    /// The method and its settings.
    pub method: &'static str,
    /// `(step, training loss, training accuracy)` at each checkpoint.
    pub losses: Vec<(usize, f64, f64)>,
    /// Wall time of the training steps (evaluations excluded), seconds.
    pub seconds: f64,
}

/// Everything `tour_kfac` and `kfac_classic` report.
#[derive(Clone, Debug)]
pub struct KfacFigures {
    /// One row per method.
    pub rows: Vec<KfacRow>,
    /// The reference implementation's losses at the checkpoints, for its variant.
    pub reference: Vec<(usize, f64)>,
}

/// Why the K-FAC tour could not run.
#[derive(Debug)]
pub enum KfacTourError {
    /// The reference data could not be read.
    Data(String),
    /// A step failed.
    Step(StepError),
}

impl std::fmt::Display for KfacTourError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KfacTourError::Data(e) => write!(f, "data: {e}"),
            KfacTourError::Step(e) => write!(f, "step: {e}"),
        }
    }
}

impl std::error::Error for KfacTourError {}

/// `STEPS` steps of `method` from the reference's initial weights.
fn train(
    seed: &SeedReference,
    method: &'static str,
    stepper: &mut impl TrainingMethod,
) -> Result<KfacRow, KfacTourError> {
    let (problem, data) = (&seed.problem, seed.problem.data());
    let mut params: Params = seed.params.clone();
    let mut losses = Vec::new();
    let mut seconds = 0.0;
    for step in 0..=STEPS {
        if CHECKPOINTS.contains(&step) {
            let (loss, accuracy) = problem.evaluate(params.tensors(), data);
            losses.push((step, loss, accuracy.unwrap_or(f64::NAN)));
        }
        if step < STEPS {
            let t = Instant::now();
            stepper
                .step(problem, &mut params, data)
                .map_err(KfacTourError::Step)?;
            seconds += t.elapsed().as_secs_f64();
        }
    }
    Ok(KfacRow {
        method,
        losses,
        seconds,
    })
}

fn reference() -> Result<SeedReference, KfacTourError> {
    mlp_task::seed_reference().map_err(|e| KfacTourError::Data(e.to_string()))
}

fn reference_checkpoints(seed: &SeedReference) -> Vec<(usize, f64)> {
    CHECKPOINTS
        .iter()
        .filter_map(|&c| seed.losses.get(c).map(|&l| (c, l)))
        .collect()
}

/// The two K-FAC configurations: the seed article's variant and kfac-jax's defaults.
pub fn classic() -> Result<KfacFigures, KfacTourError> {
    let seed = reference()?;
    let variant = KfacConfig::seed_article(seed.damping, seed.step_size);
    let rows = vec![
        train(
            &seed,
            "K-FAC, seed article's variant (damping 0.01, step 0.1)",
            &mut Kfac::new(variant),
        )?,
        train(
            &seed,
            "K-FAC, kfac-jax defaults (quadratic model, adaptive damping)",
            &mut Kfac::default(),
        )?,
    ];
    Ok(KfacFigures {
        reference: reference_checkpoints(&seed),
        rows,
    })
}

/// K-FAC's two configurations, SGD and Adam from the same initialisation.
pub fn run() -> Result<KfacFigures, KfacTourError> {
    let mut figures = classic()?;
    let seed = reference()?;
    figures
        .rows
        .push(train(&seed, "SGD (lr 0.1)", &mut Sgd::new(0.1))?);
    figures
        .rows
        .push(train(&seed, "Adam (lr 0.01)", &mut Adam::new().lr(0.01))?);
    Ok(figures)
}

impl Figures for KfacFigures {
    fn table(&self) -> String {
        let mut s = format!(
            "5-8-1 tanh MLP, {} points labelled by x₀ + x₁ > 0 (the seed article's data and initial weights),\nbinary cross-entropy, full batch, {} steps each: training loss (accuracy)\n\n",
            mlp_task::POINTS,
            STEPS
        );
        s += &format!("{:<64}", "method");
        for c in CHECKPOINTS {
            s += &format!(" {:>16}", format!("step {c}"));
        }
        s += &format!(" {:>9}\n", "µs/step");
        for r in &self.rows {
            s += &format!("{:<64}", r.method);
            for (_, loss, acc) in &r.losses {
                s += &format!(" {:>16}", format!("{loss:.4} ({acc:.2})"));
            }
            s += &format!(" {:>9.0}\n", r.seconds / STEPS as f64 * 1e6);
        }
        s += &format!(
            "{:<64}",
            "the reference implementation, its variant (loss with ε = 1e-8)"
        );
        for (_, loss) in &self.reference {
            s += &format!(" {:>16}", format!("{loss:.4}"));
        }
        s += "\n";
        s
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "steps": STEPS,
            "rows": self.rows.iter().map(|r| json!({
                "method": r.method,
                "seconds": r.seconds,
                "checkpoints": r.losses.iter().map(|(step, loss, acc)| json!({
                    "step": step, "loss": loss, "accuracy": acc,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "reference": self.reference.iter().map(|(step, loss)| json!({"step": step, "loss": loss})).collect::<Vec<_>>(),
        })
    }
}
