//! Newton's method: on a quadratic one step lands on the minimiser; on
//! Rosenbrock's function the plain iteration converges fast once close, but
//! nothing keeps it going downhill — a line search or a trust region does.

use optim::linop::norm;
use optim::objective::Objective;
use optim::problems;
use optim::solvers::{Minimizer, Newton, TrustRegionExact};
use serde_json::json;

use crate::cli::{iterations, Figures};
use crate::gradient_descent::quadratic;
use crate::runs::{to_tolerance, Run};

/// Stop when `‖∇f‖₂` falls below this.
pub const TOL: f64 = 1e-10;
/// Iteration cap.
pub const CAP: usize = 200;
/// The Rosenbrock start points.
pub const STARTS: [[f64; 2]; 2] = [[-1.0, 1.0], [-1.2, 1.0]];

/// The methods compared on Rosenbrock's function.
pub fn methods() -> Vec<(&'static str, Box<dyn Minimizer>)> {
    vec![
        ("plain Newton", Box::new(Newton::undamped())),
        (
            "Newton + strong-Wolfe line search",
            Box::new(Newton::default()),
        ),
        (
            "trust-region Newton (exact)",
            Box::new(TrustRegionExact::default()),
        ),
    ]
}

/// One method from one start.
#[derive(Clone, Debug)]
pub struct RosenbrockRun {
    /// The method.
    pub method: &'static str,
    /// The start point.
    pub start: [f64; 2],
    /// The run, with its path.
    pub run: Run,
    /// Steps that increased `f` (a safeguarded method never takes one).
    pub uphill_steps: usize,
}

/// Everything `tour_newton` reports.
#[derive(Clone, Debug)]
pub struct NewtonFigures {
    /// The Newton step `−A⁻¹∇f` at (1, 1) on `½ xᵀ diag(100, 1) x`.
    pub quadratic_step: Vec<f64>,
    /// Where one plain Newton step from (1, 1) lands.
    pub quadratic_x1: Vec<f64>,
    /// `‖∇f‖₂` there.
    pub quadratic_grad_after: f64,
    /// Every method from every start on Rosenbrock.
    pub rosenbrock: Vec<RosenbrockRun>,
}

/// Runs the quadratic step and the Rosenbrock table.
pub fn run() -> NewtonFigures {
    let f = quadratic(100.0);
    let one = to_tolerance(&Newton::undamped(), &f, &[1.0, 1.0], 0.0, 1);
    let x1 = one.x().to_vec();
    let quadratic_step = vec![x1[0] - 1.0, x1[1] - 1.0];
    let problem = problems::rosenbrock();
    let rf = problem.objective();
    let rosenbrock = STARTS
        .iter()
        .flat_map(|&start| {
            let rf = &rf;
            methods().into_iter().map(move |(method, solver)| {
                let run = to_tolerance(solver.as_ref(), rf, &start, TOL, CAP);
                let values: Vec<f64> = run.path.iter().map(|x| rf.value(x)).collect();
                let uphill_steps = values.windows(2).filter(|w| w[1] > w[0]).count();
                RosenbrockRun {
                    method,
                    start,
                    run,
                    uphill_steps,
                }
            })
        })
        .collect();
    NewtonFigures {
        quadratic_grad_after: norm(&f.grad(&x1)),
        quadratic_step,
        quadratic_x1: x1,
        rosenbrock,
    }
}

impl Figures for NewtonFigures {
    fn table(&self) -> String {
        let mut s = String::new();
        s += "one Newton step on f(x) = ½ xᵀ diag(100, 1) x from (1, 1):\n";
        s += &format!(
            "  step −H⁻¹∇f = ({:+.6}, {:+.6})  →  x1 = ({:.1e}, {:.1e}),  ‖∇f(x1)‖₂ = {:.1e}\n",
            self.quadratic_step[0],
            self.quadratic_step[1],
            self.quadratic_x1[0],
            self.quadratic_x1[1],
            self.quadratic_grad_after
        );
        s += "  (gradient descent needed hundreds of steps for this; the Hessian undoes the scaling)\n\n";
        s += "Rosenbrock 100(y − x²)² + (1 − x)²: iterations to ‖∇f‖₂ < 1e-10 (cap 200)\n";
        s += &format!(
            "{:<30} {:>10} {:>11} {:>7} {:>28}\n",
            "method", "start", "iterations", "uphill", "final point"
        );
        for r in &self.rosenbrock {
            s += &format!(
                "{:<30} {:>10} {:>11} {:>7} {:>28}\n",
                r.method,
                format!("({}, {})", r.start[0], r.start[1]),
                iterations(r.run.converged, r.run.iterations),
                r.uphill_steps,
                format!("({:.10}, {:.10})", r.run.x()[0], r.run.x()[1])
            );
        }
        if self.rosenbrock.iter().any(|r| r.uphill_steps > 0) {
            s += "(plain Newton jumps uphill across the valley and may land where the quadratic\n";
            s += " model is good — or not: nothing guarantees it. The safeguarded methods accept\n";
            s += " only steps that decrease f, and walk along the valley instead.)\n";
        }
        for r in &self.rosenbrock {
            s += &format!(
                "\npath of {} from ({}, {}):\n{:>5} {:>14} {:>14} {:>12}\n",
                r.method, r.start[0], r.start[1], "k", "x", "y", "‖∇f‖₂"
            );
            for (k, (x, g)) in r.run.path.iter().zip(&r.run.grad_norms).enumerate() {
                s += &format!("{k:>5} {:>14.8} {:>14.8} {:>12.2e}\n", x[0], x[1], g);
            }
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "quadratic": {
                "newton_step": self.quadratic_step,
                "x1": self.quadratic_x1,
                "grad_norm_after": self.quadratic_grad_after,
            },
            "rosenbrock": self.rosenbrock.iter().map(|r| json!({
                "method": r.method,
                "start": r.start,
                "converged": r.run.converged,
                "iterations": r.run.iterations,
                "uphill_steps": r.uphill_steps,
                "x": r.run.x(),
                "path": r.run.path,
            })).collect::<Vec<_>>(),
        })
    }
}
