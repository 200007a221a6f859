//! Training in f32 beside f64: one red-wine MLP, from the same start (drawn
//! in f64 and rounded) on the same data (loaded in f64 and converted once),
//! trained by Adam and by K-FAC in each precision with the same settings.
//! What f32 changes is the time; what it must not change is where training
//! ends, so each run reports both.

use std::time::Instant;

use autodiff::Scalar;
use models::second_order::Kfac;
use models::{
    data, Activation, Adam, Control, Dataset, Mlp, SoftmaxCrossEntropy, Standardizer, Supervised,
    Trainer, TrainingMethod,
};
use serde_json::json;

use crate::cli::{machine, Figures};

/// Hidden units of each of the two tanh layers.
pub const HIDDEN: usize = 256;

/// One method trained in one precision.
#[derive(Clone, Debug)]
pub struct Run {
    /// The method.
    pub method: &'static str,
    /// `f64` or `f32`.
    pub precision: &'static str,
    /// Data loss on the training split at the end.
    pub train_loss: f64,
    /// Data loss on the held-out split at the end.
    pub test_loss: f64,
    /// Accuracy on the held-out split at the end.
    pub test_accuracy: f64,
    /// Wall-clock seconds of the training (evaluation included).
    pub seconds: f64,
}

/// Every run, with the setting they share.
#[derive(Clone, Debug)]
pub struct PrecisionFigures {
    /// The model, `11-256-256-6 tanh`.
    pub model: String,
    /// Epochs of each run.
    pub epochs: usize,
    /// Minibatch size of each run.
    pub batch_size: usize,
    /// Held-out wines.
    pub test_examples: usize,
    /// The CPU.
    pub machine: String,
    /// Adam f64, Adam f32, K-FAC f64, K-FAC f32.
    pub runs: Vec<Run>,
}

impl PrecisionFigures {
    /// The f32 run of `method` against its f64 run: (f64 seconds / f32
    /// seconds, f32 accuracy − f64 accuracy).
    pub fn f32_against_f64(&self, method: &str) -> Option<(f64, f64)> {
        let find = |p: &str| {
            self.runs
                .iter()
                .find(|r| r.method == method && r.precision == p)
        };
        let (wide, narrow) = (find("f64")?, find("f32")?);
        Some((
            wide.seconds / narrow.seconds,
            narrow.test_accuracy - wide.test_accuracy,
        ))
    }

    /// The binomial standard error of a held-out accuracy near `p`: the
    /// noise an accuracy difference is to be read against.
    pub fn standard_error(&self, p: f64) -> f64 {
        (p * (1.0 - p) / self.test_examples.max(1) as f64).sqrt()
    }
}

/// Trains from `Mlp::init(0)` with `method` in precision `S` and times it.
fn train<S: Scalar>(
    name: &'static str,
    method: &mut impl TrainingMethod,
    (train, test): (&Dataset, &Dataset),
    trainer: &Trainer,
) -> Result<Run, Box<dyn std::error::Error>> {
    let mlp = Mlp::new(11)
        .dense(HIDDEN, Activation::Tanh)
        .dense(HIDDEN, Activation::Tanh)
        .dense(6, Activation::Identity);
    let mut params = mlp.init(0).cast::<S>()?;
    let (train, test) = (train.cast::<S>()?, test.cast::<S>()?);
    let problem = Supervised::new(mlp, SoftmaxCrossEntropy, train)?;
    let started = Instant::now();
    let history = trainer.fit(&problem, &mut params, method, Some(&test), |_| {
        Control::Continue
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let last = history.last().ok_or("no epoch ran")?;
    Ok(Run {
        method: name,
        precision: S::NAME,
        train_loss: last.train_loss,
        test_loss: last.test_loss.ok_or("no held-out loss")?,
        test_accuracy: last.test_accuracy.ok_or("no held-out accuracy")?,
        seconds,
    })
}

/// Adam (lr 1e-3) and K-FAC (its defaults) on red wine, 75/25 split,
/// standardised with the training split's statistics, each in f64 and
/// f32: `epochs` epochs of minibatches of 256.
///
/// # Errors
/// When a run cannot start (it cannot with these settings).
pub fn run(epochs: usize) -> Result<PrecisionFigures, Box<dyn std::error::Error>> {
    let (train_split, test_split) = data::wine_quality().split(0.25, 0)?;
    let scale = Standardizer::fit(&train_split);
    let (train_split, test_split) = (scale.apply(&train_split), scale.apply(&test_split));
    let trainer = Trainer {
        epochs,
        batch_size: 256,
        progress: false,
        ..Trainer::default()
    };
    let data = (&train_split, &test_split);
    let adam = || Adam::new().lr(1e-3);
    let runs = vec![
        train::<f64>("Adam", &mut adam(), data, &trainer)?,
        train::<f32>("Adam", &mut adam(), data, &trainer)?,
        train::<f64>("K-FAC", &mut Kfac::default(), data, &trainer)?,
        train::<f32>("K-FAC", &mut Kfac::default(), data, &trainer)?,
    ];
    Ok(PrecisionFigures {
        model: format!("11-{HIDDEN}-{HIDDEN}-6 tanh"),
        epochs,
        batch_size: trainer.batch_size,
        test_examples: test_split.len(),
        machine: machine(),
        runs,
    })
}

impl Figures for PrecisionFigures {
    fn table(&self) -> String {
        let mut s = format!(
            "Red wine, {} MLP, {} epochs of minibatches of {}, the same start and data in both precisions (machine: {})\n\n",
            self.model, self.epochs, self.batch_size, self.machine
        );
        s += &format!(
            "{:<7} {:<9} {:>10} {:>10} {:>14} {:>9}\n",
            "method", "precision", "train loss", "test loss", "test accuracy", "seconds"
        );
        for r in &self.runs {
            s += &format!(
                "{:<7} {:<9} {:>10.5} {:>10.5} {:>14.4} {:>9.2}\n",
                r.method, r.precision, r.train_loss, r.test_loss, r.test_accuracy, r.seconds
            );
        }
        s += "\n";
        for method in ["Adam", "K-FAC"] {
            if let Some((speedup, gap)) = self.f32_against_f64(method) {
                let p = self
                    .runs
                    .iter()
                    .find(|r| r.method == method)
                    .map_or(0.5, |r| r.test_accuracy);
                s += &format!(
                    "{method}: f32 runs {speedup:.2}× as fast as f64; its held-out accuracy differs by {gap:+.4} (one standard error of an accuracy on {} wines: {:.4})\n",
                    self.test_examples,
                    self.standard_error(p)
                );
            }
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        let runs: Vec<_> = self
            .runs
            .iter()
            .map(|r| {
                json!({
                    "method": r.method, "precision": r.precision, "train_loss": r.train_loss,
                    "test_loss": r.test_loss, "test_accuracy": r.test_accuracy, "seconds": r.seconds,
                })
            })
            .collect();
        json!({
            "model": self.model, "epochs": self.epochs, "batch_size": self.batch_size,
            "test_examples": self.test_examples, "machine": self.machine, "runs": runs,
        })
    }
}
