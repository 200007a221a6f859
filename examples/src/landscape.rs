//! The landscape: every solver on one problem, with what a step costs in
//! gradient-equivalents (measured: the time of a step over the time of one
//! gradient), how many steps it took, and the total time.

use std::time::Instant;

use optim::objective::Objective;
use optim::problems;
use optim::solvers::{
    Bfgs, GradientDescent, Lbfgs, Minimizer, Momentum, MomentumKind, Newton, NewtonCg, TrustRegion,
    TrustRegionExact,
};
use serde_json::json;

use crate::cli::{iterations, Figures};
use crate::runs::to_tolerance;

/// Stop when `‖∇f‖₂` falls below this.
pub const TOL: f64 = 1e-6;

/// Every solver, named, with the settings used here.
pub fn solvers() -> Vec<(&'static str, Box<dyn Minimizer>)> {
    vec![
        (
            "gradient descent + Armijo",
            Box::new(GradientDescent::default()),
        ),
        (
            "Nesterov (lr 1e-4, β 0.9)",
            Box::new(Momentum {
                lr: 1e-4,
                beta: 0.9,
                kind: MomentumKind::Nesterov,
            }),
        ),
        (
            "Newton (modified) + strong Wolfe",
            Box::new(Newton::default()),
        ),
        ("Newton-CG + Wolfe", Box::new(NewtonCg::default())),
        (
            "trust region, Steihaug CG",
            Box::new(TrustRegion::default()),
        ),
        ("trust region, exact", Box::new(TrustRegionExact::default())),
        ("BFGS + Wolfe", Box::new(Bfgs::default())),
        ("L-BFGS m=10 + Wolfe", Box::new(Lbfgs::default())),
    ]
}

/// One solver's row.
#[derive(Clone, Debug)]
pub struct LandscapeRow {
    /// The solver.
    pub method: &'static str,
    /// Whether `‖∇f‖₂ < TOL` was reached.
    pub converged: bool,
    /// Steps taken.
    pub steps: usize,
    /// Wall time of the whole run, seconds.
    pub seconds: f64,
    /// Time per step over the time of one gradient.
    pub gradient_equivalents: f64,
    /// Evaluations: values, gradients, H·v products, Hessians.
    pub counts: [usize; 4],
}

/// Everything `tour_landscape` reports.
#[derive(Clone, Debug)]
pub struct LandscapeFigures {
    /// The problem's name.
    pub problem: String,
    /// Its dimension.
    pub dim: usize,
    /// The iteration cap.
    pub cap: usize,
    /// The measured time of one value-and-gradient, seconds.
    pub gradient_seconds: f64,
    /// One row per solver.
    pub rows: Vec<LandscapeRow>,
}

/// Median time of `f(x)`'s value and gradient over `reps` calls.
pub fn time_gradient(f: &dyn Objective, x: &[f64], reps: usize) -> f64 {
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f.value_grad(std::hint::black_box(x)));
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Runs every solver on extended Rosenbrock of dimension `n` (even) from its
/// standard start, capped at `cap` steps.
pub fn run(n: usize, cap: usize) -> LandscapeFigures {
    let problem = problems::extended_rosenbrock(n);
    let f = problem.objective();
    let gradient_seconds = time_gradient(&f, &problem.x0, 200);
    let rows = solvers()
        .into_iter()
        .map(|(method, solver)| {
            let start = Instant::now();
            let r = to_tolerance(solver.as_ref(), &f, &problem.x0, TOL, cap);
            let seconds = start.elapsed().as_secs_f64();
            let c = r.report.counts;
            LandscapeRow {
                method,
                converged: r.converged,
                steps: r.iterations,
                seconds,
                gradient_equivalents: seconds / r.iterations.max(1) as f64 / gradient_seconds,
                counts: [c.f, c.grad, c.hvp, c.hessian],
            }
        })
        .collect();
    LandscapeFigures {
        problem: problem.name.clone(),
        dim: n,
        cap,
        gradient_seconds,
        rows,
    }
}

impl Figures for LandscapeFigures {
    fn table(&self) -> String {
        let mut s = String::new();
        s += &format!(
            "{} (n = {}) from its standard start, to ‖∇f‖₂ < 1e-6, cap {} steps;\n",
            self.problem, self.dim, self.cap
        );
        s += &format!(
            "one value-and-gradient takes {:.2} µs (median of 200)\n\n",
            self.gradient_seconds * 1e6
        );
        s += &format!(
            "{:<28} {:>9} {:>13} {:>10}   {:>7} {:>7} {:>7} {:>5}\n",
            "method", "steps", "cost/step", "total", "f", "∇f", "H·v", "∇²f"
        );
        s += &format!("{:<28} {:>9} {:>13}\n", "", "", "(gradients)");
        for r in &self.rows {
            s += &format!(
                "{:<28} {:>9} {:>13.1} {:>8.1}ms   {:>7} {:>7} {:>7} {:>5}\n",
                r.method,
                iterations(r.converged, r.steps),
                r.gradient_equivalents,
                r.seconds * 1e3,
                r.counts[0],
                r.counts[1],
                r.counts[2],
                r.counts[3]
            );
        }
        s += "(cost/step is wall time per step over the time of one gradient, so it includes\n";
        s += " each solver's own linear algebra: dense Hessians and factorisations grow as n³)\n";
        s
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "problem": self.problem,
            "dim": self.dim,
            "cap": self.cap,
            "gradient_seconds": self.gradient_seconds,
            "rows": self.rows.iter().map(|r| json!({
                "method": r.method,
                "converged": r.converged,
                "steps": r.steps,
                "seconds": r.seconds,
                "gradient_equivalents_per_step": r.gradient_equivalents,
                "values": r.counts[0],
                "gradients": r.counts[1],
                "hvps": r.counts[2],
                "hessians": r.counts[3],
            })).collect::<Vec<_>>(),
        })
    }
}
