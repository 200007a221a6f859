//! The top of a neural network's Hessian spectrum: the five largest
//! eigenvalues of an MLP's loss Hessian (about 10⁴ parameters) by Lanczos
//! with exact Hessian-vector products, next to the Gauss-Newton matrix's.
//!
//! Run: `cargo run --release -p examples --bin curvature_spectrum`

use std::time::Instant;

use autodiff::{func, total_len, Tensor};
use models::curvature::{Curvature, ModelCurvature};
use models::{Loss, SoftmaxCrossEntropy, Targets};
use optim::curvature::{extreme_eigenpairs, HessianOperator, LanczosParams, SpectrumEnd};
use optim::linop::LinearOperator;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    examples::cli::with_stdout(run)
}

fn run(out: &mut dyn std::io::Write) -> Result<(), Box<dyn std::error::Error>> {
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
    writeln!(
        out,
        "MLP {widths:?}, batch {batch}: {} parameters",
        total_len(&params)
    )?;

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
    print_top(out, "Hessian", "H·v products", 'H', &hessian, &lanczos)?;
    let ggn = ModelCurvature::new(model, params, |z| {
        Curvature::GaussNewton.output_matrix(&SoftmaxCrossEntropy, z, &targets)
    })?;
    print_top(out, "Gauss-Newton", "products", 'G', &ggn, &lanczos)?;
    Ok(())
}

/// Runs Lanczos on `op` and prints its five largest eigenpairs, and the
/// smallest Ritz value so far: Lanczos was not asked to converge the bottom
/// end, so that is an upper bound on the smallest eigenvalue.
fn print_top(
    out: &mut dyn std::io::Write,
    name: &str,
    products: &str,
    symbol: char,
    op: &impl LinearOperator,
    lanczos: &LanczosParams,
) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let top = extreme_eigenpairs(op, 5, lanczos);
    let elapsed = start.elapsed();
    writeln!(
        out,
        "\n{name}: {:?} after {} Lanczos steps ({products}) in {:.2} s",
        top.status,
        top.steps,
        elapsed.as_secs_f64()
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
    writeln!(
        out,
        "  smallest Ritz value so far: {:.3e}",
        top.smallest[0].value
    )?;
    Ok(())
}
