//! The seed article's K-FAC demonstration, reproduced to 1e-10: a 5-8-1
//! tanh network on 100 points, the empirical Fisher from the true labels,
//! with G from the batch-mean loss's gradients, no moving average,
//! inverses every step, damping 0.01 added to both
//! factors, step 0.1, biases on the plain gradient. `data/kfac-seed.json`
//! holds the data, the initial weights and the loss before each of the 60
//! steps, computed by an independent implementation.

use autodiff::Tensor;
use autodiff::Var;
use models::second_order::{Kfac, KfacConfig};
use models::{
    Activation, BceWithLogits, Dataset, Loss, Mlp, Params, Supervised, Targets, TrainingMethod,
};
use serde_json::Value;

/// The loss the reference reports: binary cross-entropy of `p = σ(f)` with
/// `1e-8` added inside each logarithm, `−mean(y log(p + ε) + (1 − y) log(1 − p + ε))`.
/// (It trains on the exact cross-entropy, whose gradient is `(p − y)/B`.)
struct GuardedBce;

impl Loss for GuardedBce {
    fn loss<'t>(&self, outputs: Var<'t>, targets: &Targets) -> Var<'t> {
        let y = outputs
            .tape()
            .constant(targets.values().expect("real targets").clone());
        let p = outputs.sigmoid();
        let eps = 1e-8;
        -((y * (p + eps).ln()) + (-y + 1.0) * (-p + (1.0 + eps)).ln()).mean()
    }
}

fn matrix(v: &Value) -> Tensor {
    let rows: Vec<Vec<f64>> = v
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("row")
                .iter()
                .map(|x| x.as_f64().expect("number"))
                .collect()
        })
        .collect();
    Tensor::from_rows(&rows).expect("rectangular")
}

fn vector(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

#[test]
fn seed_article_variant_matches_every_loss_of_the_reference() {
    let reference: Value =
        serde_json::from_str(include_str!("../data/kfac-seed.json")).expect("valid JSON");
    let x = matrix(&reference["X"]);
    let y = vector(&reference["y"]);
    let n = y.len();
    let data = Dataset::new(
        x,
        Targets::Values(Tensor::from_vec(&[n, 1], y).expect("column")),
    )
    .expect("well-formed");
    let init = &reference["init"];
    let params = Params::new(vec![
        ("layers.0.weight".into(), matrix(&init["W1"])),
        ("layers.0.bias".into(), Tensor::vector(vector(&init["b1"]))),
        ("layers.1.weight".into(), matrix(&init["W2"])),
        ("layers.1.bias".into(), Tensor::vector(vector(&init["b2"]))),
    ])
    .unwrap();
    let mlp = Mlp::new(5)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Identity);
    let problem = Supervised::new(mlp.clone(), BceWithLogits, data.clone()).unwrap();
    let reported = Supervised::new(mlp, GuardedBce, data.clone()).unwrap();
    let damping = reference["damping"].as_f64().expect("damping");
    let step_size = reference["step_size"].as_f64().expect("step size");
    let mut kfac = Kfac::new(KfacConfig::seed_article(damping, step_size));
    let mut p = params;
    let expected = vector(&reference["loss_before_step"]);
    assert_eq!(expected.len(), 60);
    for (step, want) in expected.iter().enumerate() {
        let got = reported.objective_value(&p, &data);
        let rel = (got - want).abs() / want.abs();
        assert!(
            rel < 1e-10,
            "step {step}: loss {got} against the reference's {want} (relative {rel:.1e})"
        );
        kfac.step(&problem, &mut p, &data).expect("K-FAC step");
    }
    let last = reference["loss_after_60"].as_f64().expect("final loss");
    let got = reported.objective_value(&p, &data);
    assert!(
        (got - last).abs() / last < 1e-10,
        "after 60 steps: {got} against {last}"
    );
}
