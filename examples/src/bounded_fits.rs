//! Box constraints at work, by L-BFGS-B and TRON: a Gaussian fit whose
//! spread is held at `σ ≥ 0.1`, where the data would pull it lower, and a
//! non-negative least-squares problem checked against its optimality
//! (KKT) conditions.

use autodiff::Tensor;
use optim::bounds::Bounds;
use optim::objective::{Analytic, AutodiffObjective, Objective};
use optim::solvers::{Lbfgsb, Minimizer, Options, Report, Status, Tron};
use serde_json::json;

use crate::cli::Figures;

/// The floor on the fitted spread.
pub const SIGMA_MIN: f64 = 0.1;

/// The Gaussian fit's data: five nearly equal measurements, whose sample
/// spread (about 0.01) lies below [`SIGMA_MIN`].
pub const SAMPLES: [f64; 5] = [1.00, 1.01, 0.99, 1.02, 1.00];

/// One solver's run on one problem.
#[derive(Clone, Debug)]
pub struct Run {
    /// The solver.
    pub solver: &'static str,
    /// Why it stopped.
    pub status: Status,
    /// The point found.
    pub x: Vec<f64>,
    /// `‖P(x − ∇f) − x‖∞` there.
    pub projected_gradient: f64,
    /// Function evaluations.
    pub evaluations: usize,
    /// Hessian-vector products.
    pub hvp: usize,
}

/// The Gaussian maximum-likelihood fit of `(μ, σ)` with `σ ≥ 0.1`.
#[derive(Clone, Debug)]
pub struct GaussianFit {
    /// The sample mean, which is the constrained `μ` too.
    pub mean: f64,
    /// The unconstrained maximum-likelihood `σ̂` (the sample's
    /// root-mean-square deviation), below the floor.
    pub sigma_unconstrained: f64,
    /// Each solver's run.
    pub runs: Vec<Run>,
    /// `∂(−log L)/∂σ` at `σ = 0.1`, `n/σ − Σ(xᵢ − μ)²/σ³`: the bound's
    /// multiplier, positive because the likelihood would still rise below
    /// the floor.
    pub multiplier: f64,
}

/// A non-negative least-squares problem `min ½‖Ax − b‖²`, `x ≥ 0`.
#[derive(Clone, Debug)]
pub struct NnlsFit {
    /// Rows and columns of `A`.
    pub shape: (usize, usize),
    /// Each solver's run.
    pub runs: Vec<Run>,
    /// Per run: the KKT residuals — `max(−xᵢ)`, `max(−gᵢ)` and
    /// `max |xᵢ gᵢ|` with `g = Aᵀ(Ax − b)` — and the variables at 0.
    pub kkt: Vec<([f64; 3], usize)>,
}

/// Both examples' figures.
#[derive(Clone, Debug)]
pub struct BoundedFits {
    /// The Gaussian fit.
    pub gaussian: GaussianFit,
    /// Non-negative least squares.
    pub nnls: NnlsFit,
}

fn options() -> Options {
    Options {
        gtol: 1e-10,
        ..Options::default()
    }
}

fn run(solver: &'static str, r: Report) -> Run {
    Run {
        solver,
        status: r.status,
        x: r.x,
        projected_gradient: r.grad_norm_inf,
        evaluations: r.counts.f,
        hvp: r.counts.hvp,
    }
}

/// L-BFGS-B and TRON on `f` within `bounds` from `x0`.
fn both(f: &dyn Objective, bounds: &Bounds, x0: &[f64]) -> Vec<Run> {
    let lbfgsb = Lbfgsb::new(bounds.clone()).minimize(f, x0, &options());
    let tron = Tron::new(bounds.clone()).minimize(f, x0, &options());
    vec![run("L-BFGS-B", lbfgsb), run("TRON", tron)]
}

/// Fits `(μ, σ)` to [`SAMPLES`] by minimising the negative log-likelihood
/// `n log σ + Σ(xᵢ − μ)²/(2σ²)` with `σ ≥ 0.1`, from `(0, 1)`.
pub fn gaussian_fit() -> GaussianFit {
    let n = SAMPLES.len() as f64;
    let f = AutodiffObjective::new(2, |p| {
        let (mu, sigma) = (p.slice(0, 0, 1), p.slice(0, 1, 2));
        let data = p.tape().constant(Tensor::vector(SAMPLES.to_vec()));
        let squares = (data - mu).square().sum();
        (sigma.ln() * n + squares / (sigma.square() * 2.0)).sum()
    });
    let bounds = Bounds::new(vec![f64::NEG_INFINITY, SIGMA_MIN], vec![f64::INFINITY; 2])
        .expect("a valid box");
    let mean = SAMPLES.iter().sum::<f64>() / n;
    let squares: f64 = SAMPLES.iter().map(|x| (x - mean).powi(2)).sum();
    GaussianFit {
        mean,
        sigma_unconstrained: (squares / n).sqrt(),
        runs: both(&f, &bounds, &[0.0, 1.0]),
        multiplier: n / SIGMA_MIN - squares / SIGMA_MIN.powi(3),
    }
}

/// `min ½‖Ax − b‖²` over `x ≥ 0` for a Gaussian `A` (`m × n`) and `b`
/// drawn from `seed`, from `x = 1`.
pub fn nnls(m: usize, n: usize, seed: u64) -> NnlsFit {
    let a = Tensor::randn(&[m, n], seed).into_vec();
    let b = Tensor::randn(&[m], seed + 1).into_vec();
    let residual = {
        let (a, b) = (a.clone(), b.clone());
        move |x: &[f64]| -> Vec<f64> {
            (0..m)
                .map(|i| (0..n).map(|j| a[i * n + j] * x[j]).sum::<f64>() - b[i])
                .collect()
        }
    };
    let at_times = {
        let a = a.clone();
        move |r: &[f64]| -> Vec<f64> {
            (0..n)
                .map(|j| (0..m).map(|i| a[i * n + j] * r[i]).sum())
                .collect()
        }
    };
    let a_times = {
        let a = a.clone();
        move |x: &[f64]| -> Vec<f64> {
            (0..m)
                .map(|i| (0..n).map(|j| a[i * n + j] * x[j]).sum())
                .collect()
        }
    };
    let (r1, r2, t1, t2) = (residual.clone(), residual, at_times.clone(), at_times);
    let f = Analytic::new(
        n,
        move |x| 0.5 * r1(x).iter().map(|v| v * v).sum::<f64>(),
        move |x| t1(&r2(x)),
    )
    .with_hvp(move |_, v| t2(&a_times(v)));
    let bounds = Bounds::new(vec![0.0; n], vec![f64::INFINITY; n]).expect("a valid box");
    let runs = both(&f, &bounds, &vec![1.0; n]);
    let kkt = runs
        .iter()
        .map(|r| {
            let g = f.grad(&r.x);
            let worst = |v: Vec<f64>| v.into_iter().fold(0.0f64, f64::max);
            let residuals = [
                worst(r.x.iter().map(|x| -x).collect()),
                worst(g.iter().map(|gi| -gi).collect()),
                worst(r.x.iter().zip(&g).map(|(x, gi)| (x * gi).abs()).collect()),
            ];
            (residuals, r.x.iter().filter(|&&x| x == 0.0).count())
        })
        .collect();
    NnlsFit {
        shape: (m, n),
        runs,
        kkt,
    }
}

/// Both examples at their standard sizes (NNLS: 30 × 12, seed 7).
pub fn bounded_fits() -> BoundedFits {
    BoundedFits {
        gaussian: gaussian_fit(),
        nnls: nnls(30, 12, 7),
    }
}

fn run_json(r: &Run) -> serde_json::Value {
    json!({
        "solver": r.solver,
        "status": format!("{:?}", r.status),
        "x": r.x,
        "projected_gradient": r.projected_gradient,
        "evaluations": r.evaluations,
        "hvp": r.hvp,
    })
}

impl Figures for BoundedFits {
    fn table(&self) -> String {
        let g = &self.gaussian;
        let mut s = format!(
            "Gaussian fit to {:?} with σ ≥ {SIGMA_MIN}: sample mean {:.6}, unconstrained σ̂ {:.4}, \
             multiplier of σ ≥ {SIGMA_MIN} {:.3}\n\n",
            SAMPLES, g.mean, g.sigma_unconstrained, g.multiplier
        );
        s += &format!(
            "{:<9} {:<18} {:>12} {:>12} {:>10} {:>6} {:>5}\n",
            "solver", "status", "μ", "σ", "‖P(x−g)−x‖", "nf", "H·v"
        );
        for r in &g.runs {
            s += &format!(
                "{:<9} {:<18} {:>12.8} {:>12.8} {:>10.1e} {:>6} {:>5}\n",
                r.solver,
                format!("{:?}", r.status),
                r.x[0],
                r.x[1],
                r.projected_gradient,
                r.evaluations,
                r.hvp
            );
        }
        let (m, n) = self.nnls.shape;
        s += &format!(
            "\nNon-negative least squares, A {m} × {n}: KKT residuals max(−x), max(−g), max|x·g|\n\n"
        );
        s += &format!(
            "{:<9} {:<18} {:>9} {:>9} {:>9} {:>9} {:>6} {:>5}\n",
            "solver", "status", "−x", "−g", "|x·g|", "at 0", "nf", "H·v"
        );
        for (r, (k, zeros)) in self.nnls.runs.iter().zip(&self.nnls.kkt) {
            s += &format!(
                "{:<9} {:<18} {:>9.1e} {:>9.1e} {:>9.1e} {:>9} {:>6} {:>5}\n",
                r.solver,
                format!("{:?}", r.status),
                k[0],
                k[1],
                k[2],
                zeros,
                r.evaluations,
                r.hvp
            );
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        let g = &self.gaussian;
        json!({
            "gaussian": {
                "samples": SAMPLES,
                "sigma_min": SIGMA_MIN,
                "mean": g.mean,
                "sigma_unconstrained": g.sigma_unconstrained,
                "multiplier": g.multiplier,
                "runs": g.runs.iter().map(run_json).collect::<Vec<_>>(),
            },
            "nnls": {
                "shape": [self.nnls.shape.0, self.nnls.shape.1],
                "runs": self.nnls.runs.iter().map(run_json).collect::<Vec<_>>(),
                "kkt": self.nnls.kkt.iter()
                    .map(|(k, zeros)| json!({"minus_x": k[0], "minus_g": k[1], "complementarity": k[2], "at_zero": zeros}))
                    .collect::<Vec<_>>(),
            },
        })
    }
}
