//! The engine in one page: gradient and exact Hessian-vector product of a
//! small MLP loss, next to finite differences, and the ε-sweep that shows why
//! exact products matter — in `f64`, then the same loss in `f32`, where
//! finite differences lose far more and the exact product stays exact.
//!
//! Run: `cargo run --release -p examples --bin engine_tour [-- --json]`
//! (`--help` for the options)

use std::process::ExitCode;

use autodiff::{check, func_of, hvp, value_and_grad, Scalar, Tensor, TensorOf, VarOf};
use examples::cli::json_line;
use examples::cli::programs::EngineTourArgs;
use serde_json::json;

fn main() -> ExitCode {
    examples::cli::main(run)
}

fn run(
    args: EngineTourArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), Box<dyn std::error::Error>> {
    // A 4-6-3 tanh MLP with softmax cross-entropy on 16 random points. The
    // loss is an ordinary closure over the parameter tensors; the same closure
    // serves the gradient, H·v and every check below.
    let data = Tensor::randn(&[16, 4], 1);
    let labels: Vec<usize> = (0..16).map(|i| i % 3).collect();
    let loss = func_of::<f64, _>(|p| mlp_loss(p, &data, &labels));
    let params = [
        Tensor::randn(&[4, 6], 2).map(|w| w * 0.5),
        Tensor::zeros(&[6]),
        Tensor::randn(&[6, 3], 3).map(|w| w * 0.5),
        Tensor::zeros(&[3]),
    ];
    let direction: Vec<Tensor> = params
        .iter()
        .enumerate()
        .map(|(i, p)| Tensor::randn(p.shape(), 10 + i as u64))
        .collect();

    let (value, grads) = value_and_grad(loss, &params);
    let exact = hvp(loss, &params, &direction);
    let grad_check = check::gradient(loss, &params);
    let hvp_check = check::hvp(loss, &params, &direction);
    let symmetry = check::symmetry(loss, &params, &grads, &direction);
    let sweep = check::hvp_step_sweep(loss, &params, &direction, &check::log_steps(-1, -12));

    // The same loss, point and direction in f32 (the f64 values rounded).
    let data32 = data.cast::<f32>();
    let loss32 = func_of::<f32, _>(|p| mlp_loss(p, &data32, &labels));
    let params32: Vec<TensorOf<f32>> = params.iter().map(TensorOf::cast).collect();
    let direction32: Vec<TensorOf<f32>> = direction.iter().map(TensorOf::cast).collect();
    let exact32 = hvp(loss32, &params32, &direction32);
    let at_same_point = hvp(
        loss,
        &params32.iter().map(TensorOf::cast).collect::<Vec<Tensor>>(),
        &direction32
            .iter()
            .map(TensorOf::cast)
            .collect::<Vec<Tensor>>(),
    );
    let exact32_vs_f64 = check::Discrepancy::between(
        &autodiff::flatten(&at_same_point.hvp),
        &autodiff::flatten(&exact32.hvp)
            .iter()
            .map(|&v| f64::from(v))
            .collect::<Vec<f64>>(),
    );
    let sweep32 = check::hvp_step_sweep(loss32, &params32, &direction32, &check::log_steps(-1, -7));

    if args.output.json {
        let rows = sweep_rows(&sweep);
        json_line(
            out,
            &json!({
                "loss": value,
                "parameters": autodiff::total_len(&params),
                "gradient_rel_error": grad_check.max_rel,
                "hvp_rel_error": hvp_check.max_rel,
                "symmetry_rel_error": symmetry.max_rel,
                "sweep": rows,
                "f32": {
                    "hvp_rel_to_f64": exact32_vs_f64.max_rel,
                    "sweep": sweep_rows(&sweep32),
                },
            }),
        )?;
        return Ok(());
    }

    writeln!(
        out,
        "4-6-3 tanh MLP, softmax cross-entropy, 16 points, {} parameters",
        autodiff::total_len(&params)
    )?;
    writeln!(out, "loss = {value:.12}\n")?;
    writeln!(out, "first entries of the output-layer weights:")?;
    writeln!(out, "{:>4} {:>16} {:>16}", "i", "gradient", "H·v (exact)")?;
    for i in 0..6 {
        writeln!(
            out,
            "{i:>4} {:>16.10} {:>16.10}",
            grads[2].data()[i],
            exact.hvp[2].data()[i]
        )?;
    }
    writeln!(
        out,
        "\nagreement with finite differences (relative, max over all parameters):"
    )?;
    writeln!(
        out,
        "  gradient vs central differences      {:.2e}",
        grad_check.max_rel
    )?;
    writeln!(
        out,
        "  H·v vs central differences of ∇f     {:.2e}",
        hvp_check.max_rel
    )?;
    writeln!(
        out,
        "  symmetry ⟨g, Hv⟩ vs ⟨Hg, v⟩          {:.2e}",
        symmetry.max_rel
    )?;
    writeln!(
        out,
        "\nfinite-difference H·v error against the exact product, by step h:"
    )?;
    print_sweep(out, &sweep)?;
    writeln!(
        out,
        "\nthe best step gives {:.1e}; the exact product needs no step at all.",
        best_central(&sweep)
    )?;
    writeln!(
        out,
        "\nthe same in f32: the exact H·v is {:.1e} from the f64 one at the same point;",
        exact32_vs_f64.max_rel
    )?;
    writeln!(out, "finite differences in f32, by step h:")?;
    print_sweep(out, &sweep32)?;
    writeln!(
        out,
        "\nin f32 the best step gives {:.1e}, {:.0e} times the f64 best; the exact\nproduct stays within the rounding of f32.",
        best_central(&sweep32),
        best_central(&sweep32) / best_central(&sweep)
    )?;
    Ok(())
}

/// The MLP's loss at parameters `p`, in either precision.
fn mlp_loss<'t, S: Scalar>(
    p: &[VarOf<'t, S>],
    data: &TensorOf<S>,
    labels: &[usize],
) -> VarOf<'t, S> {
    let x = p[0].tape().constant(data.clone());
    let hidden = (x.matmul(p[0]) + p[1]).tanh();
    (hidden.matmul(p[2]) + p[3]).softmax_cross_entropy(labels)
}

fn sweep_rows(sweep: &[check::StepError]) -> Vec<serde_json::Value> {
    sweep
        .iter()
        .map(|r| {
            json!({
                "step": r.step,
                "forward_rel": r.forward.max_rel,
                "central_rel": r.central.max_rel,
            })
        })
        .collect()
}

fn print_sweep(out: &mut dyn std::io::Write, sweep: &[check::StepError]) -> std::io::Result<()> {
    writeln!(out, "{:>8} {:>14} {:>14}", "h", "forward", "central")?;
    for r in sweep {
        writeln!(
            out,
            "{:>8.0e} {:>14.3e} {:>14.3e}",
            r.step, r.forward.max_rel, r.central.max_rel
        )?;
    }
    Ok(())
}

fn best_central(sweep: &[check::StepError]) -> f64 {
    sweep
        .iter()
        .map(|r| r.central.max_rel)
        .fold(f64::INFINITY, f64::min)
}
