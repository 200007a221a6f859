//! The randomized Nyström approximation of a positive semi-definite operator
//! from one block of products (Tropp, Yurtsever, Udell & Cevher 2017,
//! Algorithm 3), and the Nyström preconditioner for damped systems
//! `(A + μI) x = b` (Frangella, Tropp & Udell 2021, Nyström PCG).

use nalgebra::{Cholesky, DMatrix, SVD};
use rand::rngs::StdRng;
use rand::SeedableRng;
use thiserror::Error;

use super::lanczos::{extreme_eigenpairs, LanczosParams, SpectrumEnd};
use super::trace::blocked;
use super::vectors::{gaussian, orthonormal_basis};
use crate::linop::{axpy, dot, FnOperator, LinearOperator};

/// Settings for [`NystromSketch::new`].
#[derive(Clone, Debug)]
pub struct NystromParams {
    /// The sketch size `ℓ`: random directions, operator products and the
    /// rank of the approximation (default 50).
    pub rank: usize,
    /// Directions sent together through
    /// [`apply_block`](LinearOperator::apply_block) (default 50: the whole
    /// sketch in one forward-over-reverse sweep).
    pub block: usize,
    /// Lanczos steps on the error `A − Â` for [`NystromSketch::error`]
    /// (default 10 products; 0 skips the estimate).
    pub error_steps: usize,
    /// Seed of the Gaussian test matrix (and of the error estimate's start).
    pub seed: u64,
}

impl Default for NystromParams {
    fn default() -> Self {
        NystromParams {
            rank: 50,
            block: 50,
            error_steps: 10,
            seed: 0,
        }
    }
}

/// Why a sketch or its preconditioner could not be built.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum NystromError {
    /// The sketch size is zero, or the operator has dimension zero.
    #[error("a Nyström sketch needs a positive rank and dimension (rank {rank}, dimension {dim})")]
    Empty {
        /// The requested rank.
        rank: usize,
        /// The operator's dimension.
        dim: usize,
    },
    /// A NaN or infinity appeared in the operator's products.
    #[error("the operator's products are not finite")]
    NonFinite,
    /// The core `Ωᵀ A Ω` (shifted) has no Cholesky factor: the operator is
    /// not positive semi-definite.
    #[error("the operator is not positive semi-definite (Ωᵀ A Ω has no Cholesky factor)")]
    NotPositiveSemiDefinite,
    /// The damping leaves the preconditioner singular or is not finite.
    #[error("damping {0} leaves the Nyström preconditioner singular: use a damping > 0")]
    Damping(f64),
}

/// `Â = U Λ̂ Uᵀ = (AΩ)(ΩᵀAΩ)⁺(AΩ)ᵀ`, the Nyström approximation of a
/// positive semi-definite operator `A` along a random orthonormal test
/// matrix `Ω` (`n × ℓ`), kept as its eigendecomposition: the columns of `U`
/// are orthonormal, `Λ̂` is non-negative and descending. It satisfies
/// `0 ≼ Â ≼ A`, so `λᵢ(Â) ≤ λᵢ(A) ≤ λᵢ(Â) + ‖A − Â‖` for every `i`: the top
/// eigenvalues of the sketch are within [`error`](NystromSketch::error) of
/// the operator's, from below.
///
/// Computed stably (Tropp et al. 2017, Algorithm 3): `Y = AΩ` in one block
/// of products, shifted to `Y_ν = Y + νΩ` with `ν = √n · ε · ‖Y‖_F`, the
/// Cholesky factor `C Cᵀ = ΩᵀY_ν` of the small core, then the SVD
/// `Y_ν C⁻ᵀ = U Σ Vᵀ` and `Λ̂ = max(0, Σ² − ν)`.
///
/// ```
/// use optim::curvature::{NystromParams, NystromSketch};
/// use optim::linop::DenseMatrix;
/// // A rank-3 operator is recovered exactly by a sketch of 5.
/// let a = DenseMatrix::diagonal(&[9.0, 4.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
/// let sketch = NystromSketch::new(&a, &NystromParams { rank: 5, ..NystromParams::default() })?;
/// for (got, want) in sketch.eigenvalues().iter().zip([9.0, 4.0, 1.0, 0.0, 0.0]) {
///     assert!((got - want).abs() < 1e-10);
/// }
/// assert!(sketch.error() < 1e-10);
/// # Ok::<(), optim::curvature::NystromError>(())
/// ```
#[derive(Clone, Debug)]
pub struct NystromSketch {
    eigenvalues: Vec<f64>,
    eigenvectors: Vec<Vec<f64>>,
    error: f64,
    products: usize,
    sweeps: usize,
}

impl NystromSketch {
    /// Sketches `op` (positive semi-definite) with `params.rank` Gaussian
    /// directions, orthonormalized: `rank` products in
    /// `⌈rank / block⌉` sweeps, plus `params.error_steps` products for the
    /// error estimate.
    ///
    /// # Errors
    /// [`NystromError::Empty`] for a zero rank or dimension,
    /// [`NystromError::NonFinite`] for non-finite products, and
    /// [`NystromError::NotPositiveSemiDefinite`] when the core has no
    /// Cholesky factor.
    pub fn new(op: &impl LinearOperator, params: &NystromParams) -> Result<Self, NystromError> {
        let n = op.dim();
        if params.rank == 0 || n == 0 {
            return Err(NystromError::Empty {
                rank: params.rank,
                dim: n,
            });
        }
        let mut rng = StdRng::seed_from_u64(params.seed);
        let omega = orthonormal_basis(
            (0..params.rank.min(n))
                .map(|_| gaussian(n, &mut rng))
                .collect(),
        );
        let l = omega.len();
        let y = blocked(op, &omega, params.block);
        let y_frobenius = y.iter().map(|c| dot(c, c)).sum::<f64>().sqrt();
        if !y_frobenius.is_finite() {
            return Err(NystromError::NonFinite);
        }
        let shift = (n as f64).sqrt() * f64::EPSILON * y_frobenius;
        let y_shifted: Vec<Vec<f64>> = y
            .iter()
            .zip(&omega)
            .map(|(yc, oc)| {
                let mut c = yc.clone();
                axpy(shift, oc, &mut c);
                c
            })
            .collect();
        // NOTE: ΩᵀY_ν is symmetric in exact arithmetic; its average with its
        // transpose removes the round-off asymmetry Cholesky would see.
        let core = DMatrix::from_fn(l, l, |i, j| {
            0.5 * (dot(&omega[i], &y_shifted[j]) + dot(&omega[j], &y_shifted[i]))
        });
        let factor = Cholesky::new(core).ok_or(NystromError::NotPositiveSemiDefinite)?;
        // B = Y_ν C⁻ᵀ, from Bᵀ = C⁻¹ Y_νᵀ.
        let y_t = DMatrix::from_fn(l, n, |i, j| y_shifted[i][j]);
        let b_t = factor
            .l()
            .solve_lower_triangular(&y_t)
            .ok_or(NystromError::NotPositiveSemiDefinite)?;
        let svd = SVD::new(b_t.transpose(), true, false);
        let u = svd.u.ok_or(NystromError::NonFinite)?;
        let eigenvalues: Vec<f64> = svd
            .singular_values
            .iter()
            .map(|s| (s * s - shift).max(0.0))
            .collect();
        if eigenvalues.iter().any(|v| !v.is_finite()) {
            return Err(NystromError::NonFinite);
        }
        let eigenvectors = (0..eigenvalues.len())
            .map(|j| u.column(j).iter().copied().collect())
            .collect();
        let mut sketch = NystromSketch {
            eigenvalues,
            eigenvectors,
            error: f64::NAN,
            products: l,
            sweeps: l.div_ceil(params.block.max(1)),
        };
        if params.error_steps > 0 {
            sketch.error = sketch.estimate_error(op, params);
            sketch.products += params.error_steps.min(n);
        }
        Ok(sketch)
    }

    /// `‖A − Â‖` estimated by a few Lanczos steps on the positive
    /// semi-definite error `A − Â`: the largest Ritz value plus its residual
    /// bound.
    fn estimate_error(&self, op: &impl LinearOperator, params: &NystromParams) -> f64 {
        let error = FnOperator::new(op.dim(), |v: &[f64]| {
            let mut out = op.apply(v);
            axpy(-1.0, &self.apply(v), &mut out);
            out
        });
        let lanczos = LanczosParams {
            max_steps: params.error_steps,
            rel_tol: 1e-3,
            target: SpectrumEnd::Largest,
            seed: params.seed.wrapping_add(1),
        };
        let info = extreme_eigenpairs(&error, 1, &lanczos);
        info.largest
            .first()
            .map_or(f64::NAN, |top| top.value.max(0.0) + top.residual)
    }

    /// The eigenvalues of `Â`, descending (non-negative).
    pub fn eigenvalues(&self) -> &[f64] {
        &self.eigenvalues
    }

    /// The orthonormal eigenvectors of `Â`, one per eigenvalue.
    pub fn eigenvectors(&self) -> &[Vec<f64>] {
        &self.eigenvectors
    }

    /// The estimate of `‖A − Â‖` (NaN when it was not asked for): a bound,
    /// up to the estimate's accuracy, on how far each `λᵢ(Â)` lies below `λᵢ(A)`.
    pub fn error(&self) -> f64 {
        self.error
    }

    /// Operator products spent (the sketch and the error estimate).
    pub fn products(&self) -> usize {
        self.products
    }

    /// Block sweeps spent on the sketch itself.
    pub fn sweeps(&self) -> usize {
        self.sweeps
    }

    /// The Nyström preconditioner for `A + μI` with `μ = damping`
    /// (Frangella, Tropp & Udell 2021, eq. 5.3):
    ///
    /// `P⁻¹ = (λ̂_ℓ + μ) U (Λ̂ + μI)⁻¹ Uᵀ + (I − UUᵀ)`,
    ///
    /// with `λ̂_ℓ` the smallest eigenvalue of the sketch. It maps the top
    /// `ℓ` eigenvalues of `A + μI` close to `λ̂_ℓ + μ` and leaves the rest,
    /// so CG's condition number falls from `(λ₁ + μ)/(λₙ + μ)` to about
    /// `(λ_ℓ + μ)/(λₙ + μ)`. Pass it to
    /// [`conjugate_gradient`](crate::cg::conjugate_gradient) as `m_inv`.
    ///
    /// # Errors
    /// [`NystromError::Damping`] when `damping` is negative or not finite,
    /// or zero while the sketch has a zero eigenvalue.
    ///
    /// ```
    /// use optim::cg::{conjugate_gradient, CgParams};
    /// use optim::curvature::{NystromParams, NystromSketch};
    /// use optim::linop::{Damped, DenseMatrix};
    /// // Ten large eigenvalues over a rest in [1, 2]: a sketch of 15 takes them out.
    /// let diag: Vec<f64> = (0..100)
    ///     .map(|i| if i < 10 { 1e4 * (i + 1) as f64 } else { 1.0 + 0.01 * i as f64 })
    ///     .collect();
    /// let a = Damped { inner: DenseMatrix::diagonal(&diag), lambda: 1e-2 };
    /// let sketch = NystromSketch::new(&a.inner, &NystromParams { rank: 15, ..NystromParams::default() })?;
    /// let p = sketch.preconditioner(a.lambda)?;
    /// let b = vec![1.0; 100];
    /// let plain = conjugate_gradient(&a, &b, None, None::<&DenseMatrix>, &CgParams::default());
    /// let pcg = conjugate_gradient(&a, &b, None, Some(&p), &CgParams::default());
    /// assert!(3 * pcg.iterations < plain.iterations);
    /// # Ok::<(), optim::curvature::NystromError>(())
    /// ```
    pub fn preconditioner(&self, damping: f64) -> Result<NystromPreconditioner<'_>, NystromError> {
        let smallest = self.eigenvalues.last().copied().unwrap_or(0.0);
        if !(damping >= 0.0 && damping.is_finite() && smallest + damping > 0.0) {
            return Err(NystromError::Damping(damping));
        }
        Ok(NystromPreconditioner {
            sketch: self,
            damping,
        })
    }
}

/// `v ↦ Â v = U Λ̂ Uᵀ v`.
impl LinearOperator for NystromSketch {
    fn dim(&self) -> usize {
        self.eigenvectors.first().map_or(0, Vec::len)
    }

    fn apply(&self, v: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; v.len()];
        for (u, lambda) in self.eigenvectors.iter().zip(&self.eigenvalues) {
            axpy(lambda * dot(u, v), u, &mut out);
        }
        out
    }
}

/// The Nyström preconditioner `P⁻¹` of [`NystromSketch::preconditioner`],
/// symmetric positive definite, applied in `O(nℓ)`.
#[derive(Clone, Debug)]
pub struct NystromPreconditioner<'a> {
    sketch: &'a NystromSketch,
    damping: f64,
}

impl LinearOperator for NystromPreconditioner<'_> {
    fn dim(&self) -> usize {
        self.sketch.dim()
    }

    /// `r − U Uᵀ r + (λ̂_ℓ + μ) U (Λ̂ + μI)⁻¹ Uᵀ r`.
    fn apply(&self, r: &[f64]) -> Vec<f64> {
        let s = &self.sketch;
        let floor = s.eigenvalues.last().copied().unwrap_or(0.0) + self.damping;
        let mut out = r.to_vec();
        for (u, lambda) in s.eigenvectors.iter().zip(&s.eigenvalues) {
            let c = dot(u, r);
            axpy(c * (floor / (lambda + self.damping) - 1.0), u, &mut out);
        }
        out
    }
}
