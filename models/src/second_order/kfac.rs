//! K-FAC: Kronecker-factored approximate curvature (Martens & Grosse 2015)
//! for any model whose dense layers are registered ([`crate::dense`]), with
//! the defaults of kfac-jax.

use autodiff::{Scalar, Tensor, TensorOf};
use nalgebra::DMatrix;

use super::statistics::{record, stack_layer, unstack_layer, BatchRecord, LayerStatistics};
use super::vectors::{all_finite, combine, dot, lanes, scaled};
use crate::checkpoint::CheckpointError;
use crate::curvature::Curvature;
use crate::data::Dataset;
use crate::loss::Loss;
use crate::model::Model;
use crate::params::Params;
use crate::state::{MethodState, Resumable};
use crate::step::{StepError, StepReport, TrainingMethod};
use crate::supervised::Supervised;
use optim::settings::{at_least_one, fraction, non_negative, positive, SettingsError};

/// How the update is scaled from the preconditioned direction `Δ = −F̂⁻¹ g`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepRule {
    /// `δ = η Δ + μ δ_prev`.
    Fixed {
        /// Step size `η`.
        lr: f64,
        /// Momentum `μ` (0 for none).
        momentum: f64,
    },
    /// `δ = α Δ + μ δ_prev` with `(α, μ)` minimising the damped quadratic
    /// model `gᵀδ + ½ δᵀ(F + λI)δ` on the batch, `F` the exact Fisher (the
    /// Gauss-Newton matrix when the loss has no closed-form Fisher), from
    /// one forward pass carrying `Δ` and `δ_prev` as tangents
    /// (Martens & Grosse 2015, §7).
    QuadraticModel,
}

/// How the damping `λ` enters the factors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactorDamping {
    /// Factored Tikhonov damping with the π-adjustment (§6.3):
    /// `(A + πγI) ⊗ (G + γ/π I)`, `γ = √(λ + l2)`,
    /// `π² = (tr A / dim A) / (tr G / dim G)`.
    PiAdjusted,
    /// `λ + l2` added to both factors: `(A + λI) ⊗ (G + λI)`.
    Plain,
}

/// How parameters that belong to no registered dense layer are preconditioned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// Not at all: their direction is the plain negative gradient.
    Identity,
    /// By a diagonal: `−g / (d + λ + l2)`, `d` the moving average of the
    /// naive diagonal estimate `Σ_j (Jᵀ s_j)²` (kfac-jax's diagonal block).
    Diagonal,
}

/// The scale of the `G` factors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactorScale {
    /// `G = Σ_b J_bᵀ Q_b J_b` on the scale of the loss (see [`crate::Loss`]),
    /// so that `A ⊗ G` estimates the curvature of the batch-mean loss; for
    /// the empirical Fisher, `G = (1/B) Σ_b g_b g_bᵀ` with `g_b` the
    /// per-example gradients (Martens & Grosse 2015).
    PerExample,
    /// `G` from the gradients of the batch-mean loss, `(1/B) Σ_b (g_b/B)(g_b/B)ᵀ`:
    /// `1/B²` of the above, the seed article's convention.
    BatchMean,
}

/// Settings for [`Kfac`]. The defaults are kfac-jax's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KfacConfig {
    /// The curvature the `G` factors estimate (default: the Monte-Carlo
    /// Fisher with one draw per example; its seed advances every step).
    pub curvature: Curvature,
    /// The step rule (default: the quadratic model).
    pub rule: StepRule,
    /// The initial Levenberg–Marquardt damping `λ` (default 1e-3).
    pub damping: f64,
    /// How `λ` enters the factors (default: π-adjusted).
    pub factor_damping: FactorDamping,
    /// Adapt `λ` from the reduction ratio `ρ` (default true).
    pub adapt_damping: bool,
    /// Steps between damping adaptations, `T₁` (default 5).
    pub adapt_every: usize,
    /// Decay of the factors' exponential moving averages (default 0.95; 0
    /// uses each step's statistics alone).
    pub ema: f64,
    /// Steps between recomputations of the factor inverses, `T₃` (default 10).
    pub inverse_every: usize,
    /// Lower bound on `λ` (default 1e-8).
    pub min_damping: f64,
    /// Whether a layer's bias joins its weight's Kronecker block as a
    /// homogeneous coordinate (default true) or is left to `unregistered`.
    pub biases_in_layers: bool,
    /// Preconditioning of the parameters of no registered layer (default: diagonal).
    pub unregistered: Fallback,
    /// The scale of the `G` factors (default: per example).
    pub factor_scale: FactorScale,
}

impl Default for KfacConfig {
    fn default() -> KfacConfig {
        KfacConfig {
            curvature: Curvature::MonteCarloFisher {
                samples: 1,
                seed: 0,
            },
            rule: StepRule::QuadraticModel,
            damping: 1e-3,
            factor_damping: FactorDamping::PiAdjusted,
            adapt_damping: true,
            adapt_every: 5,
            ema: 0.95,
            inverse_every: 10,
            min_damping: 1e-8,
            biases_in_layers: true,
            unregistered: Fallback::Diagonal,
            factor_scale: FactorScale::PerExample,
        }
    }
}

impl KfacConfig {
    /// The variant of the seed article's demonstration: the empirical Fisher
    /// from the true labels with `G` from the batch-mean loss's gradients,
    /// no moving average, inverses every step, `damping` added to both
    /// factors, a fixed step `lr`, and biases on the plain gradient.
    pub fn seed_article(damping: f64, lr: f64) -> KfacConfig {
        KfacConfig {
            curvature: Curvature::EmpiricalFisher,
            rule: StepRule::Fixed { lr, momentum: 0.0 },
            damping,
            factor_damping: FactorDamping::Plain,
            adapt_damping: false,
            ema: 0.0,
            inverse_every: 1,
            biases_in_layers: false,
            unregistered: Fallback::Identity,
            factor_scale: FactorScale::BatchMean,
            ..KfacConfig::default()
        }
    }
}

/// One layer block's averaged factors and their damped inverses.
#[derive(Clone, Debug)]
struct Factors {
    weight: usize,
    bias: Option<usize>,
    a: DMatrix<f64>,
    g: DMatrix<f64>,
    inverses: Option<(DMatrix<f64>, DMatrix<f64>)>,
}

/// K-FAC (Martens & Grosse 2015) for any [`Model`] whose dense layers go
/// through [`crate::dense`] (an [`crate::Mlp`] does).
///
/// Per registered layer, the curvature block of the stacked weight and bias
/// `[W; b]` is approximated by `A ⊗ G`: `A = E[ããᵀ]` the second moment of
/// the layer's inputs with a homogeneous coordinate, `G = Σ_b J_bᵀ Q_b J_b`
/// that of the curvature in its pre-activations ([`KfacConfig::curvature`]
/// chooses `Q`). A layer used several times on a batch sums `G` over the
/// uses and averages `A` over all of them. The factors are exponential
/// moving averages whose damped inverses are recomputed every `T₃` steps;
/// a layer's direction is `−A⁻¹ ∇_{[W; b]} G⁻¹`. Parameters of no
/// registered layer get [`KfacConfig::unregistered`]. The damping follows
/// the Levenberg–Marquardt rule every `T₁` steps: `λ ← λω` when `ρ > 3/4`,
/// `λ ← λ/ω` when `ρ < 1/4`, `ω = 0.95^T₁`, with `ρ` the actual reduction
/// over that predicted by `gᵀδ + ½ δᵀFδ`.
///
/// Cost of a step: one forward and one reverse sweep for the gradient and
/// the statistics, one more reverse sweep per outer-product vector of `Q`
/// (one for the default Monte-Carlo Fisher), one forward pass with two
/// tangent lanes for the quadratic model, and on adaptation steps one
/// forward pass at the new point.
#[derive(Clone, Debug)]
pub struct Kfac {
    config: KfacConfig,
    factors: Vec<Factors>,
    diagonal: Vec<Option<Tensor>>,
    previous: Option<Vec<Tensor>>,
    steps: u64,
    damping: f64,
}

impl Default for Kfac {
    fn default() -> Kfac {
        Kfac::new(KfacConfig::default())
    }
}

fn invert(m: DMatrix<f64>) -> Result<DMatrix<f64>, StepError> {
    if m.iter().any(|x| !x.is_finite()) {
        return Err(StepError::NonFinite("a Kronecker factor"));
    }
    m.cholesky()
        .map(|c| c.inverse())
        .ok_or(StepError::NotPositiveDefinite("a damped Kronecker factor"))
}

fn average(old: Option<&Tensor>, new: &Tensor, ema: f64) -> Tensor {
    match old {
        Some(o) if o.shape() == new.shape() => Tensor::from_fn(new.shape(), |i| {
            ema * o.data()[i] + (1.0 - ema) * new.data()[i]
        }),
        _ => new.clone(),
    }
}

impl Kfac {
    /// K-FAC with the given settings and no statistics yet.
    pub fn new(config: KfacConfig) -> Kfac {
        Kfac {
            config,
            factors: Vec::new(),
            diagonal: Vec::new(),
            previous: None,
            steps: 0,
            damping: config.damping,
        }
    }

    /// The current damping `λ`.
    pub fn damping(&self) -> f64 {
        self.damping
    }

    /// The current (averaged) factors `(A, G)` per registered layer block.
    pub fn factors(&self) -> impl Iterator<Item = (&DMatrix<f64>, &DMatrix<f64>)> {
        self.factors.iter().map(|f| (&f.a, &f.g))
    }

    /// This step's factors: the batch statistics averaged into the kept
    /// ones, with inverses recomputed when due.
    fn averaged(&self, layers: &[LayerStatistics], l2: f64) -> Result<Vec<Factors>, StepError> {
        let ema = self.config.ema;
        let due = self.steps % self.config.inverse_every.max(1) as u64 == 0;
        layers
            .iter()
            .map(|layer| {
                let (a, g) = (layer.a.clone(), layer.g.clone());
                let kept = self.factors.iter().find(|f| {
                    f.weight == layer.weight && f.bias == layer.bias && f.a.shape() == a.shape()
                });
                let (a, g) = match kept {
                    Some(f) => (&f.a * ema + a * (1.0 - ema), &f.g * ema + g * (1.0 - ema)),
                    None => (a, g),
                };
                let inverses = match kept.and_then(|f| f.inverses.clone()) {
                    Some(inv) if !due => inv,
                    _ => self.damped_inverses(&a, &g, l2)?,
                };
                Ok(Factors {
                    weight: layer.weight,
                    bias: layer.bias,
                    a,
                    g,
                    inverses: Some(inverses),
                })
            })
            .collect()
    }

    fn damped_inverses(
        &self,
        a: &DMatrix<f64>,
        g: &DMatrix<f64>,
        l2: f64,
    ) -> Result<(DMatrix<f64>, DMatrix<f64>), StepError> {
        let (na, ng) = (a.nrows(), g.nrows());
        let lambda = self.damping + l2;
        let (shift_a, shift_g) = match self.config.factor_damping {
            FactorDamping::Plain => (lambda, lambda),
            FactorDamping::PiAdjusted => {
                let gamma = lambda.sqrt();
                let mean_trace = |m: &DMatrix<f64>| m.trace() / m.nrows().max(1) as f64;
                let pi = (mean_trace(a) / mean_trace(g)).sqrt();
                let pi = if pi.is_finite() && pi > 0.0 { pi } else { 1.0 };
                (pi * gamma, gamma / pi)
            }
        };
        Ok((
            invert(a + DMatrix::identity(na, na) * shift_a)?,
            invert(g + DMatrix::identity(ng, ng) * shift_g)?,
        ))
    }

    /// `Δ`: `−A⁻¹ ∇ G⁻¹` per layer block, the fallback elsewhere.
    fn direction(
        &self,
        factors: &[Factors],
        diagonal: &[Option<Tensor>],
        grads: &[Tensor],
        l2: f64,
    ) -> Vec<Tensor> {
        let mut direction: Vec<Tensor> = grads
            .iter()
            .zip(diagonal)
            .map(|(g, d)| match (self.config.unregistered, d) {
                (Fallback::Diagonal, Some(d)) => {
                    let shift = self.damping + l2;
                    Tensor::from_fn(g.shape(), |i| -g.data()[i] / (d.data()[i] + shift))
                }
                _ => g.map(|x| -x),
            })
            .collect();
        for f in factors {
            let (a_inv, g_inv) = f.inverses.as_ref().expect("inverses computed");
            let stacked = stack_layer(&grads[f.weight], f.bias.map(|b| &grads[b]));
            let (w, b) = unstack_layer(&-(a_inv * stacked * g_inv), f.bias.is_some());
            direction[f.weight] = w;
            if let (Some(i), Some(b)) = (f.bias, b) {
                direction[i] = b;
            }
        }
        direction
    }
}

/// `q_ij = (J v_i)ᵀ F (J v_j) + l2 v_iᵀv_j` for directions `v`, from one
/// forward pass carrying them as tangent lanes; `F` the exact Fisher in
/// output space, or the Gauss-Newton matrix when the loss has none.
pub(crate) fn quadratic_forms<S: Scalar, M: Model<S>, L: Loss<S>>(
    problem: &Supervised<M, L, S>,
    params: &Params<S>,
    batch: &Dataset<S>,
    vs: &[&[Tensor]],
) -> DMatrix<f64> {
    let x = batch.features().clone();
    let model =
        autodiff::func_of::<S, _>(|p| problem.model().forward(p, p[0].tape().constant(x.clone())));
    let tangents: Vec<TensorOf<S>> = lanes(vs).iter().map(Tensor::cast).collect();
    let (z, jv) = autodiff::jvp_batch(model, params.tensors(), &tangents);
    let q = problem
        .loss()
        .fisher(&z)
        .unwrap_or_else(|| problem.loss().hessian(&z, batch.targets()));
    let m = z.len();
    let lane = |i: usize| Tensor::from_fn(z.shape(), |n| jv.data()[i * m + n].as_f64());
    let jvs: Vec<Tensor> = (0..vs.len()).map(lane).collect();
    let qjv: Vec<Tensor> = jvs.iter().map(|t| q.apply(t)).collect();
    let l2 = problem.l2();
    DMatrix::from_fn(vs.len(), vs.len(), |i, j| {
        dot(std::slice::from_ref(&jvs[i]), std::slice::from_ref(&qjv[j])) + l2 * dot(vs[i], vs[j])
    })
}

/// An update `δ` and, when it was computed, `δᵀ(F + l2 I)δ` (for the
/// predicted reduction), with the curvature products it took.
struct Update {
    delta: Vec<Tensor>,
    curvature: Option<f64>,
    products: usize,
}

/// `(α, μ)` minimising `½ [α μ] M [α μ]ᵀ + [α μ] b` (Martens & Grosse
/// 2015, §7), or `α` alone when there is one direction.
///
/// NOTE: a near-singular 2×2 system (the previous update parallel to Δ)
/// falls back to the step along Δ alone.
fn model_coefficients(m: &DMatrix<f64>, b: &[f64]) -> Result<(f64, f64), StepError> {
    if m[(0, 0)].is_nan() || m[(0, 0)] <= 0.0 {
        return Err(StepError::NotPositiveDefinite("the quadratic model"));
    }
    let along_delta = (-b[0] / m[(0, 0)], 0.0);
    if b.len() < 2 {
        return Ok(along_delta);
    }
    let det = m[(0, 0)] * m[(1, 1)] - m[(0, 1)] * m[(0, 1)];
    if det > 1e-12 * m[(0, 0)] * m[(1, 1)] {
        Ok((
            (-b[0] * m[(1, 1)] + b[1] * m[(0, 1)]) / det,
            (-b[1] * m[(0, 0)] + b[0] * m[(0, 1)]) / det,
        ))
    } else {
        Ok(along_delta)
    }
}

impl Kfac {
    /// `δ = η Δ + μ δ_prev`; its curvature only when the damping adapts now.
    fn fixed_update<S: Scalar, M: Model<S>, L: Loss<S>>(
        &self,
        (lr, momentum): (f64, f64),
        delta: &[Tensor],
        (problem, params, batch): (&Supervised<M, L, S>, &Params<S>, &Dataset<S>),
        adapt_now: bool,
    ) -> Update {
        let delta = match (&self.previous, momentum) {
            (Some(prev), mu) if mu != 0.0 => combine(lr, delta, mu, prev),
            _ => scaled(lr, delta),
        };
        let curvature =
            adapt_now.then(|| quadratic_forms(problem, params, batch, &[&delta])[(0, 0)]);
        Update {
            products: usize::from(adapt_now),
            delta,
            curvature,
        }
    }

    /// `δ = α Δ + μ δ_prev` minimising the damped quadratic model.
    fn quadratic_model_update<S: Scalar, M: Model<S>, L: Loss<S>>(
        &self,
        delta: &[Tensor],
        grads: &[Tensor],
        (problem, params, batch): (&Supervised<M, L, S>, &Params<S>, &Dataset<S>),
    ) -> Result<Update, StepError> {
        let mut vs: Vec<&[Tensor]> = vec![delta];
        if let Some(prev) = &self.previous {
            vs.push(prev);
        }
        let q = quadratic_forms(problem, params, batch, &vs);
        let m = DMatrix::from_fn(vs.len(), vs.len(), |i, j| {
            q[(i, j)] + self.damping * dot(vs[i], vs[j])
        });
        let b: Vec<f64> = vs.iter().map(|v| dot(grads, v)).collect();
        let (alpha, mu) = model_coefficients(&m, &b)?;
        let coefficients = [alpha, mu];
        let curvature = (0..vs.len())
            .flat_map(|i| (0..vs.len()).map(move |j| (i, j)))
            .map(|(i, j)| coefficients[i] * coefficients[j] * q[(i, j)])
            .sum();
        let delta = match &self.previous {
            Some(prev) => combine(alpha, delta, mu, prev),
            None => scaled(alpha, delta),
        };
        Ok(Update {
            products: vs.len(),
            delta,
            curvature: Some(curvature),
        })
    }

    /// The Levenberg–Marquardt rule on the reduction ratio `ρ`.
    fn adapt_damping(&mut self, rho: f64) {
        let c = self.config;
        let omega = 0.95f64.powi(c.adapt_every as i32);
        if rho > 0.75 {
            self.damping = (self.damping * omega).max(c.min_damping);
        } else if rho < 0.25 || !rho.is_finite() {
            self.damping = (self.damping / omega).min(1e8);
        }
    }
}

impl TrainingMethod for Kfac {
    fn validate(&self) -> Result<(), SettingsError> {
        let c = self.config;
        non_negative("KfacConfig::damping", c.damping)?;
        non_negative("KfacConfig::min_damping", c.min_damping)?;
        at_least_one("KfacConfig::adapt_every", c.adapt_every)?;
        fraction("KfacConfig::ema", c.ema)?;
        at_least_one("KfacConfig::inverse_every", c.inverse_every)?;
        if let StepRule::Fixed { lr, momentum } = c.rule {
            positive("StepRule::Fixed::lr", lr)?;
            fraction("StepRule::Fixed::momentum", momentum)?;
        }
        c.curvature.validate()
    }

    fn step<S: Scalar, M: Model<S>, L: Loss<S>>(
        &mut self,
        problem: &Supervised<M, L, S>,
        params: &mut Params<S>,
        batch: &Dataset<S>,
    ) -> Result<StepReport, StepError> {
        self.validate()?;
        let c = self.config;
        let l2 = problem.l2();
        let curvature = c.curvature.at_step(self.steps);
        let BatchRecord {
            loss,
            grads,
            mut layers,
            fallback_diagonal,
            extra_sweeps,
        } = record(problem, params, batch, curvature, c.biases_in_layers)?;
        if c.factor_scale == FactorScale::BatchMean {
            let b = batch.len().max(1) as f64;
            for layer in &mut layers {
                layer.g /= b * b;
            }
        }
        let factors = self.averaged(&layers, l2)?;
        let diagonal: Vec<Option<Tensor>> = fallback_diagonal
            .iter()
            .enumerate()
            .map(|(i, d)| {
                d.as_ref()
                    .map(|d| average(self.diagonal.get(i).and_then(Option::as_ref), d, c.ema))
            })
            .collect();
        let direction = self.direction(&factors, &diagonal, &grads, l2);

        let adapt_now = c.adapt_damping && self.steps % c.adapt_every.max(1) as u64 == 0;
        let at = (problem, &*params, batch);
        let update = match c.rule {
            StepRule::Fixed { lr, momentum } => {
                self.fixed_update((lr, momentum), &direction, at, adapt_now)
            }
            StepRule::QuadraticModel => self.quadratic_model_update(&direction, &grads, at)?,
        };
        if !all_finite(&update.delta) {
            return Err(StepError::NonFinite("the K-FAC update"));
        }

        *params = params
            .moved_by(&autodiff::flatten(&update.delta))
            .map_err(|e| StepError::Mismatch(e.to_string()))?;
        let mut rho = None;
        if let (true, Some(quadratic)) = (adapt_now, update.curvature) {
            let predicted = dot(&grads, &update.delta) + 0.5 * quadratic;
            let r = (problem.objective_value(params, batch) - loss) / predicted;
            self.adapt_damping(r);
            rho = Some(r);
        }
        self.factors = factors;
        self.diagonal = diagonal;
        self.previous = Some(update.delta);
        self.steps += 1;
        Ok(StepReport {
            loss,
            gradients: 1 + extra_sweeps,
            curvature_products: update.products,
            damping: Some(self.damping),
            reduction_ratio: rho,
            accepted: true,
        })
    }
}

impl Resumable for Kfac {
    fn kind(&self) -> String {
        "kfac".to_string()
    }

    /// Per layer block `block/{j}/` its parameter positions, averaged
    /// factors `a`, `g` and their damped inverses; the fallback diagonals
    /// `diagonal/{i}`, the previous update `previous/{i}`, the damping and
    /// the step count.
    fn export_state(&self) -> MethodState {
        let mut state = MethodState::default();
        state.put_count("steps", self.steps);
        state.put_scalar("damping", self.damping);
        state.put_count("blocks", self.factors.len() as u64);
        for (j, f) in self.factors.iter().enumerate() {
            state.put_count(format!("block/{j}/weight"), f.weight as u64);
            if let Some(b) = f.bias {
                state.put_count(format!("block/{j}/bias"), b as u64);
            }
            state.put_matrix(format!("block/{j}/a"), &f.a);
            state.put_matrix(format!("block/{j}/g"), &f.g);
            if let Some((a_inv, g_inv)) = &f.inverses {
                state.put_matrix(format!("block/{j}/a_inverse"), a_inv);
                state.put_matrix(format!("block/{j}/g_inverse"), g_inv);
            }
        }
        state.put_count("diagonals", self.diagonal.len() as u64);
        for (i, d) in self.diagonal.iter().enumerate() {
            if let Some(d) = d {
                state.put(format!("diagonal/{i}"), d.clone());
            }
        }
        if let Some(previous) = &self.previous {
            state.put_count("previous", previous.len() as u64);
            for (i, p) in previous.iter().enumerate() {
                state.put(format!("previous/{i}"), p.clone());
            }
        }
        state
    }

    fn import_state(&mut self, state: &MethodState) -> Result<(), CheckpointError> {
        let optional = |name: &str| state.has(name).then(|| state.index(name)).transpose();
        let factors = (0..state.index("blocks")?)
            .map(|j| {
                let at = |what: &str| format!("block/{j}/{what}");
                let inverses = if state.has(&at("a_inverse")) {
                    Some((
                        state.matrix(&at("a_inverse"))?,
                        state.matrix(&at("g_inverse"))?,
                    ))
                } else {
                    None
                };
                Ok(Factors {
                    weight: state.index(&at("weight"))?,
                    bias: optional(&at("bias"))?,
                    a: state.matrix(&at("a"))?,
                    g: state.matrix(&at("g"))?,
                    inverses,
                })
            })
            .collect::<Result<Vec<_>, CheckpointError>>()?;
        let diagonal = (0..state.index("diagonals")?)
            .map(|i| {
                let name = format!("diagonal/{i}");
                state
                    .has(&name)
                    .then(|| state.tensor(&name).cloned())
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let previous = optional("previous")?
            .map(|n| {
                (0..n)
                    .map(|i| state.tensor(&format!("previous/{i}")).cloned())
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let (steps, damping) = (state.count("steps")?, state.scalar("damping")?);
        self.factors = factors;
        self.diagonal = diagonal;
        self.previous = previous;
        self.steps = steps;
        self.damping = damping;
        Ok(())
    }
}
