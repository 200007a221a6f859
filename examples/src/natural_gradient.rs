//! Natural gradient: fitting `N(μ, σ²)` in `(μ, log σ)` coordinates, the
//! plain gradient's step in `μ` scales with `1/σ²`, so it crawls or jumps
//! depending on where `σ` is; preconditioning by the Fisher information
//! `diag(1/σ², 2)` makes the step independent of the parametrisation's scale.

use autodiff::{value_and_grad, Tensor};
use models::likelihood::UnivariateGaussian;
use serde_json::json;

use crate::cli::Figures;

/// Samples drawn.
pub const SAMPLES: usize = 200;
/// Their seed.
pub const SEED: u64 = 0;
/// Steps of each method.
pub const STEPS: usize = 100;
/// The step size.
pub const LR: f64 = 0.05;
/// The start `(μ, log σ)`.
pub const START: [f64; 2] = [0.0, 0.0];

/// The data: 200 seeded draws from `N(3, 2²)`.
pub fn samples() -> Tensor {
    UnivariateGaussian::new(3.0, 2f64.ln()).sample(SAMPLES, SEED)
}

/// The mean negative log-likelihood and its gradient in `(μ, log σ)`, from the engine.
pub fn nll_and_grad(x: &Tensor, theta: [f64; 2]) -> (f64, [f64; 2]) {
    let params = UnivariateGaussian::new(theta[0], theta[1]).params();
    let (value, g) = value_and_grad(
        |p| UnivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x.clone())),
        &params,
    );
    (value, [g[0].item(), g[1].item()])
}

/// One step of a fit: the point `(μ, log σ)` and the NLL there.
#[derive(Clone, Copy, Debug)]
pub struct PathPoint {
    /// `μ`.
    pub mean: f64,
    /// `log σ`.
    pub log_sigma: f64,
    /// The mean NLL.
    pub nll: f64,
}

/// Runs `STEPS` steps of `θ ← θ − LR · P(θ) ∇NLL(θ)`, with `P` the identity
/// (gradient descent) or the inverse Fisher `diag(σ², ½)` (natural gradient).
pub fn fit(x: &Tensor, natural: bool) -> Vec<PathPoint> {
    let mut theta = START;
    let mut path = Vec::with_capacity(STEPS + 1);
    for step in 0..=STEPS {
        let (nll, g) = nll_and_grad(x, theta);
        path.push(PathPoint {
            mean: theta[0],
            log_sigma: theta[1],
            nll,
        });
        if step == STEPS {
            break;
        }
        let p = if natural {
            let fisher = UnivariateGaussian::new(theta[0], theta[1]).fisher();
            [g[0] / fisher.data()[0], g[1] / fisher.data()[3]]
        } else {
            g
        };
        theta = [theta[0] - LR * p[0], theta[1] - LR * p[1]];
    }
    path
}

/// Everything `tour_natural_gradient` reports.
#[derive(Clone, Debug)]
pub struct NaturalGradientFigures {
    /// The maximum-likelihood estimate: sample mean and (population) standard deviation.
    pub mle: UnivariateGaussian,
    /// The NLL at the MLE.
    pub mle_nll: f64,
    /// Gradient descent's path.
    pub gd: Vec<PathPoint>,
    /// Natural gradient's path.
    pub ng: Vec<PathPoint>,
}

/// Draws the samples and runs both fits.
pub fn run() -> NaturalGradientFigures {
    let x = samples();
    let mle = UnivariateGaussian::fit(&x);
    NaturalGradientFigures {
        mle_nll: nll_and_grad(&x, [mle.mean, mle.log_sigma]).0,
        gd: fit(&x, false),
        ng: fit(&x, true),
        mle,
    }
}

fn last(path: &[PathPoint]) -> PathPoint {
    path[path.len() - 1]
}

impl Figures for NaturalGradientFigures {
    fn table(&self) -> String {
        let mut s = String::new();
        s += "fit N(μ, σ²) to 200 seeded samples of N(3, 2²) in (μ, log σ), from (0, 0),\n";
        s += "100 steps of size 0.05\n\n";
        s += &format!("{:<22} {:>10} {:>10} {:>12}\n", "", "μ", "σ", "mean NLL");
        let rows = [
            (
                "maximum likelihood",
                self.mle.mean,
                self.mle.log_sigma,
                self.mle_nll,
            ),
            (
                "gradient descent",
                last(&self.gd).mean,
                last(&self.gd).log_sigma,
                last(&self.gd).nll,
            ),
            (
                "natural gradient",
                last(&self.ng).mean,
                last(&self.ng).log_sigma,
                last(&self.ng).nll,
            ),
        ];
        for (name, mean, log_sigma, nll) in rows {
            s += &format!(
                "{name:<22} {mean:>10.5} {:>10.5} {nll:>12.6}\n",
                log_sigma.exp()
            );
        }
        s += "(the MLE is the sample mean and the population standard deviation)\n\n";
        s += "the paths, every 10 steps:\n";
        s += &format!(
            "{:>5} {:>10} {:>10} {:>10}   {:>10} {:>10} {:>10}\n",
            "step", "GD μ", "GD σ", "GD NLL", "NG μ", "NG σ", "NG NLL"
        );
        for (k, (g, n)) in self.gd.iter().zip(&self.ng).enumerate().step_by(10) {
            s += &format!(
                "{k:>5} {:>10.4} {:>10.4} {:>10.5}   {:>10.4} {:>10.4} {:>10.5}\n",
                g.mean,
                g.log_sigma.exp(),
                g.nll,
                n.mean,
                n.log_sigma.exp(),
                n.nll
            );
        }
        s += "\nthe natural step in μ is LR·σ²·∂NLL/∂μ = LR·(μ − x̄): a fixed fraction of the\n";
        s += "distance to the sample mean whatever σ is, where the plain step LR·(μ − x̄)/σ²\n";
        s += "depends on the current σ — the Fisher metric removes the parametrisation's scale.\n";
        s
    }

    fn json(&self) -> serde_json::Value {
        let path = |p: &[PathPoint]| {
            p.iter()
                .map(|q| json!({"mean": q.mean, "sigma": q.log_sigma.exp(), "nll": q.nll}))
                .collect::<Vec<_>>()
        };
        json!({
            "mle": {"mean": self.mle.mean, "sigma": self.mle.log_sigma.exp(), "nll": self.mle_nll},
            "gradient_descent": {"final": path(&self.gd[self.gd.len() - 1..]), "path": path(&self.gd)},
            "natural_gradient": {"final": path(&self.ng[self.ng.len() - 1..]), "path": path(&self.ng)},
        })
    }
}
