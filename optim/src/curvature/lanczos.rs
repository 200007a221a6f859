//! The Lanczos process with full reorthogonalisation, and the extreme
//! eigenpairs of a symmetric operator from it (Lanczos 1950; Golub & Van
//! Loan, §10.1 and §10.3.1; Paige 1971 for the residual bound).

use nalgebra::{DMatrix, SymmetricEigen};
use rand::rngs::StdRng;
use rand::SeedableRng;

use super::vectors::{normalize, orthogonalize, rademacher};
use crate::linop::{axpy, dot, norm, LinearOperator};

/// Settings for [`extreme_eigenpairs`] (and the condition-number estimate).
#[derive(Clone, Debug)]
pub struct LanczosParams {
    /// The most Lanczos steps (operator products); capped at the dimension.
    /// Default 100.
    pub max_steps: usize,
    /// A Ritz pair counts as converged when its residual bound
    /// `‖A y − θ y‖ ≤ rel_tol · max |θ|`. Default 1e-8.
    pub rel_tol: f64,
    /// Which end of the spectrum must converge before the run stops
    /// (default both).
    pub target: SpectrumEnd,
    /// Seed of the Rademacher starting vector.
    pub seed: u64,
}

impl Default for LanczosParams {
    fn default() -> Self {
        LanczosParams {
            max_steps: 100,
            rel_tol: 1e-8,
            target: SpectrumEnd::Both,
            seed: 0,
        }
    }
}

/// The end(s) of the spectrum a Lanczos run waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpectrumEnd {
    /// The `k` largest eigenvalues.
    Largest,
    /// The `k` smallest eigenvalues.
    Smallest,
    /// Both the `k` largest and the `k` smallest.
    Both,
}

/// Why a Lanczos run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LanczosStatus {
    /// Every Ritz pair of the requested end(s) met the residual tolerance.
    Converged,
    /// The Krylov space became invariant (or filled the whole space): the
    /// Ritz values are eigenvalues of the operator, to round-off.
    InvariantSubspace,
    /// The step limit was reached first.
    MaxSteps,
    /// The operator has dimension 0 or the starting vector was zero.
    Empty,
    /// A NaN or infinity appeared in a product.
    NonFinite,
}

/// An approximate eigenpair from the Krylov space.
#[derive(Clone, Debug)]
pub struct RitzPair {
    /// The Ritz value `θ`.
    pub value: f64,
    /// The unit Ritz vector `y`.
    pub vector: Vec<f64>,
    /// The residual norm `‖A y − θ y‖ = β_m |s_m|` (Paige 1971), a bound on
    /// the distance from `θ` to the nearest eigenvalue.
    pub residual: f64,
}

/// The outcome of [`extreme_eigenpairs`].
#[derive(Clone, Debug)]
pub struct LanczosInfo {
    /// The largest Ritz pairs, largest first.
    pub largest: Vec<RitzPair>,
    /// The smallest Ritz pairs, smallest first.
    pub smallest: Vec<RitzPair>,
    /// Why the run stopped.
    pub status: LanczosStatus,
    /// Lanczos steps taken (operator products).
    pub steps: usize,
}

/// The `k` largest and `k` smallest eigenpairs of a symmetric operator by
/// Lanczos with full reorthogonalisation from a seeded Rademacher start,
/// stopping once the `k` Ritz pairs at the requested end(s)
/// ([`LanczosParams::target`]) meet the residual tolerance (checked every
/// few steps); pairs at the other end are returned as they stand. The small tridiagonal eigenproblem is solved with
/// nalgebra's [`SymmetricEigen`].
///
/// ```
/// use optim::curvature::{extreme_eigenpairs, LanczosParams};
/// use optim::linop::DenseMatrix;
/// let diag: Vec<f64> = (1..=50).map(f64::from).collect();
/// let info = extreme_eigenpairs(&DenseMatrix::diagonal(&diag), 2, &LanczosParams::default());
/// assert!((info.largest[0].value - 50.0).abs() < 1e-8 && (info.largest[1].value - 49.0).abs() < 1e-8);
/// assert!((info.smallest[0].value - 1.0).abs() < 1e-8);
/// ```
pub fn extreme_eigenpairs(
    op: &impl LinearOperator,
    k: usize,
    params: &LanczosParams,
) -> LanczosInfo {
    let mut rng = StdRng::seed_from_u64(params.seed);
    let mut krylov = Krylov::new(rademacher(op.dim(), &mut rng));
    let max_steps = params.max_steps.min(op.dim());
    let mut status = LanczosStatus::MaxSteps;
    while krylov.steps() < max_steps {
        if let Some(stop) = krylov.step(op) {
            status = stop;
            break;
        }
        let m = krylov.steps();
        if m >= 2 * k && m % CHECK_EVERY == 0 && krylov.ritz().converged(k, params) {
            status = LanczosStatus::Converged;
            break;
        }
    }
    if krylov.steps() == 0 || status == LanczosStatus::NonFinite {
        return LanczosInfo {
            largest: Vec::new(),
            smallest: Vec::new(),
            status: if status == LanczosStatus::NonFinite {
                status
            } else {
                LanczosStatus::Empty
            },
            steps: krylov.steps(),
        };
    }
    let ritz = krylov.ritz();
    if status == LanczosStatus::MaxSteps && ritz.converged(k, params) {
        status = LanczosStatus::Converged;
    }
    let m = ritz.values.len();
    let pair = |i: usize| krylov.ritz_pair(&ritz, i);
    LanczosInfo {
        largest: (0..k.min(m)).map(|i| pair(m - 1 - i)).collect(),
        smallest: (0..k.min(m)).map(pair).collect(),
        status,
        steps: krylov.steps(),
    }
}

/// Steps between convergence checks (each costs a small eigendecomposition).
const CHECK_EVERY: usize = 5;

/// Breakdown threshold: `β ≤ BREAKDOWN · ‖T‖` means an invariant subspace.
const BREAKDOWN: f64 = 1e-10;

/// A Lanczos decomposition `A Q_m = Q_m T_m + β_m q_{m+1} e_mᵀ` built one step
/// at a time, with every new vector reorthogonalised against all before it.
pub(crate) struct Krylov {
    basis: Vec<Vec<f64>>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
    residual: Vec<f64>,
    scale: f64,
}

/// The eigendecomposition of `T_m`, eigenvalues ascending.
pub(crate) struct Ritz {
    /// Ritz values, ascending.
    pub(crate) values: Vec<f64>,
    /// Eigenvectors of `T_m`, one per value (length `m` each).
    pub(crate) vectors: Vec<Vec<f64>>,
    /// `β_m`, the norm of the next residual.
    last_beta: f64,
}

impl Ritz {
    /// `β_m |s_{m,i}|` for the `i`-th Ritz pair.
    fn residual(&self, i: usize) -> f64 {
        self.last_beta * self.vectors[i].last().map_or(0.0, |s| s.abs())
    }

    /// Whether the `k` pairs at the requested end(s) meet the tolerance.
    fn converged(&self, k: usize, params: &LanczosParams) -> bool {
        let m = self.values.len();
        let scale = self.values.iter().fold(0.0_f64, |s, v| s.max(v.abs()));
        let tol = params.rel_tol * scale;
        let (low, high) = match params.target {
            SpectrumEnd::Largest => (false, true),
            SpectrumEnd::Smallest => (true, false),
            SpectrumEnd::Both => (true, true),
        };
        (0..k.min(m)).all(|i| {
            (!low || self.residual(i) <= tol) && (!high || self.residual(m - 1 - i) <= tol)
        })
    }
}

impl Krylov {
    /// A decomposition to grow from `start` (any nonzero vector).
    pub(crate) fn new(start: Vec<f64>) -> Krylov {
        Krylov {
            basis: Vec::new(),
            alpha: Vec::new(),
            beta: Vec::new(),
            residual: start,
            scale: 0.0,
        }
    }

    /// Number of steps taken (`m`).
    pub(crate) fn steps(&self) -> usize {
        self.alpha.len()
    }

    /// One Lanczos step; `Some(status)` when the process cannot continue.
    pub(crate) fn step(&mut self, op: &impl LinearOperator) -> Option<LanczosStatus> {
        let mut q = std::mem::take(&mut self.residual);
        let length = normalize(&mut q);
        if !length.is_finite() {
            return Some(LanczosStatus::NonFinite);
        }
        if length == 0.0 {
            return Some(LanczosStatus::Empty);
        }
        let mut w = op.apply(&q);
        let a = dot(&q, &w);
        if !a.is_finite() {
            return Some(LanczosStatus::NonFinite);
        }
        axpy(-a, &q, &mut w);
        if let (Some(previous), Some(&b)) = (self.basis.last(), self.beta.last()) {
            axpy(-b, previous, &mut w);
        }
        self.basis.push(q);
        // NOTE: full reorthogonalisation; without it the basis loses
        // orthogonality as Ritz values converge and ghost copies appear.
        orthogonalize(&mut w, &self.basis);
        let b = norm(&w);
        self.alpha.push(a);
        self.beta.push(b);
        self.residual = w;
        self.scale = self.scale.max(a.abs() + b);
        if !b.is_finite() {
            return Some(LanczosStatus::NonFinite);
        }
        if b <= BREAKDOWN * self.scale || self.basis.len() == op.dim() {
            return Some(LanczosStatus::InvariantSubspace);
        }
        None
    }

    /// The eigendecomposition of the tridiagonal `T_m`.
    pub(crate) fn ritz(&self) -> Ritz {
        let m = self.steps();
        let t = DMatrix::from_fn(m, m, |i, j| match i.abs_diff(j) {
            0 => self.alpha[i],
            1 => self.beta[i.min(j)],
            _ => 0.0,
        });
        let eigen = SymmetricEigen::new(t);
        let mut order: Vec<usize> = (0..m).collect();
        order.sort_by(|&i, &j| eigen.eigenvalues[i].total_cmp(&eigen.eigenvalues[j]));
        Ritz {
            values: order.iter().map(|&i| eigen.eigenvalues[i]).collect(),
            vectors: order
                .iter()
                .map(|&i| eigen.eigenvectors.column(i).iter().copied().collect())
                .collect(),
            last_beta: self.beta.last().copied().unwrap_or(0.0),
        }
    }

    /// The `i`-th Ritz pair: value, vector `Q_m s_i`, residual bound.
    fn ritz_pair(&self, ritz: &Ritz, i: usize) -> RitzPair {
        let mut vector = vec![0.0; self.basis.first().map_or(0, Vec::len)];
        for (q, s) in self.basis.iter().zip(&ritz.vectors[i]) {
            axpy(*s, q, &mut vector);
        }
        RitzPair {
            value: ritz.values[i],
            vector,
            residual: ritz.residual(i),
        }
    }
}
