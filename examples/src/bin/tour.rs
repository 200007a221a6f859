//! The tour of second-order optimization, condensed: the key result of each
//! `tour_*` program in one run of a few seconds. Each section calls the same
//! library function as its program (see `examples/src/lib.rs`), so the
//! figures here are the figures there; run a `tour_*` program for the full
//! tables and paths.
//!
//! Run: `cargo run --release -p examples --bin tour [-- --json]` (`--help`
//! for the options)

use std::process::ExitCode;

use examples::cli::programs::TourArgs;
use examples::cli::{iterations, json_line, Figures};
use examples::{adam_diagonal, gradient_descent, hvp, natural_gradient, newton, quasi_newton};
use serde_json::json;

fn main() -> ExitCode {
    examples::cli::main(run)
}

fn run(args: TourArgs, out: &mut dyn std::io::Write) -> Result<(), Box<dyn std::error::Error>> {
    let gd = gradient_descent::run();
    let nt = newton::run();
    let qn = quasi_newton::run();
    let ng = natural_gradient::run();
    let hv = hvp::run();
    let ad = adam_diagonal::run();
    if args.output.json {
        json_line(
            out,
            &json!({
                "gradient_descent": gd.json(),
                "newton": nt.json(),
                "quasi_newton": qn.json(),
                "natural_gradient": ng.json(),
                "hvp": hv.json(),
                "adam_diagonal": ad.json(),
            }),
        )?;
        return Ok(());
    }

    writeln!(
        out,
        "A tour of second-order optimization — every derivative from the engine.\n"
    )?;

    writeln!(
        out,
        "1. Gradient descent struggles with conditioning (tour_gradient_descent)"
    )?;
    writeln!(
        out,
        "   f = ½ xᵀ diag(100, 1) x from (1, 1), to ‖∇f‖₂ < 1e-6:"
    )?;
    writeln!(
        out,
        "   GD with step 2/(L+μ): {} steps; heavy ball with optimal lr and β: {} steps.",
        iterations(gd.gd_optimal.converged, gd.gd_optimal.iterations),
        iterations(gd.heavy_ball.converged, gd.heavy_ball.iterations)
    )?;
    writeln!(out, "   Steps against κ (GD is O(κ), heavy ball O(√κ)):")?;
    writeln!(out, "   {:>8} {:>10} {:>12}", "κ", "GD", "heavy ball")?;
    for r in &gd.scaling {
        writeln!(
            out,
            "   {:>8} {:>10} {:>12}",
            r.kappa,
            iterations(r.gd.converged, r.gd.iterations),
            iterations(r.heavy_ball.converged, r.heavy_ball.iterations)
        )?;
    }

    writeln!(
        out,
        "\n2. Newton's method uses the curvature itself (tour_newton)"
    )?;
    writeln!(
        out,
        "   One Newton step on the same quadratic lands at ({:.1e}, {:.1e}), ‖∇f‖₂ = {:.1e}.",
        nt.quadratic_x1[0], nt.quadratic_x1[1], nt.quadratic_grad_after
    )?;
    writeln!(
        out,
        "   Rosenbrock, steps to ‖∇f‖₂ < 1e-10 (uphill steps taken):"
    )?;
    for r in &nt.rosenbrock {
        writeln!(
            out,
            "   {:<30} from ({:>4}, {}): {:>4} ({} uphill)",
            r.method,
            r.start[0],
            r.start[1],
            iterations(r.run.converged, r.run.iterations),
            r.uphill_steps
        )?;
    }

    writeln!(
        out,
        "\n3. Quasi-Newton methods learn the curvature from gradients (tour_quasi_newton)"
    )?;
    writeln!(out, "   10-dim quadratic, κ = 1000, to ‖∇f‖₂ < 1e-10:")?;
    for (name, r) in &qn.runs {
        writeln!(
            out,
            "   {name:<28} {:>7} steps",
            iterations(r.converged, r.iterations)
        )?;
    }
    let peak = qn
        .bare
        .values
        .iter()
        .cloned()
        .fold(f64::NEG_INFINITY, f64::max);
    writeln!(
        out,
        "   the bare two-loop recursion with unit steps: {} steps, with f up to {:.1e} on the way",
        iterations(qn.bare.converged, qn.bare.iterations),
        peak
    )?;

    writeln!(
        out,
        "\n4. Natural gradient follows the geometry of the model (tour_natural_gradient)"
    )?;
    writeln!(
        out,
        "   N(μ, σ²) fitted to 200 samples of N(3, 2²), 100 steps of 0.05 from (0, 0):"
    )?;
    let (g, n) = (&ng.gd[ng.gd.len() - 1], &ng.ng[ng.ng.len() - 1]);
    writeln!(
        out,
        "   maximum likelihood μ = {:.4}, σ = {:.4}",
        ng.mle.mean,
        ng.mle.log_sigma.exp()
    )?;
    writeln!(
        out,
        "   natural gradient   μ = {:.4}, σ = {:.4}",
        n.mean,
        n.log_sigma.exp()
    )?;
    writeln!(
        out,
        "   gradient descent   μ = {:.4}, σ = {:.4}",
        g.mean,
        g.log_sigma.exp()
    )?;

    writeln!(
        out,
        "\n5. Hessian-vector products are exact and cheap (tour_hvp)"
    )?;
    let best = hv
        .sweep
        .iter()
        .map(|r| r.central.max_rel)
        .fold(f64::INFINITY, f64::min);
    let worst = hv
        .sweep
        .iter()
        .map(|r| r.central.max_rel)
        .fold(0.0, f64::max);
    writeln!(out,
        "   finite-difference H·v: relative error {best:.1e} at the best step, {worst:.1e} at the worst of 1e-1..1e-12"
    )?;
    writeln!(
        out,
        "   power iteration from H·v alone: λmax = {:.10} (true 200) after {} iterations",
        hv.power_top.0, hv.power_top.1
    )?;
    if let Some(last) = hv.cg.last() {
        let err = |p: &[f64]| hvp::relative_error(p, &hv.newton_step);
        writeln!(out,
            "   CG's Newton step after {} iterations: relative error {:.1e} with exact products, {:.1e} with finite differences",
            last.iterations,
            err(&last.exact),
            err(&last.finite_difference)
        )?;
    }
    writeln!(
        out,
        "\n6. Is Adam a diagonal second-order method? (tour_adam_diagonal)"
    )?;
    writeln!(
        out,
        "   Adam's v̂ after training against the curvature diagonals (log-log slope; corr of logs):"
    )?;
    for c in &ad.cases {
        writeln!(
            out,
            "   {:<36} √v̂ ∝ |diag H|^{:.2} ({:.2}); v̂ / diag F_emp = {:.1e} ({:.2})",
            c.name,
            c.adam_vs_hessian.log_slope,
            c.adam_vs_hessian.log_correlation,
            c.adam_vs_empirical_fisher.scale_ratio,
            c.adam_vs_empirical_fisher.log_correlation
        )?;
    }
    writeln!(
        out,
        "   κ(D^-½ M D^-½) for D = I, |diag H|, Adam's √v̂ + ε (GD steps to 1e-6):"
    )?;
    for c in &ad.cases {
        let cell = |i: usize| {
            let p = &c.conditioning[i];
            format!(
                "{:.1e} ({})",
                p.condition,
                iterations(p.gd_converged, p.gd_steps)
            )
        };
        writeln!(
            out,
            "   {:<36} {:>18} {:>18} {:>18}",
            c.name,
            cell(0),
            cell(1),
            cell(4)
        )?;
    }
    writeln!(
        out,
        "\nMore: tour_landscape (every solver, measured cost), arena (trajectories as SVG),"
    )?;
    writeln!(
        out,
        "curvature_viz (local quadratic models and the Hessian spectrum as SVG)."
    )?;
    Ok(())
}
