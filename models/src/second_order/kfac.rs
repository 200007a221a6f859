//! K-FAC: Kronecker-factored approximate curvature (Martens & Grosse 2015),
//! with the defaults of kfac-jax.

use nalgebra::DMatrix;
use optim::curvature::ModelCurvature;
use optim::linop::{dot, LinearOperator};

use super::output_likelihood::OutputLikelihood;
use super::statistics::{layer_statistics, stack_layer, unstack_layer, StatisticsTargets};
use super::Trouble;
use crate::data::Dataset;
use crate::mlp::Mlp;
use crate::model::Model;
use crate::params::Params;
use crate::supervised::Supervised;

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
    /// model `gᵀδ + ½ δᵀ(F + λI)δ` on the batch, from two exact
    /// Gauss-Newton products (Martens & Grosse 2015, §7).
    QuadraticModel,
}

/// Settings for [`Kfac`]. The defaults are kfac-jax's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KfacParams {
    /// Which targets the `G` factors are estimated at (default: one sampled
    /// label per example, the Fisher; the seed advances every step).
    pub targets: StatisticsTargets,
    /// The step rule (default: the quadratic model).
    pub rule: StepRule,
    /// The initial Levenberg–Marquardt damping `λ` (default 1e-3).
    pub damping: f64,
    /// Adapt `λ` from the reduction ratio `ρ` (default true).
    pub adapt_damping: bool,
    /// Steps between damping adaptations, `T₁` (default 5).
    pub adapt_every: usize,
    /// Decay of the factors' exponential moving averages (default 0.95).
    pub ema: f64,
    /// Steps between recomputations of the factor inverses, `T₃` (default 10).
    pub inverse_every: usize,
    /// Lower bound on `λ` (default 1e-8).
    pub min_damping: f64,
}

impl Default for KfacParams {
    fn default() -> KfacParams {
        KfacParams {
            targets: StatisticsTargets::Sampled { seed: 0 },
            rule: StepRule::QuadraticModel,
            damping: 1e-3,
            adapt_damping: true,
            adapt_every: 5,
            ema: 0.95,
            inverse_every: 10,
            min_damping: 1e-8,
        }
    }
}

/// What one K-FAC step did.
#[derive(Clone, Debug, PartialEq)]
pub struct KfacStep {
    /// The batch objective before the step.
    pub loss: f64,
    /// The coefficient `α` of the preconditioned direction.
    pub alpha: f64,
    /// The coefficient `μ` of the previous update.
    pub momentum: f64,
    /// The reduction ratio, on steps where the damping was adapted.
    pub rho: Option<f64>,
    /// The damping `λ` after the step.
    pub damping: f64,
}

/// K-FAC for a dense network (Martens & Grosse 2015).
///
/// Per layer, the Fisher block of the stacked weights and bias `[W; b]` is
/// approximated by `A ⊗ G`, with `A = E[ããᵀ]` the second moment of the
/// layer's inputs with a homogeneous coordinate and `G = E[ggᵀ]` that of the
/// per-example gradients with respect to its pre-activations. The factors
/// are exponential moving averages; their damped inverses
/// `(A + π γ I)⁻¹`, `(G + γ/π I)⁻¹` with `γ = √(λ + l2)` and
/// `π² = (tr A / dim A) / (tr G / dim G)` (factored Tikhonov damping with the
/// π-adjustment, §6.3) are recomputed every `T₃` steps. The preconditioned
/// direction of a layer is `−A⁻¹ ∇_{[W; b]} G⁻¹`. The damping `λ` follows the
/// Levenberg–Marquardt rule every `T₁` steps: `ρ` is the actual reduction
/// over the reduction predicted by `gᵀδ + ½ δᵀFδ` (exact Gauss-Newton
/// products); `λ ← λ ω` when `ρ > 3/4`, `λ ← λ / ω` when `ρ < 1/4`, `ω = 0.95^T₁`.
#[derive(Clone, Debug)]
pub struct Kfac {
    params: KfacParams,
    mlp: Mlp,
    a: Vec<DMatrix<f64>>,
    g: Vec<DMatrix<f64>>,
    inverses: Vec<(DMatrix<f64>, DMatrix<f64>)>,
    previous: Option<Vec<f64>>,
    steps: u64,
    damping: f64,
}

fn invert(m: DMatrix<f64>) -> Result<DMatrix<f64>, Trouble> {
    if m.iter().any(|x| !x.is_finite()) {
        return Err(Trouble::NonFinite("a Kronecker factor"));
    }
    m.cholesky()
        .map(|c| c.inverse())
        .ok_or(Trouble::NotPositiveDefinite("a damped Kronecker factor"))
}

impl Kfac {
    /// K-FAC for `mlp`, with no statistics yet.
    pub fn new(mlp: &Mlp, params: KfacParams) -> Kfac {
        Kfac {
            params,
            mlp: mlp.clone(),
            a: Vec::new(),
            g: Vec::new(),
            inverses: Vec::new(),
            previous: None,
            steps: 0,
            damping: params.damping,
        }
    }

    /// The current damping `λ`.
    pub fn damping(&self) -> f64 {
        self.damping
    }

    /// The current (averaged) factors `(A, G)` per layer.
    pub fn factors(&self) -> impl Iterator<Item = (&DMatrix<f64>, &DMatrix<f64>)> {
        self.a.iter().zip(&self.g)
    }

    fn update_inverses(&mut self, l2: f64) -> Result<(), Trouble> {
        let gamma = (self.damping + l2).sqrt();
        self.inverses = self
            .a
            .iter()
            .zip(&self.g)
            .map(|(a, g)| {
                let mean_trace = |m: &DMatrix<f64>| m.trace() / m.nrows() as f64;
                let pi = (mean_trace(a) / mean_trace(g)).sqrt();
                let pi = if pi.is_finite() && pi > 0.0 { pi } else { 1.0 };
                let (na, ng) = (a.nrows(), g.nrows());
                Ok((
                    invert(a + DMatrix::identity(na, na) * (pi * gamma))?,
                    invert(g + DMatrix::identity(ng, ng) * (gamma / pi))?,
                ))
            })
            .collect::<Result<_, Trouble>>()?;
        Ok(())
    }

    /// One step on `batch` (the full training set or a minibatch of it).
    ///
    /// # Errors
    /// [`Trouble`] when a damped factor is not positive definite, a value is
    /// not finite, or the loss does not fit the Gauss-Newton operator (only
    /// asked for by the quadratic model and damping adaptation). The
    /// parameters are unchanged then.
    pub fn step<L: OutputLikelihood>(
        &mut self,
        problem: &Supervised<Mlp, L>,
        params: &mut Params,
        batch: &Dataset,
    ) -> Result<KfacStep, Trouble> {
        let p = self.params;
        let l2 = problem.l2();
        let targets = match p.targets {
            StatisticsTargets::Sampled { seed } => StatisticsTargets::Sampled {
                seed: seed.wrapping_add(self.steps),
            },
            other => other,
        };
        let traced = layer_statistics(&self.mlp, params, batch, problem.loss(), targets);
        let theta = params.flatten();
        let mut grad = autodiff::flatten(&traced.grads);
        optim::linop::axpy(l2, &theta, &mut grad);
        let loss = traced.loss + 0.5 * l2 * dot(&theta, &theta);
        if !loss.is_finite() || grad.iter().any(|g| !g.is_finite()) {
            return Err(Trouble::NonFinite("the loss or its gradient"));
        }

        let (a_old, g_old) = (self.a.clone(), self.g.clone());
        let first = self.a.is_empty();
        for (i, layer) in traced.layers.into_iter().enumerate() {
            if first {
                self.a.push(layer.a);
                self.g.push(layer.g);
            } else {
                self.a[i] = &self.a[i] * p.ema + layer.a * (1.0 - p.ema);
                self.g[i] = &self.g[i] * p.ema + layer.g * (1.0 - p.ema);
            }
        }
        if self.steps % p.inverse_every.max(1) as u64 == 0 {
            if let Err(e) = self.update_inverses(l2) {
                (self.a, self.g) = (a_old, g_old);
                return Err(e);
            }
        }

        // Δ = −A⁻¹ ∇_{[W; b]} G⁻¹ per layer, flattened in parameter order.
        let mut direction = Vec::with_capacity(theta.len());
        let grads = autodiff::unflatten(&grad, params.tensors());
        for (i, (a_inv, g_inv)) in self.inverses.iter().enumerate() {
            let stacked = stack_layer(&grads[Mlp::weight_index(i)], &grads[Mlp::bias_index(i)]);
            let (w, b) = unstack_layer(&-(a_inv * stacked * g_inv));
            direction.extend_from_slice(w.data());
            direction.extend_from_slice(b.data());
        }

        let adapt_now = p.adapt_damping && self.steps % p.adapt_every.max(1) as u64 == 0;
        let needs_curvature = adapt_now || p.rule == StepRule::QuadraticModel;
        let curvature = if needs_curvature {
            let x = batch.features().clone();
            let model = autodiff::func(|q| self.mlp.forward(q, q[0].tape().constant(x.clone())));
            let output_loss = problem
                .loss()
                .output_loss(self.mlp.outputs(), batch.targets())?;
            Some(
                ModelCurvature::gauss_newton(model, params.tensors().to_vec(), &output_loss)
                    .map_err(|e| Trouble::Incompatible(e.to_string()))?,
            )
        } else {
            None
        };
        // F·v with the penalty's curvature: (GGN + l2 I) v.
        let curv = |vs: &[Vec<f64>]| -> Vec<Vec<f64>> {
            let op = curvature
                .as_ref()
                .expect("curvature operator built when needed");
            let mut out = op.apply_block(vs);
            for (o, v) in out.iter_mut().zip(vs) {
                optim::linop::axpy(l2, v, o);
            }
            out
        };

        let (alpha, momentum, update, f_update) = match p.rule {
            StepRule::Fixed { lr, momentum } => {
                let mut update: Vec<f64> = direction.iter().map(|d| lr * d).collect();
                let mu = if self.previous.is_some() {
                    momentum
                } else {
                    0.0
                };
                if let Some(prev) = &self.previous {
                    optim::linop::axpy(mu, prev, &mut update);
                }
                let f_update = adapt_now.then(|| curv(std::slice::from_ref(&update)).remove(0));
                (lr, mu, update, f_update)
            }
            StepRule::QuadraticModel => {
                let lambda = self.damping;
                let mut vs = vec![direction.clone()];
                vs.extend(self.previous.clone());
                let fv = curv(&vs);
                let m11 = dot(&vs[0], &fv[0]) + lambda * dot(&vs[0], &vs[0]);
                let b1 = dot(&grad, &vs[0]);
                if m11.is_nan() || m11 <= 0.0 {
                    return Err(Trouble::NotPositiveDefinite("the quadratic model"));
                }
                let (mut alpha, mut mu) = (-b1 / m11, 0.0);
                if vs.len() == 2 {
                    let m12 = dot(&vs[0], &fv[1]) + lambda * dot(&vs[0], &vs[1]);
                    let m22 = dot(&vs[1], &fv[1]) + lambda * dot(&vs[1], &vs[1]);
                    let b2 = dot(&grad, &vs[1]);
                    let det = m11 * m22 - m12 * m12;
                    // NOTE: a near-singular 2×2 system (the previous update
                    // parallel to Δ) falls back to the step along Δ alone.
                    if det > 1e-12 * m11 * m22 {
                        alpha = (-b1 * m22 + b2 * m12) / det;
                        mu = (-b2 * m11 + b1 * m12) / det;
                    }
                }
                let mut update: Vec<f64> = vs[0].iter().map(|d| alpha * d).collect();
                let mut f_update: Vec<f64> = fv[0].iter().map(|d| alpha * d).collect();
                if vs.len() == 2 {
                    optim::linop::axpy(mu, &vs[1], &mut update);
                    optim::linop::axpy(mu, &fv[1], &mut f_update);
                }
                (alpha, mu, update, Some(f_update))
            }
        };
        if update.iter().any(|u| !u.is_finite()) {
            return Err(Trouble::NonFinite("the K-FAC update"));
        }

        let mut next = theta.clone();
        optim::linop::axpy(1.0, &update, &mut next);
        params
            .set_flat(&next)
            .map_err(|e| Trouble::Incompatible(e.to_string()))?;
        let mut rho = None;
        if let (true, Some(fu)) = (adapt_now, f_update) {
            let predicted = dot(&grad, &update) + 0.5 * dot(&update, &fu);
            let after =
                autodiff::value(|q| problem.batch_objective(q, batch), params.tensors()).item();
            let r = (after - loss) / predicted;
            let omega = 0.95f64.powi(p.adapt_every as i32);
            if r > 0.75 {
                self.damping = (self.damping * omega).max(p.min_damping);
            } else if r < 0.25 || !r.is_finite() {
                self.damping = (self.damping / omega).min(1e8);
            }
            rho = Some(r);
        }
        self.previous = Some(update);
        self.steps += 1;
        Ok(KfacStep {
            loss,
            alpha,
            momentum,
            rho,
            damping: self.damping,
        })
    }
}
