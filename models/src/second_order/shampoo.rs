//! Shampoo (Gupta, Koren & Singer 2018): Kronecker-factored full-matrix
//! preconditioning of each parameter tensor, with the step norm grafted
//! from a first-order optimizer (Agarwal et al. 2020).

use autodiff::{Scalar, Tensor, TensorOf};
use nalgebra::{DMatrix, SymmetricEigen};

use crate::checkpoint::CheckpointError;
use crate::optimizers::Optimizer;
use crate::state::{MethodState, Resumable};
use crate::step::{widened, StepError};
use optim::settings::{at_least_one, positive, SettingsError};

/// `(M + εI)^{-1/p}` of a symmetric positive semi-definite matrix by its
/// symmetric eigendecomposition; eigenvalues below zero (round-off) are
/// clipped to zero before `ε` is added.
///
/// ```
/// use models::second_order::inverse_root;
/// use nalgebra::DMatrix;
/// let m = DMatrix::from_row_slice(2, 2, &[16.0, 0.0, 0.0, 81.0]);
/// let r = inverse_root(&m, 4, 0.0)?;
/// assert!((r[(0, 0)] - 0.5).abs() < 1e-12 && (r[(1, 1)] - 1.0 / 3.0).abs() < 1e-12);
/// # Ok::<(), models::StepError>(())
/// ```
///
/// # Errors
/// [`StepError::NonFinite`] when `M` holds NaN or infinity,
/// [`StepError::NotPositiveDefinite`] when `M + εI` is singular.
pub fn inverse_root(m: &DMatrix<f64>, p: u32, eps: f64) -> Result<DMatrix<f64>, StepError> {
    if m.iter().any(|x| !x.is_finite()) {
        return Err(StepError::NonFinite("a Shampoo statistic"));
    }
    let sym = (m + m.transpose()) * 0.5;
    let eigen = SymmetricEigen::new(sym);
    let mut roots = eigen.eigenvalues.clone();
    for e in roots.iter_mut() {
        let shifted = e.max(0.0) + eps;
        if shifted <= 0.0 {
            return Err(StepError::NotPositiveDefinite("a Shampoo statistic"));
        }
        *e = shifted.powf(-1.0 / f64::from(p));
    }
    let q = &eigen.eigenvectors;
    Ok(q * DMatrix::from_diagonal(&roots) * q.transpose())
}

/// The statistics and current preconditioners of one tensor.
#[derive(Clone, Debug)]
enum Statistics {
    /// A matrix `[m, n]`: `L = Σ G Gᵀ`, `R = Σ Gᵀ G`, and their inverse fourth roots.
    Matrix {
        left: DMatrix<f64>,
        right: DMatrix<f64>,
        roots: Option<(DMatrix<f64>, DMatrix<f64>)>,
    },
    /// A vector: `H = Σ g gᵀ` and its inverse square root (Shampoo of order one).
    Vector {
        h: DMatrix<f64>,
        root: Option<DMatrix<f64>>,
    },
    /// Anything else: the grafted step is used as it is.
    Other,
}

/// Shampoo (Gupta, Koren & Singer 2018) for any list of parameter tensors.
///
/// For a matrix gradient `G` it keeps `L = Σₜ GₜGₜᵀ + εI`, `R = Σₜ GₜᵀGₜ + εI`
/// and steps along `L^{-1/4} G R^{-1/4}`; for a vector, `H^{-1/2} g` with
/// `H = Σ g gᵀ + εI`. The roots are recomputed every `update_every` steps
/// by symmetric eigendecomposition. The step of each tensor then takes the
/// norm of the grafted optimizer's step on that tensor (layer-wise
/// grafting): Shampoo chooses the direction, `graft` (Adam or SGD) the size.
/// When a root cannot be computed the grafted step is taken unchanged and
/// [`Shampoo::last_error`] reports why.
///
/// ```
/// use autodiff::Tensor;
/// use models::second_order::Shampoo;
/// use models::{Optimizer, Sgd};
/// let mut shampoo = Shampoo::new(Sgd::new(0.1));
/// let mut p = [Tensor::zeros(&[2, 2])];
/// let g = Tensor::from_vec(&[2, 2], vec![3.0, 0.0, 0.0, 4.0])?;
/// shampoo.update(&mut p, &[g]);
/// // SGD's step norm, 0.1 · ‖g‖ = 0.5, in Shampoo's direction.
/// assert!((p[0].norm() - 0.5).abs() < 1e-12);
/// # Ok::<(), autodiff::TensorError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Shampoo<G> {
    graft: G,
    eps: f64,
    update_every: usize,
    stats: Vec<Statistics>,
    steps: usize,
    last_error: Option<StepError>,
}

impl<G: Optimizer> Shampoo<G> {
    /// Shampoo grafted onto `graft`, with `ε = 1e-4` and roots recomputed every 10 steps.
    pub fn new(graft: G) -> Shampoo<G> {
        Shampoo {
            graft,
            eps: 1e-4,
            update_every: 10,
            stats: Vec::new(),
            steps: 0,
            last_error: None,
        }
    }

    /// Sets the regularisation `ε` of the statistics.
    pub fn eps(mut self, eps: f64) -> Shampoo<G> {
        self.eps = eps;
        self
    }

    /// Sets how many steps the roots are reused for (at least 1: 0 is a
    /// [`SettingsError`] when training starts).
    pub fn update_every(mut self, steps: usize) -> Shampoo<G> {
        self.update_every = steps;
        self
    }

    /// Why the last root computation failed, if it did.
    pub fn last_error(&self) -> Option<&StepError> {
        self.last_error.as_ref()
    }

    /// One Shampoo step on `f64` parameters and gradients.
    fn update_wide(&mut self, params: &mut [Tensor], grads: &[Tensor]) {
        if self.stats.is_empty() {
            self.stats = params
                .iter()
                .map(|p| match p.shape() {
                    [m, n] => Statistics::Matrix {
                        left: DMatrix::zeros(*m, *m),
                        right: DMatrix::zeros(*n, *n),
                        roots: None,
                    },
                    [n] => Statistics::Vector {
                        h: DMatrix::zeros(*n, *n),
                        root: None,
                    },
                    _ => Statistics::Other,
                })
                .collect();
        }
        let refresh = self.steps % self.update_every.max(1) == 0;
        let mut grafted = params.to_vec();
        self.graft.update(&mut grafted, grads);
        for (i, (p, (q, g))) in params.iter_mut().zip(grafted.iter().zip(grads)).enumerate() {
            let graft_step: Vec<f64> = q.data().iter().zip(p.data()).map(|(a, b)| a - b).collect();
            let graft_norm = graft_step.iter().map(|s| s * s).sum::<f64>().sqrt();
            let direction = self.direction(i, g, refresh);
            let step = match direction {
                Some(d) => {
                    let norm = d.iter().map(|s| s * s).sum::<f64>().sqrt();
                    if norm > 0.0 && norm.is_finite() {
                        d.iter().map(|s| -graft_norm * s / norm).collect()
                    } else {
                        graft_step
                    }
                }
                None => graft_step,
            };
            *p = Tensor::from_fn(p.shape(), |k| p.data()[k] + step[k]);
        }
        self.steps += 1;
    }

    /// Shampoo's preconditioned direction for one tensor (before grafting),
    /// or `None` where there is none yet.
    fn direction(&mut self, i: usize, g: &Tensor, refresh: bool) -> Option<Vec<f64>> {
        let eps = self.eps;
        match &mut self.stats[i] {
            Statistics::Matrix { left, right, roots } => {
                let (m, n) = (g.shape()[0], g.shape()[1]);
                let gm = DMatrix::from_row_slice(m, n, g.data());
                *left += &gm * gm.transpose();
                *right += gm.transpose() * &gm;
                if refresh || roots.is_none() {
                    match (inverse_root(left, 4, eps), inverse_root(right, 4, eps)) {
                        (Ok(l), Ok(r)) => *roots = Some((l, r)),
                        (Err(e), _) | (_, Err(e)) => self.last_error = Some(e),
                    }
                }
                let (l, r) = roots.as_ref()?;
                let d = l * gm * r;
                Some((0..m * n).map(|k| d[(k / n, k % n)]).collect())
            }
            Statistics::Vector { h, root } => {
                let gv = DMatrix::from_column_slice(g.len(), 1, g.data());
                *h += &gv * gv.transpose();
                if refresh || root.is_none() {
                    match inverse_root(h, 2, eps) {
                        Ok(r) => *root = Some(r),
                        Err(e) => self.last_error = Some(e),
                    }
                }
                Some((root.as_ref()? * gv).as_slice().to_vec())
            }
            Statistics::Other => None,
        }
    }
}

impl<G: Optimizer> Optimizer for Shampoo<G> {
    fn validate(&self) -> Result<(), SettingsError> {
        self.graft.validate()?;
        positive("Shampoo::eps", self.eps)?;
        at_least_one("Shampoo::update_every", self.update_every)
    }

    fn learning_rate(&self) -> f64 {
        self.graft.learning_rate()
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.graft.set_learning_rate(lr);
    }

    fn update<S: Scalar>(&mut self, params: &mut [TensorOf<S>], grads: &[TensorOf<S>]) {
        let mut wide = widened(params);
        self.update_wide(&mut wide, &widened(grads));
        for (p, w) in params.iter_mut().zip(&wide) {
            *p = w.cast();
        }
    }
}

impl Statistics {
    /// Puts the statistics under `at/`: `left`, `right` and their roots for
    /// a matrix, `h` and its root for a vector, nothing else.
    fn export(&self, at: &str, state: &mut MethodState) {
        match self {
            Statistics::Matrix { left, right, roots } => {
                state.put_matrix(format!("{at}/left"), left);
                state.put_matrix(format!("{at}/right"), right);
                if let Some((l, r)) = roots {
                    state.put_matrix(format!("{at}/left_root"), l);
                    state.put_matrix(format!("{at}/right_root"), r);
                }
            }
            Statistics::Vector { h, root } => {
                state.put_matrix(format!("{at}/h"), h);
                if let Some(r) = root {
                    state.put_matrix(format!("{at}/root"), r);
                }
            }
            Statistics::Other => {}
        }
    }

    /// The statistics [`Statistics::export`] put under `at/`.
    fn import(at: &str, state: &MethodState) -> Result<Statistics, CheckpointError> {
        let name = |what: &str| format!("{at}/{what}");
        if state.has(&name("left")) {
            let roots = if state.has(&name("left_root")) {
                Some((
                    state.matrix(&name("left_root"))?,
                    state.matrix(&name("right_root"))?,
                ))
            } else {
                None
            };
            Ok(Statistics::Matrix {
                left: state.matrix(&name("left"))?,
                right: state.matrix(&name("right"))?,
                roots,
            })
        } else if state.has(&name("h")) {
            let root = if state.has(&name("root")) {
                Some(state.matrix(&name("root"))?)
            } else {
                None
            };
            Ok(Statistics::Vector {
                h: state.matrix(&name("h"))?,
                root,
            })
        } else {
            Ok(Statistics::Other)
        }
    }
}

impl<G: Optimizer + Resumable + Clone> Resumable for Shampoo<G> {
    fn kind(&self) -> String {
        format!("shampoo-{}", self.graft.kind())
    }

    /// The statistics and roots per tensor `stats/{i}/`, the step count,
    /// and the grafted optimizer's state under `graft/`.
    fn export_state(&self) -> MethodState {
        let mut state = MethodState::default();
        state.put_count("steps", self.steps as u64);
        state.put_count("tensors", self.stats.len() as u64);
        for (i, s) in self.stats.iter().enumerate() {
            s.export(&format!("stats/{i}"), &mut state);
        }
        state.put_nested("graft", self.graft.export_state());
        state
    }

    fn import_state(&mut self, state: &MethodState) -> Result<(), CheckpointError> {
        let stats = (0..state.index("tensors")?)
            .map(|i| Statistics::import(&format!("stats/{i}"), state))
            .collect::<Result<Vec<_>, _>>()?;
        let steps = state.index("steps")?;
        let mut graft = self.graft.clone();
        graft.import_state(&state.nested("graft"))?;
        self.graft = graft;
        self.stats = stats;
        self.steps = steps;
        Ok(())
    }
}
