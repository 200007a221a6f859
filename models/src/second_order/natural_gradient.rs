//! Natural gradient descent (Amari 1998), with the step optionally bounded
//! in the Fisher metric as TRPO bounds its KL divergence (Schulman et al. 2015).

use autodiff::Scalar;
use nalgebra::{DMatrix, DVector};
use optim::cg::{conjugate_gradient, CgParams, CgStatus};
use optim::linop::{dot, Damped, DenseMatrix, LinearOperator};

use crate::checkpoint::CheckpointError;
use crate::curvature::Curvature;
use crate::data::Dataset;
use crate::loss::Loss;
use crate::model::Model;
use crate::params::Params;
use crate::state::{MethodState, Resumable};
use crate::step::{batch_value_and_grad, widened_flat, StepError, StepReport, TrainingMethod};
use crate::supervised::Supervised;
use optim::settings::{at_least_one, non_negative, positive, SettingsError};

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
/// # Ok::<(), models::StepError>(())
/// ```
#[derive(Clone, Debug)]
pub struct NaturalGradient {
    lr: f64,
    damping: f64,
    curvature: Curvature,
    solver: Solver,
    max_kl: Option<f64>,
    steps: u64,
}

/// The step [`NaturalGradient::update`] computed.
#[derive(Clone, Debug, PartialEq)]
pub struct NaturalStep {
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
            curvature: Curvature::Fisher,
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

    /// Sets which curvature preconditions the step (default: the exact
    /// Fisher; a custom loss without one takes the Monte-Carlo or empirical
    /// Fisher, or the Gauss-Newton matrix).
    pub fn curvature(mut self, curvature: Curvature) -> NaturalGradient {
        self.curvature = curvature;
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
    /// [`StepError::NotPositiveDefinite`] when the damped Fisher cannot be
    /// factored (or CG meets non-positive curvature), [`StepError::NonFinite`]
    /// on NaN.
    pub fn update(
        &self,
        fisher: &impl LinearOperator,
        grad: &[f64],
    ) -> Result<NaturalStep, StepError> {
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
                    .ok_or(StepError::NotPositiveDefinite(
                        "the damped curvature matrix",
                    ))?;
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
                    CgStatus::NonFinite => return Err(StepError::NonFinite("a Fisher product")),
                    CgStatus::NonPositiveCurvature => {
                        return Err(StepError::NotPositiveDefinite(
                            "the damped curvature matrix",
                        ))
                    }
                    _ => (info.x, info.iterations),
                }
            }
        };
        let mut step: Vec<f64> = direction.iter().map(|d| -self.lr * d).collect();
        if step.iter().any(|s| !s.is_finite()) {
            return Err(StepError::NonFinite("the natural-gradient step"));
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
        Ok(NaturalStep {
            step,
            cg_iterations,
            bounded,
        })
    }
}

impl TrainingMethod for NaturalGradient {
    fn validate(&self) -> Result<(), SettingsError> {
        positive("NaturalGradient::lr", self.lr)?;
        non_negative("NaturalGradient::damping", self.damping)?;
        if let Some(max_kl) = self.max_kl {
            positive("NaturalGradient::max_kl", max_kl)?;
        }
        if let Solver::Cg { max_iter, rel_tol } = self.solver {
            at_least_one("Solver::Cg::max_iter", max_iter)?;
            positive("Solver::Cg::rel_tol", rel_tol)?;
        }
        self.curvature.validate()
    }

    /// One step on `batch` (full batch or minibatch) for any model: the
    /// curvature operator is recorded once at the parameters, the damped
    /// system solved as configured. The L2 penalty's curvature `l2·I` is
    /// added to the damping.
    fn step<S: Scalar, M: Model<S>, L: Loss<S>>(
        &mut self,
        problem: &Supervised<M, L, S>,
        params: &mut Params<S>,
        batch: &Dataset<S>,
    ) -> Result<StepReport, StepError> {
        self.validate()?;
        let (loss, grads) = batch_value_and_grad(problem, params, batch)?;
        let fisher = problem.curvature(params, batch, self.curvature.at_step(self.steps))?;
        let with_penalty = NaturalGradient {
            damping: self.damping + problem.l2(),
            ..self.clone()
        };
        let result = with_penalty.update(&fisher, &widened_flat(&grads))?;
        *params = params
            .moved_by(&result.step)
            .map_err(|e| StepError::Mismatch(e.to_string()))?;
        self.steps += 1;
        let products = match self.solver {
            Solver::Cholesky => params.num_values(),
            Solver::Cg { .. } => result.cg_iterations,
        } + usize::from(self.max_kl.is_some());
        Ok(StepReport {
            loss,
            gradients: 1,
            curvature_products: products,
            damping: Some(self.damping),
            reduction_ratio: None,
            accepted: true,
        })
    }

    fn learning_rate(&self) -> Option<f64> {
        Some(self.lr)
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }
}

impl Resumable for NaturalGradient {
    fn kind(&self) -> String {
        "natural_gradient".to_string()
    }

    /// The step count (which seeds the Monte-Carlo Fisher's draws).
    fn export_state(&self) -> MethodState {
        let mut state = MethodState::default();
        state.put_count("steps", self.steps);
        state
    }

    fn import_state(&mut self, state: &MethodState) -> Result<(), CheckpointError> {
        self.steps = state.count("steps")?;
        Ok(())
    }
}
