//! K-FAC against first-order training on the classic small problem: the
//! 5-8-1 tanh MLP of [`mlp_task`], full batch, the same number of steps for
//! every method, loss recorded at steps 0, 20, 40 and the end.

use std::time::Instant;

use models::second_order::{Kfac, KfacParams, Trouble};
use models::{Adam, Optimizer, Params, Sgd};
use serde_json::json;

use crate::cli::Figures;
use crate::mlp_task;

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

/// Everything `tour_kfac` reports.
#[derive(Clone, Debug)]
pub struct KfacFigures {
    /// One row per method.
    pub rows: Vec<KfacRow>,
}

/// Why the K-FAC tour could not run.
#[derive(Debug)]
pub enum KfacTourError {
    /// The data set could not be built.
    Data(models::data::DataError),
    /// A K-FAC step failed.
    Step(Trouble),
}

impl std::fmt::Display for KfacTourError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KfacTourError::Data(e) => write!(f, "data: {e}"),
            KfacTourError::Step(e) => write!(f, "K-FAC step: {e}"),
        }
    }
}

impl std::error::Error for KfacTourError {}

/// Trains from the same initialisation (Glorot, seed 0) with each method.
pub fn run() -> Result<KfacFigures, KfacTourError> {
    let problem = mlp_task::problem().map_err(KfacTourError::Data)?;
    let data = problem.data().clone();
    let mlp = mlp_task::mlp();
    let record = |params: &Params, step: usize, losses: &mut Vec<(usize, f64, f64)>| {
        if CHECKPOINTS.contains(&step) {
            let (loss, accuracy) = problem.evaluate(params.tensors(), &data);
            losses.push((step, loss, accuracy.unwrap_or(f64::NAN)));
        }
    };
    let mut rows = Vec::new();
    let kfac_variants: [(&'static str, KfacParams); 2] = [
        (
            "K-FAC (quadratic-model step, adaptive damping)",
            KfacParams::default(),
        ),
        (
            "K-FAC (step 0.1, damping 0.01 fixed)",
            mlp_task::classic_kfac_params(),
        ),
    ];
    for (method, settings) in kfac_variants {
        let mut params = mlp.init(0);
        let mut kfac = Kfac::new(&mlp, settings);
        let mut losses = Vec::new();
        let mut seconds = 0.0;
        for step in 0..=STEPS {
            record(&params, step, &mut losses);
            if step < STEPS {
                let t = Instant::now();
                kfac.step(&problem, &mut params, &data)
                    .map_err(KfacTourError::Step)?;
                seconds += t.elapsed().as_secs_f64();
            }
        }
        rows.push(KfacRow {
            method,
            losses,
            seconds,
        });
    }
    let first_order: [(&'static str, Box<dyn Optimizer>); 2] = [
        ("SGD (lr 0.1)", Box::new(Sgd::new(0.1))),
        ("Adam (lr 0.01)", Box::new(Adam::new().lr(0.01))),
    ];
    for (method, mut optimizer) in first_order {
        let mut params = mlp.init(0);
        let mut losses = Vec::new();
        let mut seconds = 0.0;
        for step in 0..=STEPS {
            record(&params, step, &mut losses);
            if step < STEPS {
                let t = Instant::now();
                let (_, grads) = problem.value_and_grad(params.tensors());
                optimizer.step(params.tensors_mut(), &grads);
                seconds += t.elapsed().as_secs_f64();
            }
        }
        rows.push(KfacRow {
            method,
            losses,
            seconds,
        });
    }
    Ok(KfacFigures { rows })
}

impl Figures for KfacFigures {
    fn table(&self) -> String {
        let mut s = format!(
            "5-8-1 tanh MLP, {} points labelled by x₀ + x₁ > 0, binary cross-entropy, full batch,\n{} steps each from the same initialisation: training loss (accuracy)\n\n",
            mlp_task::POINTS,
            STEPS
        );
        s += &format!("{:<48}", "method");
        for c in CHECKPOINTS {
            s += &format!(" {:>16}", format!("step {c}"));
        }
        s += &format!(" {:>9}\n", "µs/step");
        for r in &self.rows {
            s += &format!("{:<48}", r.method);
            for (_, loss, acc) in &r.losses {
                s += &format!(" {:>16}", format!("{loss:.2e} ({acc:.2})"));
            }
            s += &format!(" {:>9.0}\n", r.seconds / STEPS as f64 * 1e6);
        }
        s += "\n(a K-FAC step also gathers per-layer statistics, samples labels for the\n";
        s += " Fisher, and every 10 steps inverts the Kronecker factors)\n";
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
        })
    }
}
