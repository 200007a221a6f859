//! The multivariate Gaussian with a Cholesky-factored covariance.

use autodiff::{KeepDims, Scalar, Tensor, TensorError, TensorOf, VarOf};

use crate::data::gaussian_samples;

/// `N(μ, Σ)` with `Σ = L Lᵀ`, parametrised by the mean `[d]` and an
/// unconstrained matrix `R: [d, d]` whose strict lower triangle is that of `L`
/// and whose diagonal is `log diag(L)` (so `L` always has a positive
/// diagonal; `R`'s upper triangle is unused and gets zero gradient).
///
/// ```
/// use autodiff::{check, func, Tensor};
/// use models::likelihood::MultivariateGaussian;
///
/// let l = Tensor::from_rows(&[vec![1.0, 0.0], vec![0.5, 2.0]])?;
/// let g = MultivariateGaussian::new(Tensor::vector(vec![1.0, -1.0]), &l)?;
/// let x = g.sample(50, 0);
/// let nll = func(|p| MultivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x.clone())));
/// assert!(check::gradient(nll, &g.params()).max_rel < 1e-6);
/// # Ok::<(), autodiff::TensorError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MultivariateGaussian {
    mean: Tensor,
    raw: Tensor,
}

/// `[d, d]` mask of the strict lower triangle.
fn strict_lower<S: Scalar>(d: usize) -> TensorOf<S> {
    TensorOf::from_fn(&[d, d], |i| S::of(f64::from(u8::from(i % d < i / d))))
}

/// Solves `L Z = B` for `Z` by forward substitution, inside the graph
/// (`L: [d, d]` lower triangular, `B: [d, m]`).
fn solve_lower<'t, S: Scalar>(l: VarOf<'t, S>, b: VarOf<'t, S>) -> VarOf<'t, S> {
    let d = l.shape()[0];
    let mut rows: Vec<VarOf<'t, S>> = Vec::with_capacity(d);
    for j in 0..d {
        let l_row = l.slice(0, j, j + 1);
        let mut r = b.slice(0, j, j + 1);
        if j > 0 {
            let z_prev = VarOf::concat(&rows, 0);
            r = r - l_row.slice(1, 0, j).matmul(z_prev);
        }
        rows.push(r / l_row.slice(1, j, j + 1));
    }
    VarOf::concat(&rows, 0)
}

impl MultivariateGaussian {
    /// `N(mean, L Lᵀ)` from a mean `[d]` and a lower-triangular factor with
    /// a positive diagonal.
    ///
    /// # Errors
    /// When the shapes disagree, `L` has a nonzero above the diagonal, or a
    /// diagonal entry that is not positive.
    pub fn new(mean: Tensor, scale_tril: &Tensor) -> Result<MultivariateGaussian, TensorError> {
        let d = mean.len();
        if mean.rank() != 1 || scale_tril.shape() != [d, d] {
            return Err(TensorError::InvalidArgument(format!(
                "a mean of shape {:?} needs a [{d}, {d}] factor, got {:?}",
                mean.shape(),
                scale_tril.shape()
            )));
        }
        let l = scale_tril.data();
        for (i, &v) in l.iter().enumerate() {
            let (r, c) = (i / d, i % d);
            if (c > r && v != 0.0) || (c == r && v.is_nan()) || (c == r && v <= 0.0) {
                return Err(TensorError::InvalidArgument(format!(
                    "the Cholesky factor must be lower triangular with a positive diagonal; entry ({r}, {c}) is {v}"
                )));
            }
        }
        let raw = Tensor::from_fn(&[d, d], |i| if i % d == i / d { l[i].ln() } else { l[i] });
        Ok(MultivariateGaussian { mean, raw })
    }

    /// Builds the distribution from its parameters `[mean, R]` (as from [`MultivariateGaussian::params`]).
    ///
    /// # Errors
    /// When the shapes disagree.
    pub fn from_params(params: &[Tensor]) -> Result<MultivariateGaussian, TensorError> {
        let [mean, raw] = params else {
            return Err(TensorError::InvalidArgument(format!(
                "MultivariateGaussian::from_params needs [mean, R], got {} tensors",
                params.len()
            )));
        };
        if raw.rank() != 2 || raw.shape()[0] != raw.shape()[1] {
            return Err(TensorError::InvalidArgument(format!(
                "MultivariateGaussian::from_params needs a square R, got shape {:?}",
                raw.shape()
            )));
        }
        let scale = MultivariateGaussian::scale_tril_of(raw);
        MultivariateGaussian::new(mean.clone(), &scale)
    }

    fn scale_tril_of(raw: &Tensor) -> Tensor {
        autodiff::value(
            |p| MultivariateGaussian::scale_tril(p[0]),
            std::slice::from_ref(raw),
        )
    }

    /// The parameters `[mean, R]`, in the order [`MultivariateGaussian::nll`] takes.
    pub fn params(&self) -> Vec<Tensor> {
        vec![self.mean.clone(), self.raw.clone()]
    }

    /// The dimension `d`.
    pub fn dim(&self) -> usize {
        self.mean.len()
    }

    /// The mean.
    pub fn mean(&self) -> &Tensor {
        &self.mean
    }

    /// The Cholesky factor `L` of the covariance.
    pub fn scale_tril_value(&self) -> Tensor {
        MultivariateGaussian::scale_tril_of(&self.raw)
    }

    /// `L` as a graph of the unconstrained `R`: strict lower triangle of `R`
    /// plus `diag(exp(diag R))`.
    pub fn scale_tril<'t, S: Scalar>(raw: VarOf<'t, S>) -> VarOf<'t, S> {
        let d = raw.shape()[0];
        let tape = raw.tape();
        let eye = tape.constant(TensorOf::eye(d));
        let diag = (raw * eye).sum_axis(1, KeepDims::Yes).exp();
        raw * tape.constant(strict_lower(d)) + diag * eye
    }

    /// The mean negative log-likelihood of the rows of `x: [n, d]`:
    /// `½‖L⁻¹(x - μ)‖² + Σ log Lᵢᵢ + (d/2) log 2π`, averaged over rows.
    ///
    /// # Panics
    /// When `x` is not `[n, d]` for a mean `[d]` (it would otherwise
    /// broadcast a single column against every coordinate).
    pub fn nll<'t, S: Scalar>(
        mean: VarOf<'t, S>,
        raw: VarOf<'t, S>,
        x: VarOf<'t, S>,
    ) -> VarOf<'t, S> {
        let (xs, ms) = (x.shape(), mean.shape());
        assert!(
            xs.len() == 2 && ms.len() == 1 && xs[1] == ms[0],
            "MultivariateGaussian::nll: observations of shape {xs:?} for a mean of shape {ms:?}; expected observations [rows, {}]",
            ms.first().copied().unwrap_or(0)
        );
        let (n, d) = (xs[0], xs[1]);
        let l = MultivariateGaussian::scale_tril(raw);
        let z = solve_lower(l, (x - mean).t());
        let eye = raw.tape().constant(TensorOf::eye(d));
        let log_det = (raw * eye).sum();
        let half_log_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
        z.square().sum() * S::of(0.5 / n as f64) + log_det + S::of(d as f64 * half_log_2pi)
    }

    /// The Fisher information per observation applied to a direction
    /// `[v_mean, v_R]`, returned in the same layout.
    ///
    /// With `dL = v_R ⊙ ∂L/∂R` (elementwise, since `L` depends on `R` entry
    /// by entry) and `dΣ = dL Lᵀ + L dLᵀ`, the Fisher quadratic form is
    /// `v_meanᵀ Σ⁻¹ v_mean + ½ tr(Σ⁻¹ dΣ Σ⁻¹ dΣ)`; the product is its
    /// half-gradient in `v`, taken here by reverse mode.
    pub fn fisher_vp(&self, v: &[Tensor]) -> Vec<Tensor> {
        let d = self.dim();
        let l = self.scale_tril_value();
        let l_inv = autodiff::value(
            |p| solve_lower(p[0], p[0].tape().constant(Tensor::eye(d))),
            std::slice::from_ref(&l),
        );
        let precision = autodiff::value(|p| p[0].t().matmul(p[0]), &[l_inv]);
        let dl_draw = Tensor::from_fn(&[d, d], |i| match (i / d, i % d) {
            (r, c) if c < r => 1.0,
            (r, c) if c == r => l.data()[r * d + r],
            _ => 0.0,
        });
        let form = autodiff::func(|p| {
            let tape = p[0].tape();
            let (s_inv, l) = (tape.constant(precision.clone()), tape.constant(l.clone()));
            let mean_part = p[0]
                .reshape(&[1, d])
                .matmul(s_inv)
                .matmul(p[0].reshape(&[d, 1]));
            let dl = p[1] * tape.constant(dl_draw.clone());
            let d_sigma = dl.matmul(l.t()) + l.matmul(dl.t());
            let m = s_inv.matmul(d_sigma);
            (mean_part.sum() + (m * m.t()).sum() * 0.5) * 0.5
        });
        autodiff::grad(form, v)
    }

    /// `n` draws `[n, d]`, reproducibly from `seed`.
    pub fn sample(&self, n: usize, seed: u64) -> Tensor {
        gaussian_samples(n, &self.mean, &self.scale_tril_value(), seed)
    }
}
