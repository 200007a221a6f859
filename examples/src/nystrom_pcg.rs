//! Nyström-preconditioned CG (Frangella, Tropp & Udell 2021) against plain
//! CG on damped curvature systems `(A + μI) x = b`, to a relative residual
//! of 1e-8, with the sketch's cost counted: a dense quadratic with a
//! decaying spectrum in a random basis, and the Gauss-Newton matrix of a
//! red-wine MLP. The sketch's top eigenvalues are checked against Lanczos.

use std::time::Instant;

use autodiff::Tensor;
use models::curvature::Curvature;
use models::{data, Activation, Adam, Mlp, SoftmaxCrossEntropy, Standardizer, Supervised, Trainer};
use optim::cg::{conjugate_gradient, CgParams, CgStatus};
use optim::curvature::{
    extreme_eigenpairs, LanczosParams, NystromParams, NystromSketch, SpectrumEnd,
};
use optim::linop::{axpy, dot, Damped, DenseMatrix, FnOperator, LinearOperator};
use serde_json::json;

use crate::cli::Figures;

/// The relative residual both solvers run to.
pub const TOL: f64 = 1e-8;
/// Eigenvalues compared with Lanczos.
pub const TOP: usize = 10;

/// One system solved both ways.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The system.
    pub name: String,
    /// Its dimension.
    pub dim: usize,
    /// `κ(A + μI)` (from the spectrum when known, else Lanczos).
    pub condition: f64,
    /// The sketch size.
    pub rank: usize,
    /// Plain CG: iterations, seconds, status.
    pub cg: (usize, f64, CgStatus),
    /// Nyström PCG: iterations, seconds (solve only), status.
    pub pcg: (usize, f64, CgStatus),
    /// Seconds to build the sketch (its products, the factorizations and the error estimate).
    pub sketch_seconds: f64,
    /// Operator products the sketch spent.
    pub sketch_products: usize,
    /// The sketch's error estimate of `‖A − Â‖`.
    pub sketch_error: f64,
    /// Top eigenvalues: Lanczos (value, residual) and the sketch's.
    pub top: Vec<(f64, f64, f64)>,
}

impl Comparison {
    /// Plain CG's iterations over PCG's.
    pub fn iteration_ratio(&self) -> f64 {
        self.cg.0 as f64 / self.pcg.0 as f64
    }

    /// Plain CG's time over PCG's with the sketch.
    pub fn time_ratio(&self) -> f64 {
        self.cg.1 / (self.pcg.1 + self.sketch_seconds)
    }

    /// Whether every top eigenvalue of the sketch lies within its reported
    /// error (plus the Lanczos residual) below Lanczos' and not above it.
    pub fn eigenvalues_agree(&self) -> bool {
        self.top.iter().all(|&(lanczos, residual, sketch)| {
            let gap = lanczos - sketch;
            gap >= -residual && gap <= self.sketch_error + residual
        })
    }
}

/// Solves `(A + μI) x = b` by CG and by Nyström PCG, and compares the
/// sketch's top eigenvalues with Lanczos on `A`.
pub fn compare(
    name: String,
    inner: &impl LinearOperator,
    damping: f64,
    b: &[f64],
    rank: usize,
    condition: Option<f64>,
) -> Comparison {
    let a = Damped {
        inner,
        lambda: damping,
    };
    let params = CgParams {
        rel_tol: TOL,
        max_iter: Some(20 * a.dim()),
        ..CgParams::default()
    };
    let start = Instant::now();
    let plain = conjugate_gradient(&a, b, None, None::<&DenseMatrix>, &params);
    let cg_seconds = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let sketch = NystromSketch::new(
        inner,
        &NystromParams {
            rank,
            ..NystromParams::default()
        },
    )
    .expect("a positive semi-definite operator");
    let preconditioner = sketch.preconditioner(damping).expect("damping > 0");
    let sketch_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let pcg = conjugate_gradient(&a, b, None, Some(&preconditioner), &params);
    let pcg_seconds = start.elapsed().as_secs_f64();

    let lanczos = extreme_eigenpairs(
        inner,
        TOP,
        &LanczosParams {
            max_steps: 300,
            target: SpectrumEnd::Largest,
            rel_tol: 1e-10,
            ..LanczosParams::default()
        },
    );
    let condition = condition.unwrap_or_else(|| {
        let ends = extreme_eigenpairs(&a, 1, &LanczosParams::default());
        ends.largest[0].value / ends.smallest[0].value
    });
    Comparison {
        name,
        dim: a.dim(),
        condition,
        rank,
        cg: (plain.iterations, cg_seconds, plain.status),
        pcg: (pcg.iterations, pcg_seconds, pcg.status),
        sketch_seconds,
        sketch_products: sketch.products(),
        sketch_error: sketch.error(),
        top: lanczos
            .largest
            .iter()
            .zip(sketch.eigenvalues())
            .map(|(r, s)| (r.value, r.residual, *s))
            .collect(),
    }
}

/// `R diag(λ) Rᵀ` with `R` a product of three random Householder
/// reflections, as a dense matrix: a known spectrum in a dense random basis.
pub fn reflected_diagonal(eigenvalues: &[f64], seed: u64) -> DenseMatrix {
    let n = eigenvalues.len();
    let normals: Vec<Vec<f64>> = (0..3)
        .map(|i| {
            let u = Tensor::randn(&[n], seed + i).into_vec();
            let norm = dot(&u, &u).sqrt();
            u.iter().map(|x| x / norm).collect()
        })
        .collect();
    let reflect = |v: &mut Vec<f64>, u: &Vec<f64>| {
        let c = -2.0 * dot(u, v);
        axpy(c, u, v);
    };
    DenseMatrix::from_operator(&FnOperator::new(n, |v: &[f64]| {
        let mut w = v.to_vec();
        normals.iter().for_each(|u| reflect(&mut w, u));
        w.iter_mut().zip(eigenvalues).for_each(|(x, l)| *x *= l);
        normals.iter().rev().for_each(|u| reflect(&mut w, u));
        w
    }))
}

/// The quadratic system: `A = R diag(i^(−p)) Rᵀ`, `i = 1..n`, damped by `μ`.
pub fn quadratic(n: usize, p: f64, damping: f64, rank: usize) -> Comparison {
    let eigenvalues: Vec<f64> = (1..=n).map(|i| (i as f64).powf(-p)).collect();
    let condition = (1.0 + damping) / (eigenvalues[n - 1] + damping);
    let a = reflected_diagonal(&eigenvalues, 11);
    let b = Tensor::randn(&[n], 12).into_vec();
    compare(
        format!("quadratic n = {n}, λᵢ = i^-{p}, μ = {damping:.0e}"),
        &a,
        damping,
        &b,
        rank,
        Some(condition),
    )
}

/// The damped Gauss-Newton system `(G + μI) x = −g` of a tanh MLP
/// (`11 → hidden → hidden → 6`) on the standardised red-wine data, after
/// `epochs` of Adam.
pub fn wine(hidden: usize, epochs: usize, damping: f64, rank: usize) -> Comparison {
    let wine = data::wine_quality();
    let wine = Standardizer::fit(&wine).apply(&wine);
    let mlp = Mlp::new(wine.num_features())
        .dense(hidden, Activation::Tanh)
        .dense(hidden, Activation::Tanh)
        .dense(6, Activation::Identity);
    let mut params = mlp.init(0);
    let problem = Supervised::new(mlp, SoftmaxCrossEntropy, wine)
        .expect("the MLP fits the wine data by construction");
    let trainer = Trainer {
        epochs,
        progress: false,
        ..Trainer::default()
    };
    trainer
        .fit(
            &problem,
            &mut params,
            &mut Adam::new().lr(1e-2),
            None,
            |_| models::Control::Continue,
        )
        .expect("the settings are valid");
    let point = params.tensors().to_vec();
    // The Gauss-Newton operator of data loss and penalty (one sweep per
    // block of directions).
    let gauss_newton = problem
        .objective_curvature(&params, Curvature::GaussNewton)
        .expect("the loss fits its data");
    let (_, g) = problem.value_and_grad(&point);
    let minus_g: Vec<f64> = autodiff::flatten(&g).iter().map(|x| -x).collect();
    compare(
        format!("wine MLP 11-{hidden}-{hidden}-6 Gauss-Newton, μ = {damping:.0e}"),
        &gauss_newton,
        damping,
        &minus_g,
        rank,
        None,
    )
}

/// Every comparison of the goal, with the machine they ran on.
#[derive(Clone, Debug)]
pub struct PcgFigures {
    /// `lscpu`'s model name.
    pub machine: String,
    /// The systems.
    pub comparisons: Vec<Comparison>,
}

impl Figures for PcgFigures {
    fn table(&self) -> String {
        let mut s = format!(
            "Nyström PCG against CG to relative residual {TOL:.0e} (machine: {})\n\n",
            self.machine
        );
        s += &format!(
            "{:<50} {:>6} {:>8} {:>5} {:>15} {:>24} {:>7} {:>7} {:>6}\n",
            "system",
            "n",
            "κ",
            "rank",
            "CG it / s",
            "PCG it / s (+ sketch s)",
            "it ×",
            "time ×",
            "eig ok"
        );
        for c in &self.comparisons {
            s += &format!(
                "{:<50} {:>6} {:>8.1e} {:>5} {:>15} {:>24} {:>7.1} {:>7.1} {:>6}\n",
                c.name,
                c.dim,
                c.condition,
                c.rank,
                format!("{} / {:.3}", c.cg.0, c.cg.1),
                format!("{} / {:.3} (+{:.3})", c.pcg.0, c.pcg.1, c.sketch_seconds),
                c.iteration_ratio(),
                c.time_ratio(),
                c.eigenvalues_agree()
            );
        }
        s += "\nTop eigenvalues, Lanczos against the sketch (the sketch's reported error bounds the gap):\n";
        for c in &self.comparisons {
            s += &format!("{} (error estimate {:.2e}):\n", c.name, c.sketch_error);
            for (l, r, k) in c.top.iter().take(5) {
                s += &format!("  {l:.6e} (± {r:.0e})  {k:.6e}  gap {:.1e}\n", l - k);
            }
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        let rows: Vec<_> = self
            .comparisons
            .iter()
            .map(|c| {
                json!({
                    "name": c.name, "dim": c.dim, "condition": c.condition, "rank": c.rank,
                    "cg_iterations": c.cg.0, "cg_seconds": c.cg.1, "cg_status": format!("{:?}", c.cg.2),
                    "pcg_iterations": c.pcg.0, "pcg_seconds": c.pcg.1, "pcg_status": format!("{:?}", c.pcg.2),
                    "sketch_seconds": c.sketch_seconds, "sketch_products": c.sketch_products,
                    "sketch_error": c.sketch_error, "top": c.top,
                    "iteration_ratio": c.iteration_ratio(), "time_ratio": c.time_ratio(),
                    "eigenvalues_agree": c.eigenvalues_agree(),
                })
            })
            .collect();
        json!({ "machine": self.machine, "tol": TOL, "comparisons": rows })
    }
}
