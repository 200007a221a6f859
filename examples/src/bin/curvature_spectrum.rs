//! The top of a neural network's Hessian spectrum: the five largest
//! eigenvalues of an MLP's loss Hessian (about 10⁴ parameters) by Lanczos
//! with exact Hessian-vector products, next to the Gauss-Newton matrix's.
//!
//! Run: `cargo run --release -p examples --bin curvature_spectrum [-- --json]`
//! (`--help` for the options)

use std::process::ExitCode;
use std::time::Instant;

use autodiff::{func, total_len, Tensor};
use examples::cli::json_line;
use examples::cli::programs::CurvatureSpectrumArgs;
use models::curvature::{Curvature, ModelCurvature};
use models::{Loss, SoftmaxCrossEntropy, Targets};
use optim::curvature::LanczosInfo;
use optim::curvature::{extreme_eigenpairs, HessianOperator, LanczosParams, SpectrumEnd};
use optim::linop::LinearOperator;
use serde_json::json;

fn main() -> ExitCode {
    examples::cli::main(run)
}

fn run(
    args: CurvatureSpectrumArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), Box<dyn std::error::Error>> {
    // A 20-100-80-10 tanh MLP (10,990 parameters) on 256 random points whose
    // labels come from a random "teacher" network of the same shape.
    let widths = [20, 100, 80, 10];
    let batch = 256;
    let inputs = Tensor::randn(&[batch, widths[0]], 1);
    let layer_params = |seed: u64| -> Vec<Tensor> {
        widths
            .windows(2)
            .enumerate()
            .flat_map(|(l, w)| {
                let scale = (1.0 / w[0] as f64).sqrt();
                [
                    Tensor::randn(&[w[0], w[1]], seed + l as u64).map(|x| x * scale),
                    Tensor::zeros(&[w[1]]),
                ]
            })
            .collect()
    };
    let model = func(|p| {
        let mut h = p[0].tape().constant(inputs.clone());
        for l in 0..p.len() / 2 {
            h = h.matmul(p[2 * l]) + p[2 * l + 1];
            if 2 * l + 2 < p.len() {
                h = h.tanh();
            }
        }
        h
    });
    let teacher = autodiff::value(model, &layer_params(100));
    let labels: Vec<usize> = teacher
        .data()
        .chunks_exact(widths[3])
        .map(|row| (0..row.len()).fold(0, |best, c| if row[c] > row[best] { c } else { best }))
        .collect();
    let targets = Targets::Classes {
        labels,
        classes: widths[3],
    };
    let params = layer_params(200);
    let parameters = total_len(&params);

    // Lanczos with full reorthogonalisation until the five largest Ritz
    // pairs have residual ≤ 1e-6 · |λ_max|.
    let lanczos = LanczosParams {
        rel_tol: 1e-6,
        target: SpectrumEnd::Largest,
        ..LanczosParams::default()
    };
    let hessian = HessianOperator::new(
        |p| SoftmaxCrossEntropy.loss(model(p), &targets),
        params.clone(),
    );
    let hessian = top(&hessian, &lanczos);
    let ggn = ModelCurvature::new(model, params, |z| {
        Curvature::GaussNewton.output_matrix(&SoftmaxCrossEntropy, z, &targets)
    })?;
    let ggn = top(&ggn, &lanczos);
    if args.output.json {
        return json_line(
            out,
            &json!({
                "widths": widths,
                "batch": batch,
                "parameters": parameters,
                "hessian": top_json(&hessian),
                "gauss_newton": top_json(&ggn),
            }),
        );
    }
    writeln!(
        out,
        "MLP {widths:?}, batch {batch}: {parameters} parameters"
    )?;
    print_top(out, "Hessian", "H·v products", 'H', &hessian)?;
    print_top(out, "Gauss-Newton", "products", 'G', &ggn)?;
    Ok(())
}

/// Lanczos's five largest eigenpairs of `op`, and the seconds it took.
fn top(op: &impl LinearOperator, lanczos: &LanczosParams) -> (LanczosInfo, f64) {
    let start = Instant::now();
    let top = extreme_eigenpairs(op, 5, lanczos);
    (top, start.elapsed().as_secs_f64())
}

/// [`top`]'s result as JSON.
fn top_json((top, seconds): &(LanczosInfo, f64)) -> serde_json::Value {
    json!({
        "status": format!("{:?}", top.status),
        "lanczos_steps": top.steps,
        "seconds": seconds,
        "largest": top.largest.iter().map(|p| json!({"value": p.value, "residual": p.residual})).collect::<Vec<_>>(),
        "smallest_ritz_value": top.smallest.first().map(|p| p.value),
    })
}

/// Prints the five largest eigenpairs, and the smallest Ritz value so far:
/// Lanczos was not asked to converge the bottom end, so that is an upper
/// bound on the smallest eigenvalue.
fn print_top(
    out: &mut dyn std::io::Write,
    name: &str,
    products: &str,
    symbol: char,
    (top, seconds): &(LanczosInfo, f64),
) -> Result<(), Box<dyn std::error::Error>> {
    writeln!(
        out,
        "\n{name}: {:?} after {} Lanczos steps ({products}) in {seconds:.2} s",
        top.status, top.steps,
    )?;
    writeln!(out, "  rank  eigenvalue      residual ‖{symbol}y − θy‖")?;
    for (i, pair) in top.largest.iter().enumerate() {
        writeln!(
            out,
            "  {:4}  {:<14.8}  {:.1e}",
            i + 1,
            pair.value,
            pair.residual
        )?;
    }
    if let Some(smallest) = top.smallest.first() {
        writeln!(out, "  smallest Ritz value so far: {:.3e}", smallest.value)?;
    }
    Ok(())
}
