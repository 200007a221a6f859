//! The engine in one page: gradient and exact Hessian-vector product of a
//! small MLP loss, next to finite differences, and the ε-sweep that shows why
//! exact products matter.
//!
//! Run: `cargo run --release -p examples --bin engine_tour [-- --json]`
//! (`--help` for the options)

use std::process::ExitCode;

use autodiff::{check, func, hvp, value_and_grad, Tensor};
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
    let loss = func(|p| {
        let x = p[0].tape().constant(data.clone());
        let hidden = (x.matmul(p[0]) + p[1]).tanh();
        (hidden.matmul(p[2]) + p[3]).softmax_cross_entropy(&labels)
    });
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

    if args.output.json {
        let rows: Vec<_> = sweep
            .iter()
            .map(|r| {
                json!({
                    "step": r.step,
                    "forward_rel": r.forward.max_rel,
                    "central_rel": r.central.max_rel,
                })
            })
            .collect();
        json_line(
            out,
            &json!({
                "loss": value,
                "parameters": autodiff::total_len(&params),
                "gradient_rel_error": grad_check.max_rel,
                "hvp_rel_error": hvp_check.max_rel,
                "symmetry_rel_error": symmetry.max_rel,
                "sweep": rows,
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
    writeln!(out, "{:>8} {:>14} {:>14}", "h", "forward", "central")?;
    for r in &sweep {
        writeln!(
            out,
            "{:>8.0e} {:>14.3e} {:>14.3e}",
            r.step, r.forward.max_rel, r.central.max_rel
        )?;
    }
    let best = sweep
        .iter()
        .map(|r| r.central.max_rel)
        .fold(f64::INFINITY, f64::min);
    writeln!(
        out,
        "\nthe best step gives {best:.1e}; the exact product needs no step at all."
    )?;
    Ok(())
}
