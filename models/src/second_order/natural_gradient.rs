//! Natural gradient descent (Amari 1998), with the step optionally bounded
//! in the Fisher metric as TRPO bounds its KL divergence (Schulman et al. 2015).

use nalgebra::{DMatrix, DVector};
use optim::cg::{conjugate_gradient, CgParams, CgStatus};
use optim::curvature::ModelCurvature;
use optim::linop::{dot, Damped, DenseMatrix, LinearOperator};

use super::output_likelihood::OutputLikelihood;
use super::Trouble;
use crate::model::Model;
use crate::params::Params;
use crate::supervised::Supervised;

/// Which Fisher information the step is preconditioned with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FisherKind {
    /// The exact Fisher of the model's predictive distribution (equal to the
    /// Gauss-Newton matrix for the canonical-link losses).
    Exact,
    /// A Monte-Carlo estimate from `samples` draws per example; the seed
    /// advances with every step.
    MonteCarlo {
        /// Draws per example.
        samples: usize,
        /// Seed of the first step's draws.
        seed: u64,
    },
    /// The empirical Fisher of the observed labels (not a curvature estimate
    /// in general: Kunstner, Balles & Hennig 2019).
    Empirical,
}

/// How the damped system `(F + λI) d = ∇L` is solved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Solver {
    /// Form `F` densely (one product per parameter) and factor it by
    /// Cholesky: for models with few parameters.
    Cholesky,
    /// Conjugate gradient on Fisher-vector products.
    Cg {
        /// Iteration limit.
        max_iter: usize,
        /// Relative residual tolerance.
        rel_tol: f64,
    },
}

/// Natural gradient descent: `θ ← θ − η (F + λI)⁻¹ ∇L(θ)` (Amari 1998).
///
/// With [`NaturalGradient::max_kl`] set, the step `s` is shrunk so that
/// `½ sᵀ F s ≤ δ`, the second-order model of the KL divergence between the
/// predictive distributions before and after the step (Schulman et al. 2015).
///
/// ```
/// use models::second_order::{NaturalGradient, Solver};
/// use optim::linop::DenseMatrix;
/// // With F = diag(4, 1), the natural step undoes the scaling of the gradient.
/// let fisher = DenseMatrix::diagonal(&[4.0, 1.0]);
/// let ng = NaturalGradient::new().lr(1.0).damping(0.0).solver(Solver::Cholesky);
/// let step = ng.update(&fisher, &[4.0, 1.0])?;
/// assert!((step.step[0] + 1.0).abs() < 1e-12 && (step.step[1] + 1.0).abs() < 1e-12);
/// # Ok::<(), models::second_order::Trouble>(())
/// ```
#[derive(Clone, Debug)]
pub struct NaturalGradient {
    lr: f64,
    damping: f64,
    fisher: FisherKind,
    solver: Solver,
    max_kl: Option<f64>,
    steps: u64,
}

/// What one natural-gradient step did.
#[derive(Clone, Debug, PartialEq)]
pub struct NgStep {
    /// The objective before the step (0 from [`NaturalGradient::update`]).
    pub loss: f64,
    /// The step `s` added to the flattened parameters.
    pub step: Vec<f64>,
    /// Conjugate-gradient iterations (0 for Cholesky).
    pub cg_iterations: usize,
    /// Whether the Fisher-metric bound shrank the step.
    pub bounded: bool,
}

impl Default for NaturalGradient {
    /// `η = 1`, `λ = 1e-3`, the exact Fisher, Cholesky, no bound.
    fn default() -> NaturalGradient {
        NaturalGradient {
            lr: 1.0,
            damping: 1e-3,
            fisher: FisherKind::Exact,
            solver: Solver::Cholesky,
            max_kl: None,
            steps: 0,
        }
    }
}

impl NaturalGradient {
    /// The defaults (see [`Default`]).
    pub fn new() -> NaturalGradient {
        NaturalGradient::default()
    }

    /// Sets the step size `η`.
    pub fn lr(mut self, lr: f64) -> NaturalGradient {
        self.lr = lr;
        self
    }

    /// Sets the Tikhonov damping `λ`.
    pub fn damping(mut self, damping: f64) -> NaturalGradient {
        self.damping = damping;
        self
    }

    /// Sets which Fisher to use.
    pub fn fisher(mut self, fisher: FisherKind) -> NaturalGradient {
        self.fisher = fisher;
        self
    }

    /// Sets the linear solver.
    pub fn solver(mut self, solver: Solver) -> NaturalGradient {
        self.solver = solver;
        self
    }

    /// Bounds every step by `½ sᵀ F s ≤ max_kl`.
    pub fn max_kl(mut self, max_kl: f64) -> NaturalGradient {
        self.max_kl = Some(max_kl);
        self
    }

    /// The step `s = −η (F + λI)⁻¹ g` for a Fisher operator and a gradient,
    /// bounded in the Fisher metric when asked.
    ///
    /// # Errors
    /// [`Trouble::NotPositiveDefinite`] when the damped Fisher cannot be
    /// factored (or CG meets non-positive curvature), [`Trouble::NonFinite`]
    /// on NaN.
    pub fn update(&self, fisher: &impl LinearOperator, grad: &[f64]) -> Result<NgStep, Trouble> {
        let damped = Damped {
            inner: fisher,
            lambda: self.damping,
        };
        let (direction, cg_iterations) = match self.solver {
            Solver::Cholesky => {
                let n = grad.len();
                let dense = DenseMatrix::from_operator(&damped);
                let chol = DMatrix::from_row_slice(n, n, dense.data())
                    .cholesky()
                    .ok_or(Trouble::NotPositiveDefinite("the damped Fisher"))?;
                let d = chol.solve(&DVector::from_column_slice(grad));
                (d.as_slice().to_vec(), 0)
            }
            Solver::Cg { max_iter, rel_tol } => {
                let params = CgParams {
                    rel_tol,
                    max_iter: Some(max_iter),
                    ..CgParams::default()
                };
                let info = conjugate_gradient(&damped, grad, None, None::<&DenseMatrix>, &params);
                match info.status {
                    CgStatus::NonFinite => return Err(Trouble::NonFinite("a Fisher product")),
                    CgStatus::NonPositiveCurvature => {
                        return Err(Trouble::NotPositiveDefinite("the damped Fisher"))
                    }
                    _ => (info.x, info.iterations),
                }
            }
        };
        let mut step: Vec<f64> = direction.iter().map(|d| -self.lr * d).collect();
        if step.iter().any(|s| !s.is_finite()) {
            return Err(Trouble::NonFinite("the natural-gradient step"));
        }
        let mut bounded = false;
        if let Some(max_kl) = self.max_kl {
            let kl = 0.5 * dot(&step, &fisher.apply(&step));
            if kl > max_kl {
                let shrink = (max_kl / kl).sqrt();
                step.iter_mut().for_each(|s| *s *= shrink);
                bounded = true;
            }
        }
        Ok(NgStep {
            loss: 0.0,
            step,
            cg_iterations,
            bounded,
        })
    }

    /// One full-batch step on a supervised problem. The L2 penalty's
    /// curvature `l2·I` is added to the damping.
    ///
    /// # Errors
    /// As [`NaturalGradient::update`], and [`Trouble::Incompatible`] when the
    /// loss does not fit the Fisher operator.
    pub fn step<M: Model, L: OutputLikelihood>(
        &mut self,
        problem: &Supervised<M, L>,
        params: &mut Params,
    ) -> Result<NgStep, Trouble> {
        let (loss, grads) = problem.value_and_grad(params.tensors());
        if !loss.is_finite() {
            return Err(Trouble::NonFinite("the loss"));
        }
        let x = problem.data().features().clone();
        let model = autodiff::func(|p| problem.model().forward(p, p[0].tape().constant(x.clone())));
        let columns = problem
            .outputs(params.tensors(), problem.data().features())
            .shape()[1];
        let output_loss = problem
            .loss()
            .output_loss(columns, problem.data().targets())?;
        let theta = params.tensors().to_vec();
        let incompatible =
            |e: optim::curvature::OutputLossError| Trouble::Incompatible(e.to_string());
        let fisher = match self.fisher {
            // NOTE: for the canonical-link likelihoods of `OutputLikelihood`
            // the exact Fisher is the Gauss-Newton matrix (Martens 2014,
            // §9.2); the Gauss-Newton form costs one output-space product
            // where the Fisher form enumerates the softmax's classes.
            FisherKind::Exact => ModelCurvature::gauss_newton(model, theta, &output_loss),
            FisherKind::MonteCarlo { samples, seed } => ModelCurvature::monte_carlo_fisher(
                model,
                theta,
                &output_loss,
                samples,
                seed.wrapping_add(self.steps),
            ),
            FisherKind::Empirical => ModelCurvature::empirical_fisher(model, theta, &output_loss),
        }
        .map_err(incompatible)?;
        self.steps += 1;
        let with_penalty = NaturalGradient {
            damping: self.damping + problem.l2(),
            ..self.clone()
        };
        let mut result = with_penalty.update(&fisher, &autodiff::flatten(&grads))?;
        let mut flat = params.flatten();
        optim::linop::axpy(1.0, &result.step, &mut flat);
        params
            .set_flat(&flat)
            .map_err(|e| Trouble::Incompatible(e.to_string()))?;
        result.loss = loss;
        Ok(result)
    }
}
