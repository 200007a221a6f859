//! Hessian-vector products: the exact product from one forward-over-reverse
//! sweep next to finite differences of the gradient; power iteration for the
//! top eigenvalue from products alone; and conjugate gradient's approximate
//! Newton step, with exact and with finite-difference products.

use autodiff::{check, func, Tensor, Var};
use nalgebra::{DMatrix, DVector};
use optim::cg::{conjugate_gradient, CgParams};
use optim::curvature::{
    power_iteration, FiniteDifferenceHessian, HessianOperator, PowerParams, PowerStatus,
};
use optim::linop::{norm, LinearOperator};
use optim::problems::{self, Problem};
use serde_json::json;

use crate::cli::Figures;

/// The eigenvalues of the power-iteration quadratic.
pub const EIGENVALUES: [f64; 5] = [1.0, 5.0, 20.0, 50.0, 200.0];
/// CG iterations shown.
pub const CG_ITERATIONS: usize = 5;

/// The 5-dimensional quadratic `½ xᵀAx` with [`EIGENVALUES`] in a seeded random basis.
pub fn spectrum_quadratic() -> Problem {
    problems::quadratic("quad_spectrum_5", &EIGENVALUES, 11)
}

/// The quadratic plus `¼ Σ x⁴`: convex, not quadratic, so the Newton step
/// depends on the point (the CG experiment).
pub fn quartic(problem: &Problem) -> impl for<'t> Fn(&[Var<'t>]) -> Var<'t> + '_ {
    func(move |x: &[Var]| (problem.function())(x[0]) + x[0].powf(4.0).sum() * 0.25)
}

/// `−H⁻¹ g` by a dense LU solve of the engine's Hessian: the exact Newton step.
pub fn dense_newton_step(hessian: &Tensor, g: &[f64]) -> Option<Vec<f64>> {
    let n = g.len();
    let h = DMatrix::from_row_slice(n, n, hessian.data());
    let rhs = DVector::from_iterator(n, g.iter().map(|v| -v));
    h.lu().solve(&rhs).map(|p| p.as_slice().to_vec())
}

/// One row of the CG table.
#[derive(Clone, Debug)]
pub struct CgRow {
    /// CG iterations (operator products).
    pub iterations: usize,
    /// The step with exact products.
    pub exact: Vec<f64>,
    /// The step with finite-difference products.
    pub finite_difference: Vec<f64>,
}

/// Everything `tour_hvp` reports.
#[derive(Clone, Debug)]
pub struct HvpFigures {
    /// The test function's dimension (extended Rosenbrock).
    pub dim: usize,
    /// The exact H·v.
    pub exact_hvp: Vec<f64>,
    /// The central-difference H·v with the default step.
    pub fd_hvp: Vec<f64>,
    /// The default step.
    pub fd_step: f64,
    /// The ε-sweep.
    pub sweep: Vec<check::StepError>,
    /// Power iteration's estimate after `k` iterations, `(k, λ)`.
    pub power_history: Vec<(usize, f64)>,
    /// The converged top eigenvalue and the products it took.
    pub power_top: (f64, usize),
    /// The point of the CG experiment.
    pub cg_point: Vec<f64>,
    /// The exact Newton step there (dense solve).
    pub newton_step: Vec<f64>,
    /// The finite-difference step used for the CG products.
    pub cg_fd_step: f64,
    /// CG after 1..=5 iterations.
    pub cg: Vec<CgRow>,
}

/// `‖approx − exact‖ / ‖exact‖`.
pub fn relative_error(approx: &[f64], exact: &[f64]) -> f64 {
    let diff: Vec<f64> = approx.iter().zip(exact).map(|(a, b)| a - b).collect();
    norm(&diff) / norm(exact)
}

/// Runs the three experiments.
pub fn run() -> HvpFigures {
    // 1. Exact against finite differences on extended Rosenbrock, n = 10.
    let rosen = problems::extended_rosenbrock(10);
    let f = func(|x: &[Var]| (rosen.function())(x[0]));
    let x = [Tensor::vector(rosen.x0.clone())];
    let v = [Tensor::randn(&[rosen.dim], 1)];
    let exact = autodiff::hvp(f, &x, &v);
    let fd_step = check::default_step(x[0].data()) / v[0].max_abs().max(1.0);
    let sweep = check::hvp_step_sweep(f, &x, &v, &check::log_steps(-1, -12));

    // 2. Power iteration on the Hessian of the quadratic, from products alone.
    let quad = spectrum_quadratic();
    let q = func(|x: &[Var]| (quad.function())(x[0]));
    let h = HessianOperator::new(q, vec![Tensor::vector(quad.x0.clone())]);
    let power = |max_iter: usize, rel_tol: f64| {
        power_iteration(
            &h,
            &PowerParams {
                max_iter,
                rel_tol,
                seed: 0,
            },
        )
    };
    let power_history = [1, 2, 4, 8, 16, 32]
        .iter()
        .map(|&k| (k, power(k, 0.0).eigenvalue))
        .collect();
    let top = power(1000, 1e-12);
    let power_top = match top.status {
        PowerStatus::Converged => (top.eigenvalue, top.iterations),
        _ => (f64::NAN, top.iterations),
    };

    // 3. CG's approximate Newton step at a point of the quartic.
    let g4 = quartic(&quad);
    let point = vec![1.0, -0.5, 0.25, 0.5, -1.0];
    let at = vec![Tensor::vector(point.clone())];
    let exact_h = HessianOperator::new(&g4, at.clone());
    let fd_h = FiniteDifferenceHessian::with_default_step(&g4, at.clone());
    let grad = exact_h.gradient();
    let newton_step =
        dense_newton_step(&autodiff::hessian(&g4, &at), &grad).unwrap_or_else(|| vec![f64::NAN; 5]);
    let rhs: Vec<f64> = grad.iter().map(|v| -v).collect();
    let cg_step = |op: &dyn LinearOperator, k: usize| {
        let params = CgParams {
            rel_tol: 0.0,
            abs_tol: 0.0,
            max_iter: Some(k),
        };
        conjugate_gradient(&op, &rhs, None, None::<&optim::linop::DenseMatrix>, &params).x
    };
    let cg = (1..=CG_ITERATIONS)
        .map(|k| CgRow {
            iterations: k,
            exact: cg_step(&exact_h, k),
            finite_difference: cg_step(&fd_h, k),
        })
        .collect();

    HvpFigures {
        dim: rosen.dim,
        exact_hvp: exact.hvp[0].data().to_vec(),
        fd_hvp: check::fd_hvp(f, &x, &v, fd_step),
        fd_step,
        sweep,
        power_history,
        power_top,
        cg_point: point,
        newton_step,
        cg_fd_step: fd_h.step(),
        cg,
    }
}

impl Figures for HvpFigures {
    fn table(&self) -> String {
        let mut s = String::new();
        s += &format!(
            "1. H·v on extended Rosenbrock (n = {}) at its standard start, v ~ N(0, I):\n",
            self.dim
        );
        s += &format!(
            "{:>4} {:>22} {:>22} {:>10}\n",
            "i",
            "exact (one sweep)",
            format!("central diff, h={:.1e}", self.fd_step),
            "difference"
        );
        for (i, (e, d)) in self.exact_hvp.iter().zip(&self.fd_hvp).enumerate().take(6) {
            s += &format!("{i:>4} {e:>22.12} {d:>22.12} {:>10.1e}\n", (e - d).abs());
        }
        s += "\n   finite-difference error (relative, max entry) by step h:\n";
        s += &format!("{:>10} {:>14} {:>14}\n", "h", "forward", "central");
        for r in &self.sweep {
            s += &format!(
                "{:>10.0e} {:>14.3e} {:>14.3e}\n",
                r.step, r.forward.max_rel, r.central.max_rel
            );
        }
        s += "   (truncation error falls with h, rounding error rises as h shrinks; the exact\n";
        s += "    product has no step to choose)\n";
        s += "\n2. power iteration on a 5-dim quadratic with eigenvalues {1, 5, 20, 50, 200}\n";
        s += "   in a random basis, from H·v products alone:\n";
        s += &format!("{:>10} {:>18} {:>12}\n", "iterations", "estimate", "error");
        for (k, l) in &self.power_history {
            s += &format!("{k:>10} {l:>18.12} {:>12.2e}\n", (l - 200.0).abs());
        }
        s += &format!(
            "   converged (relative change < 1e-12): λmax = {:.12} after {} iterations\n",
            self.power_top.0, self.power_top.1
        );
        s += "   (the error shrinks like (50/200)^(2k): the ratio of the top two eigenvalues)\n";
        s += "\n3. CG on H p = −∇f for f = ½ xᵀAx + ¼ Σ x⁴ at ";
        let pt: Vec<String> = self.cg_point.iter().map(|v| format!("{v}")).collect();
        s += &format!("({}):\n", pt.join(", "));
        let ns: Vec<String> = self
            .newton_step
            .iter()
            .map(|v| format!("{v:+.6}"))
            .collect();
        s += &format!("   exact Newton step (dense solve): ({})\n", ns.join(", "));
        s += &format!(
            "{:>14} {:>24} {:>30}\n",
            "CG iterations",
            "‖p − p*‖/‖p*‖ exact H·v",
            format!("finite-difference H·v (h={:.1e})", self.cg_fd_step)
        );
        for r in &self.cg {
            s += &format!(
                "{:>14} {:>24.3e} {:>30.3e}\n",
                r.iterations,
                relative_error(&r.exact, &self.newton_step),
                relative_error(&r.finite_difference, &self.newton_step)
            );
        }
        s += "   (after n = 5 iterations CG with exact products reaches the Newton step to\n";
        s += "    round-off; finite-difference products stop at their own error)\n";
        s
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "hvp": {
                "dim": self.dim,
                "exact": self.exact_hvp,
                "finite_difference": self.fd_hvp,
                "fd_step": self.fd_step,
                "sweep": self.sweep.iter().map(|r| json!({
                    "step": r.step,
                    "forward_rel": r.forward.max_rel,
                    "central_rel": r.central.max_rel,
                })).collect::<Vec<_>>(),
            },
            "power_iteration": {
                "history": self.power_history.iter().map(|(k, l)| json!({"iterations": k, "estimate": l})).collect::<Vec<_>>(),
                "top_eigenvalue": self.power_top.0,
                "iterations": self.power_top.1,
            },
            "cg": {
                "point": self.cg_point,
                "newton_step": self.newton_step,
                "fd_step": self.cg_fd_step,
                "rows": self.cg.iter().map(|r| json!({
                    "iterations": r.iterations,
                    "exact_products": r.exact,
                    "finite_difference_products": r.finite_difference,
                    "exact_rel_error": relative_error(&r.exact, &self.newton_step),
                    "fd_rel_error": relative_error(&r.finite_difference, &self.newton_step),
                })).collect::<Vec<_>>(),
            },
        })
    }
}
