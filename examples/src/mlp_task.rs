//! The small network of the classic K-FAC demonstration: a 5-8-1 tanh MLP
//! with binary cross-entropy on 100 points labelled by `x₀ + x₁ > 0` —
//! our own draw (`x ~ N(0, I₅)`, seed 0) for the curvature visualizer, and
//! the seed article's reference run for the K-FAC tour.

use autodiff::Tensor;
use models::data::DataError;
use models::{Activation, BceWithLogits, Dataset, Mlp, Params, Supervised, Targets};
use serde_json::Value;

/// Points in the data set.
pub const POINTS: usize = 100;

/// The 100 labelled points.
pub fn data() -> Result<Dataset, DataError> {
    let x = Tensor::randn(&[POINTS, 5], 0);
    let labels = x
        .data()
        .chunks(5)
        .map(|r| usize::from(r[0] + r[1] > 0.0))
        .collect();
    Dataset::new(x, Targets::Classes { labels, classes: 2 })
}

/// The 5-8-1 tanh network (the output is a logit).
pub fn mlp() -> Mlp {
    Mlp::new(5)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Identity)
}

/// The full-batch training problem.
pub fn problem() -> Result<Supervised<Mlp, BceWithLogits>, DataError> {
    Ok(Supervised::new(mlp(), BceWithLogits, data()?)
        .expect("the MLP fits the data by construction"))
}

/// The seed article's K-FAC demonstration as its reference implementation
/// ran it (`models/tests/data/kfac-seed.json`): 100 points and the initial
/// weights of its 5-8-1 tanh network, its damping and step size, and the
/// loss it reports before each of its 60 steps.
#[derive(Clone, Debug)]
pub struct SeedReference {
    /// The full-batch problem (binary cross-entropy on the logit).
    pub problem: Supervised<Mlp, BceWithLogits>,
    /// The initial weights.
    pub params: Params,
    /// Damping added to both Kronecker factors.
    pub damping: f64,
    /// The fixed step size.
    pub step_size: f64,
    /// The reference's loss before each step, and after the last (61 values).
    pub losses: Vec<f64>,
}

fn numbers(v: &Value) -> Option<Vec<f64>> {
    v.as_array()?.iter().map(Value::as_f64).collect()
}

fn matrix(v: &Value) -> Option<Tensor> {
    let rows: Option<Vec<Vec<f64>>> = v.as_array()?.iter().map(numbers).collect();
    Tensor::from_rows(&rows?).ok()
}

/// The seed reference, parsed from the JSON compiled into the binary.
///
/// # Errors
/// When the compiled-in JSON does not have the expected fields (it does).
pub fn seed_reference() -> Result<SeedReference, Box<dyn std::error::Error>> {
    let json: Value = serde_json::from_str(include_str!("../../models/tests/data/kfac-seed.json"))?;
    let missing = |what: &str| format!("kfac-seed.json: no valid {what}");
    let x = matrix(&json["X"]).ok_or_else(|| missing("X"))?;
    let labels = numbers(&json["y"])
        .ok_or_else(|| missing("y"))?
        .into_iter()
        .map(|y| usize::from(y > 0.5))
        .collect();
    let data = Dataset::new(x, Targets::Classes { labels, classes: 2 })?;
    let init = &json["init"];
    let vector = |key: &str| {
        numbers(&init[key])
            .map(Tensor::vector)
            .ok_or_else(|| missing(key))
    };
    let params = Params::new(vec![
        (
            "layers.0.weight".into(),
            matrix(&init["W1"]).ok_or_else(|| missing("W1"))?,
        ),
        ("layers.0.bias".into(), vector("b1")?),
        (
            "layers.1.weight".into(),
            matrix(&init["W2"]).ok_or_else(|| missing("W2"))?,
        ),
        ("layers.1.bias".into(), vector("b2")?),
    ])?;
    Ok(SeedReference {
        problem: Supervised::new(mlp(), BceWithLogits, data)
            .expect("the MLP fits the data by construction"),
        params,
        damping: json["damping"].as_f64().ok_or_else(|| missing("damping"))?,
        step_size: json["step_size"]
            .as_f64()
            .ok_or_else(|| missing("step_size"))?,
        losses: numbers(&json["loss_before_step"])
            .ok_or_else(|| missing("loss_before_step"))?
            .into_iter()
            .chain(json["loss_after_60"].as_f64())
            .collect(),
    })
}
