//! The curvature of a loss through a model: which matrix (Gauss-Newton,
//! exact Fisher, Monte-Carlo Fisher, empirical Fisher), its output-space
//! form [`OutputMatrix`], and the operator [`ModelCurvature`] that
//! `optim`'s CG, Lanczos and power iteration take.
//!
//! Every matrix is on the scale of the loss as written (see [`crate::Loss`]).

mod model_curvature;
mod output_matrix;

pub use model_curvature::ModelCurvature;
pub(crate) use output_matrix::rows_columns;
pub use output_matrix::OutputMatrix;

use autodiff::{Scalar, Tensor, TensorOf};
use optim::settings::{at_least_one, SettingsError};

use crate::data::Targets;
use crate::loss::Loss;
use crate::step::StepError;

/// Which curvature matrix `Jᵀ Q J` a method uses. One choice serves K-FAC,
/// natural gradient, Hessian-free and the curvature operators alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curvature {
    /// The generalized Gauss-Newton matrix: `Q = ∇²_f L`, the exact Hessian
    /// of the loss in the outputs ([`Loss::hessian`]; from the engine when
    /// the loss gives no closed form).
    GaussNewton,
    /// The exact Fisher: `Q = E_{y ~ p(·|f)}[∇²_f L]` ([`Loss::fisher`]);
    /// equal to the Gauss-Newton matrix for the canonical links (Martens
    /// 2014, §9.2).
    Fisher,
    /// The Fisher estimated from `samples` targets per example drawn from
    /// the model's predictive distribution ([`Loss::sample`]): `Q_b =
    /// (B / cS) Σ_s g_sb g_sbᵀ` with `g_s = ∇_f L(f, y_s)`, unbiased and
    /// positive semi-definite. Methods that step repeatedly advance the seed
    /// every step.
    MonteCarloFisher {
        /// Draws per example (at least 1).
        samples: usize,
        /// Seed of the draws.
        seed: u64,
    },
    /// The empirical Fisher: the same outer products at the observed
    /// targets. Not the Fisher, and not a curvature estimate in general
    /// (Kunstner, Balles & Hennig 2019).
    EmpiricalFisher,
}

impl Curvature {
    /// Checks the settings: a Monte-Carlo Fisher draws at least one sample.
    ///
    /// # Errors
    /// [`SettingsError`] when `samples` is 0.
    pub fn validate(&self) -> Result<(), SettingsError> {
        match *self {
            Curvature::MonteCarloFisher { samples, .. } => {
                at_least_one("Curvature::MonteCarloFisher::samples", samples)
            }
            _ => Ok(()),
        }
    }

    /// `Q` for `loss` at `outputs` `[B, k]` with the observed `targets`.
    ///
    /// # Errors
    /// [`StepError::Unsupported`] when the loss lacks what this choice needs
    /// (an exact Fisher, a sampler) or `samples` is 0;
    /// [`StepError::Mismatch`] when outputs and targets do not fit the loss.
    pub fn output_matrix<S: Scalar, L: Loss<S> + ?Sized>(
        &self,
        loss: &L,
        outputs: &TensorOf<S>,
        targets: &Targets<S>,
    ) -> Result<OutputMatrix, StepError> {
        loss.check(outputs.shape(), targets)
            .map_err(StepError::Mismatch)?;
        let (b, k) = rows_columns(outputs);
        match *self {
            Curvature::GaussNewton => Ok(loss.hessian(outputs, targets)),
            Curvature::Fisher => loss.fisher(outputs).ok_or_else(|| {
                StepError::Unsupported(
                    "the loss gives no exact Fisher; use GaussNewton, MonteCarloFisher (with a sampler) or EmpiricalFisher".into(),
                )
            }),
            Curvature::MonteCarloFisher { .. } | Curvature::EmpiricalFisher => {
                let draws = self.score_targets(loss, outputs, targets)?;
                let mut scores = Vec::with_capacity(draws.len() * b * k);
                for (drawn, weight) in &draws {
                    let scale = weight.sqrt();
                    let g = output_gradient(loss, outputs, drawn);
                    scores.extend(g.data().iter().map(|g| g.as_f64() * scale));
                }
                Ok(OutputMatrix::Outer(Tensor::from_fn(
                    &[draws.len(), b, k],
                    |i| scores[i],
                )))
            }
        }
    }

    /// For the Monte-Carlo and empirical Fishers: the targets `y_s` at
    /// which the gradients `g_s = ∇_f L(f, y_s)` are taken, each with the
    /// weight `w` that makes `Q_b = Σ_s w g_sb g_sbᵀ` (`B/cS` for `S`
    /// draws, `B/c` for the observed targets); empty for the other choices.
    ///
    /// # Errors
    /// As [`Curvature::output_matrix`].
    pub(crate) fn score_targets<S: Scalar, L: Loss<S> + ?Sized>(
        &self,
        loss: &L,
        outputs: &TensorOf<S>,
        targets: &Targets<S>,
    ) -> Result<Vec<(Targets<S>, f64)>, StepError> {
        let (b, k) = rows_columns(outputs);
        let weight = loss.likelihood_weight(k);
        match *self {
            Curvature::MonteCarloFisher { samples, seed } => {
                if samples == 0 {
                    return Err(StepError::Unsupported(
                        "a Monte-Carlo Fisher needs at least one sample".into(),
                    ));
                }
                (0..samples)
                    .map(|s| {
                        let drawn = loss.sample(outputs, sample_seed(seed, s)).ok_or_else(|| {
                            StepError::Unsupported(
                                "the loss has no sampler for a Monte-Carlo Fisher; use GaussNewton or EmpiricalFisher".into(),
                            )
                        })?;
                        Ok((drawn, b as f64 / (weight * samples as f64)))
                    })
                    .collect()
            }
            Curvature::EmpiricalFisher => Ok(vec![(targets.clone(), b as f64 / weight)]),
            Curvature::GaussNewton | Curvature::Fisher => Ok(Vec::new()),
        }
    }

    /// The same choice at step `step` of a method: a Monte-Carlo Fisher's
    /// seed advanced by `step`, so that every step draws afresh.
    pub(crate) fn at_step(self, step: u64) -> Curvature {
        match self {
            Curvature::MonteCarloFisher { samples, seed } => Curvature::MonteCarloFisher {
                samples,
                seed: seed.wrapping_add(step),
            },
            other => other,
        }
    }
}

/// The seed of draw `s` of a Monte-Carlo estimate seeded by `seed`.
fn sample_seed(seed: u64, s: usize) -> u64 {
    seed.wrapping_add((s as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// `∇_f L(f, y)`, `[B, k]`.
fn output_gradient<S: Scalar, L: Loss<S> + ?Sized>(
    loss: &L,
    outputs: &TensorOf<S>,
    targets: &Targets<S>,
) -> TensorOf<S> {
    autodiff::grad(|f| loss.loss(f[0], targets), std::slice::from_ref(outputs)).remove(0)
}
