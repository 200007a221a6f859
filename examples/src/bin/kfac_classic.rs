//! The classic small K-FAC demonstration: a 5-8-1 tanh network on 100
//! points labelled by x₀ + x₁ > 0, trained by K-FAC (Martens & Grosse 2015)
//! with damping 0.01 and step 0.1 for 60 steps. It prints the training loss
//! at steps 0, 20, 40 and 60, whatever it turns out to be.
//!
//! Run: `cargo run --release -p examples --bin kfac_classic`
//!
//! Settings: the damping and step, held fixed (no damping
//! adaptation, no momentum); everything else is kfac-jax's default (G from
//! one label per example sampled from the model, factor EMA 0.95, inverses
//! every 10 steps). Data: x ~ N(0, I₅), seed 0; Glorot initialisation, seed 0;
//! binary cross-entropy on the logit; full batch.

use examples::mlp_task;
use models::second_order::Kfac;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    examples::cli::with_stdout(run)
}

fn run(out: &mut dyn std::io::Write) -> Result<(), Box<dyn std::error::Error>> {
    let problem = mlp_task::problem()?;
    let data = problem.data().clone();
    let mlp = mlp_task::mlp();
    let mut params = mlp.init(0);
    let mut kfac = Kfac::new(&mlp, mlp_task::classic_kfac_params());
    writeln!(out, "step  training loss  accuracy")?;
    for step in 0..=60 {
        if step % 20 == 0 {
            let (loss, accuracy) = problem.evaluate(params.tensors(), &data);
            writeln!(
                out,
                "{step:>4}  {loss:>13.6}  {:>8.2}",
                accuracy.unwrap_or(f64::NAN)
            )?;
        }
        if step < 60 {
            kfac.step(&problem, &mut params, &data)?;
        }
    }
    Ok(())
}
