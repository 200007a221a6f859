//! Hessian-free optimization (Martens 2010): truncated, preconditioned CG on
//! the damped Gauss-Newton quadratic model, with Levenberg–Marquardt damping.

use autodiff::Scalar;
use optim::cg::CgIteration;
use optim::curvature::{NystromParams, NystromSketch};
use optim::linop::{dot, FnOperator, LinearOperator};

use crate::checkpoint::CheckpointError;
use crate::curvature::Curvature;
use crate::data::Dataset;
use crate::fisher_diagonal::empirical_fisher_diagonal;
use crate::loss::Loss;
use crate::model::Model;
use crate::params::Params;
use crate::state::{MethodState, Resumable};
use crate::step::{batch_value_and_grad, widened_flat, StepError, StepReport, TrainingMethod};
use crate::supervised::Supervised;
use optim::settings::{at_least_one, holds, non_negative, SettingsError};

/// How Hessian-free preconditions its CG on `(G + λI) x = −g`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Preconditioner {
    /// None.
    Identity,
    /// Martens (2010): `(diag(F̂) + λ)^ξ`, `F̂` the empirical Fisher
    /// ([`crate::empirical_fisher_diagonal`], one reverse sweep per example).
    EmpiricalFisherDiagonal {
        /// The exponent `ξ`.
        exponent: f64,
    },
    /// Frangella, Tropp & Udell (2021): a rank-`rank` Nyström sketch of the
    /// curvature ([`optim::curvature::NystromSketch`], one sweep of `rank`
    /// tangent lanes per step) and its preconditioner for the damped system.
    Nystrom {
        /// The sketch's rank.
        rank: usize,
    },
}

/// Settings for [`HessianFree`]; the defaults are Martens (2010)'s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HessianFreeConfig {
    /// The curvature of the quadratic model (default: Gauss-Newton).
    pub curvature: Curvature,
    /// The initial damping `λ` (default 1).
    pub damping: f64,
    /// CG iteration limit per step (default 250).
    pub max_cg: usize,
    /// The previous CG solution, times this factor, starts the next run (default 0.95).
    pub warm_start_decay: f64,
    /// CG iterates `⌈γᵏ⌉` are kept for backtracking (default γ = 1.3).
    pub backtrack_grid: f64,
    /// CG's preconditioner (default: Martens' diagonal with exponent 0.75).
    pub preconditioner: Preconditioner,
    /// `ε` of the relative-progress stopping rule (default 5e-4).
    pub progress_tol: f64,
}

impl Default for HessianFreeConfig {
    fn default() -> HessianFreeConfig {
        HessianFreeConfig {
            curvature: Curvature::GaussNewton,
            damping: 1.0,
            max_cg: 250,
            warm_start_decay: 0.95,
            backtrack_grid: 1.3,
            preconditioner: Preconditioner::EmpiricalFisherDiagonal { exponent: 0.75 },
            progress_tol: 5e-4,
        }
    }
}

/// Hessian-free optimization (Martens 2010) for any [`Model`].
///
/// Each step minimises the damped quadratic model
/// `φ(p) = gᵀp + ½ pᵀ(G + λI)p` (`G` the Gauss-Newton matrix, plus the L2
/// penalty's curvature) by preconditioned CG started from 0.95 times the
/// previous solution, stopped by the relative-progress rule: after `i > k`
/// iterations, `k = max(10, 0.1 i)`, stop when `φ(xᵢ) < 0` and
/// `(φ(xᵢ) − φ(xᵢ₋ₖ)) / φ(xᵢ) < k ε`. Iterates on the grid `⌈1.3ʲ⌉` are
/// kept, and the step is chosen by backtracking from the last one while the
/// objective keeps improving. The damping follows the reduction ratio `ρ`:
/// `λ ← 3λ/2` when `ρ < 1/4`, `λ ← 2λ/3` when `ρ > 3/4`. A step that does
/// not lower the objective is not taken (a choice beyond Martens 2010, which
/// makes the objective monotone).
///
/// The preconditioner's diagonal is [`crate::empirical_fisher_diagonal`]
/// (one reverse sweep per example of the batch).
#[derive(Clone, Debug)]
pub struct HessianFree {
    params: HessianFreeConfig,
    damping: f64,
    warm: Option<Vec<f64>>,
    steps: u64,
}

/// CG's record: the iterates kept for backtracking, with their `φ`.
struct CgRun {
    kept: Vec<(Vec<f64>, f64)>,
    last: Vec<f64>,
    iterations: usize,
}

impl Default for HessianFree {
    fn default() -> HessianFree {
        HessianFree::new(HessianFreeConfig::default())
    }
}

impl HessianFree {
    /// Hessian-free with the given settings.
    pub fn new(params: HessianFreeConfig) -> HessianFree {
        HessianFree {
            params,
            damping: params.damping,
            warm: None,
            steps: 0,
        }
    }

    /// The current damping `λ`.
    pub fn damping(&self) -> f64 {
        self.damping
    }

    /// Martens' CG on `C x = b`, stepped by [`CgIteration`]: HF needs the
    /// value of the quadratic at every iterate (for the relative-progress
    /// rule) and a subset of the iterates (for backtracking), which the
    /// generic [`optim::cg::conjugate_gradient`] does not keep.
    fn cg(
        &self,
        c: &impl LinearOperator,
        b: &[f64],
        x0: Vec<f64>,
        m_inv: Option<&dyn LinearOperator>,
    ) -> CgRun {
        let p = self.params;
        let mut cg = CgIteration::new(c, b, Some(&x0), m_inv.as_ref());
        // φ(x) = ½ xᵀCx − bᵀx = −½ xᵀ(r + b), from the residual r = b − Cx.
        let phi = |x: &[f64], r: &[f64]| {
            -0.5 * x
                .iter()
                .zip(r.iter().zip(b))
                .map(|(xi, (ri, bi))| xi * (ri + bi))
                .sum::<f64>()
        };
        let mut values = vec![phi(cg.x(), cg.residual())];
        let mut kept = Vec::new();
        let mut next_kept = 1.0f64;
        let mut iterations = 0;
        while iterations < p.max_cg {
            let ry = cg.residual_product();
            if ry.is_nan() || ry <= 0.0 || ry.is_infinite() {
                break;
            }
            let probe = cg.probe();
            let curvature = probe.curvature;
            if curvature.is_nan() || curvature <= 0.0 || curvature.is_infinite() {
                break;
            }
            cg.advance(&probe);
            iterations += 1;
            let value = phi(cg.x(), cg.residual());
            values.push(value);
            if iterations >= next_kept.ceil() as usize {
                kept.push((cg.x().to_vec(), value));
                while next_kept.ceil() as usize <= iterations {
                    next_kept *= p.backtrack_grid;
                }
            }
            let k = 10.max((0.1 * iterations as f64).ceil() as usize);
            if iterations > k
                && value < 0.0
                && (value - values[iterations - k]) / value < k as f64 * p.progress_tol
            {
                break;
            }
        }
        let x = cg.into_x();
        if kept.last().is_none_or(|(kx, _)| *kx != x) {
            kept.push((x.clone(), *values.last().unwrap_or(&0.0)));
        }
        CgRun {
            kept,
            last: x,
            iterations,
        }
    }
}

impl TrainingMethod for HessianFree {
    fn validate(&self) -> Result<(), SettingsError> {
        let p = self.params;
        non_negative("HessianFreeConfig::damping", p.damping)?;
        at_least_one("HessianFreeConfig::max_cg", p.max_cg)?;
        let decay = p.warm_start_decay;
        holds(
            "HessianFreeConfig::warm_start_decay",
            "in [0, 1]",
            decay,
            (0.0..=1.0).contains(&decay),
        )?;
        let grid = p.backtrack_grid;
        holds(
            "HessianFreeConfig::backtrack_grid",
            "a finite number > 1",
            grid,
            grid.is_finite() && grid > 1.0,
        )?;
        non_negative("HessianFreeConfig::progress_tol", p.progress_tol)?;
        match p.preconditioner {
            Preconditioner::Identity => {}
            Preconditioner::EmpiricalFisherDiagonal { exponent } => non_negative(
                "Preconditioner::EmpiricalFisherDiagonal::exponent",
                exponent,
            )?,
            Preconditioner::Nystrom { rank } => {
                at_least_one("Preconditioner::Nystrom::rank", rank)?;
            }
        }
        p.curvature.validate()
    }

    fn step<S: Scalar, M: Model<S>, L: Loss<S>>(
        &mut self,
        problem: &Supervised<M, L, S>,
        params: &mut Params<S>,
        batch: &Dataset<S>,
    ) -> Result<StepReport, StepError> {
        self.validate()?;
        let p = self.params;
        let (loss, grads) = batch_value_and_grad(problem, params, batch)?;
        let grad = widened_flat(&grads);

        let curvature = problem.curvature(params, batch, p.curvature)?;
        let lambda = self.damping;
        let shift = lambda + problem.l2();
        let damped = optim::linop::Damped {
            inner: &curvature,
            lambda: shift,
        };
        let mut products = 0;
        let diagonal: Vec<f64>;
        let sketch: NystromSketch;
        let (by_diagonal, by_sketch);
        let m_inv: Option<&dyn LinearOperator> = match p.preconditioner {
            Preconditioner::Identity => None,
            Preconditioner::EmpiricalFisherDiagonal { exponent } => {
                let fisher = empirical_fisher_diagonal(
                    problem.model(),
                    problem.loss(),
                    params.tensors(),
                    batch,
                );
                diagonal = fisher
                    .diagonal
                    .iter()
                    .map(|d| (d + shift).powf(-exponent))
                    .collect();
                by_diagonal = FnOperator::new(diagonal.len(), |r: &[f64]| -> Vec<f64> {
                    r.iter().zip(&diagonal).map(|(a, m)| a * m).collect()
                });
                Some(&by_diagonal)
            }
            Preconditioner::Nystrom { rank } => {
                let settings = NystromParams {
                    rank,
                    block: rank,
                    error_steps: 0,
                    seed: self.steps,
                };
                sketch = NystromSketch::new(&curvature, &settings)
                    .map_err(|e| StepError::Unsupported(format!("the Nyström sketch: {e}")))?;
                products += sketch.products();
                by_sketch = sketch.preconditioner(shift).map_err(|e| {
                    StepError::Unsupported(format!("the Nyström preconditioner: {e}"))
                })?;
                Some(&by_sketch)
            }
        };

        let b: Vec<f64> = grad.iter().map(|g| -g).collect();
        let x0 = match &self.warm {
            Some(w) if w.len() == grad.len() => w.iter().map(|v| p.warm_start_decay * v).collect(),
            _ => vec![0.0; grad.len()],
        };
        let run = self.cg(&damped, &b, x0, m_inv);
        self.steps += 1;
        self.warm = Some(run.last.clone());

        let objective = |step: &[f64]| -> f64 {
            match params.moved_by(step) {
                Ok(q) => problem.objective_value(&q, batch),
                Err(_) => f64::NAN,
            }
        };
        // Backtrack from the last kept iterate while the objective improves.
        let mut chosen = run.kept.len() - 1;
        let mut best = objective(&run.kept[chosen].0);
        while chosen > 0 {
            let f = objective(&run.kept[chosen - 1].0);
            if f < best || !best.is_finite() {
                best = f;
                chosen -= 1;
            } else {
                break;
            }
        }
        let (step, phi) = &run.kept[chosen];
        let predicted = phi - 0.5 * lambda * dot(step, step);
        let rho = (best - loss) / predicted;
        if rho < 0.25 || !rho.is_finite() {
            self.damping *= 1.5;
        } else if rho > 0.75 {
            self.damping *= 2.0 / 3.0;
        }
        let accepted = best < loss;
        if accepted {
            *params = params
                .moved_by(step)
                .map_err(|e| StepError::Mismatch(e.to_string()))?;
        }
        Ok(StepReport {
            loss,
            gradients: 1,
            curvature_products: run.iterations + products,
            damping: Some(self.damping),
            reduction_ratio: Some(rho),
            accepted,
        })
    }
}

impl Resumable for HessianFree {
    fn kind(&self) -> String {
        "hessian_free".to_string()
    }

    /// The damping, the step count and CG's last solution (its next warm start).
    fn export_state(&self) -> MethodState {
        let mut state = MethodState::default();
        state.put_scalar("damping", self.damping);
        state.put_count("steps", self.steps);
        if let Some(warm) = &self.warm {
            state.put("warm_start", autodiff::Tensor::vector(warm.clone()));
        }
        state
    }

    fn import_state(&mut self, state: &MethodState) -> Result<(), CheckpointError> {
        let warm = if state.has("warm_start") {
            Some(state.tensor("warm_start")?.data().to_vec())
        } else {
            None
        };
        let (damping, steps) = (state.scalar("damping")?, state.count("steps")?);
        self.damping = damping;
        self.steps = steps;
        self.warm = warm;
        Ok(())
    }
}
