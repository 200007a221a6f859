//! A primitive of your own: `log cosh x`, which the composition
//! `x.cosh().ln()` cannot compute past |x| ≈ 710 (cosh overflows), given as
//! a primitive with a stable formula and its three rules. Every derivative
//! mode then works through it, and `check::all` verifies it — and catches a
//! rule broken on purpose.
//!
//! Run: `cargo run --release -p examples --bin custom_primitive [-- --json]`
//! (`--help` for the options)

use std::process::ExitCode;

use autodiff::{
    check, func, grad, hessian, hvp, jacobian, linearize, Dual, Primitive, Tensor, Var, Wanted,
};
use examples::cli::json_line;
use examples::cli::programs::CustomPrimitiveArgs;
use serde_json::json;

/// `log cosh x = |x| + log(1 + e^{-2|x|}) - log 2`, finite for every finite x.
/// `slope_error` scales the vjp's slope, to show `check::all` at work.
struct LogCosh {
    slope_error: f64,
}

// d log cosh x = tanh x dx
impl Primitive for LogCosh {
    fn name(&self) -> &'static str {
        "log_cosh"
    }

    fn arity(&self) -> usize {
        1
    }

    fn primal(&self, x: &[&Tensor]) -> Tensor {
        x[0].map(|x| x.abs() + (-2.0 * x.abs()).exp().ln_1p() - std::f64::consts::LN_2)
    }

    /// The jvp: each tangent lane times the slope `tanh x`.
    fn tangent(&self, x: &[&Dual], _y: &Tensor) -> Option<Tensor> {
        x[0].tangent_times(&x[0].primal.map(f64::tanh))
    }

    /// The vjp, written with `Dual` operations: `x.tanh()` carries its own
    /// tangent `(1 - tanh² x) dx`, which is what makes `H·v` exact.
    fn vjp(&self, x: &[&Dual], _y: &Dual, c: &Dual, _: &[Wanted]) -> Vec<Option<Dual>> {
        vec![Some(c * &(&x[0].tanh() * (1.0 + self.slope_error)))]
    }
}

fn log_cosh<'t>(x: Var<'t>, slope_error: f64) -> Var<'t> {
    x.tape().apply(LogCosh { slope_error }, &[x])
}

fn main() -> ExitCode {
    examples::cli::main(run)
}

/// A robust regression loss: `Σ log cosh(A w - b)` over the residuals.
fn robust_loss<'t>(a: &Tensor, b: &Tensor, w: Var<'t>, slope_error: f64) -> Var<'t> {
    let tape = w.tape();
    let fitted = tape
        .constant(a.clone())
        .matmul(w.reshape(&[a.shape()[1], 1]));
    let residual = fitted.reshape(&[a.shape()[0]]) - tape.constant(b.clone());
    log_cosh(residual, slope_error).sum()
}

/// One mode's check as JSON.
fn check_json(c: &check::ModeCheck) -> serde_json::Value {
    json!({
        "mode": c.mode.to_string(),
        "passed": c.passed(),
        "error": c.error,
        "tolerance": c.tolerance,
    })
}

fn run(
    args: CustomPrimitiveArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let a = Tensor::randn(&[6, 3], 1);
    let b = Tensor::randn(&[6], 2).map(|b| b * 3.0);
    let loss = func(|w| robust_loss(&a, &b, w[0], 0.0));
    let w = [Tensor::randn(&[3], 3)];
    let v = [Tensor::randn(&[3], 4)];

    // What a user would write without a primitive of their own overflows.
    let far = [Tensor::vector(vec![800.0, -800.0])];
    let composed = autodiff::value(|x| ((x[0].exp() + (-x[0]).exp()) * 0.5).ln(), &far);
    let primitive = autodiff::value(|x| log_cosh(x[0], 0.0), &far);
    let gradient = grad(loss, &w);
    let product = hvp(loss, &w, &v);
    let linearized = linearize(loss, &w).hvp(&v);
    let full = hessian(loss, &w);
    let slopes = jacobian(
        |x| log_cosh(x[0], 0.0),
        &[Tensor::vector(vec![-1.0, 0.0, 2.0])],
    );
    let report = check::all(loss, &w);
    let broken = func(|w| robust_loss(&a, &b, w[0], 1e-6));
    let broken_report = check::all(broken, &w);
    let caught: Vec<String> = broken_report
        .failures()
        .map(|c| c.mode.to_string())
        .collect();

    if args.output.json {
        return json_line(
            out,
            &json!({
                "at_800": {"composed": composed.data(), "primitive": primitive.data()},
                "gradient": gradient[0].data(),
                "hvp": product.hvp[0].data(),
                "linearize_hvp": linearized[0].data(),
                "hessian": full.data(),
                "jacobian_at_-1_0_2": slopes.data(),
                "check": report.checks.iter().map(check_json).collect::<Vec<_>>(),
                "broken_check": broken_report.checks.iter().map(check_json).collect::<Vec<_>>(),
                "caught_by": caught,
            }),
        );
    }

    writeln!(out, "log cosh as a primitive of our own\n")?;
    writeln!(
        out,
        "at x = ±800: composed ln(cosh x) = {:?}, primitive = {:?}",
        composed.data(),
        primitive.data()
    )?;
    writeln!(out, "\nevery mode through it, with no other code:")?;
    writeln!(out, "  gradient        {:?}", gradient[0].data())?;
    writeln!(out, "  H·v             {:?}", product.hvp[0].data())?;
    writeln!(out, "  linearize H·v   {:?}", linearized[0].data())?;
    writeln!(out, "  Hessian         {:?}", full.data())?;
    writeln!(
        out,
        "  Jacobian at [-1, 0, 2] (diag tanh x) {:?}",
        slopes.data()
    )?;
    writeln!(out, "\ncheck::all on the loss:")?;
    write!(out, "{report}")?;
    writeln!(
        out,
        "\nthe same with the vjp's slope off by one part in a million:"
    )?;
    write!(out, "{broken_report}")?;
    writeln!(out, "caught by: {}", caught.join("; "))?;
    Ok(())
}
