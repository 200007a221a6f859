//! The diagonal of a symmetric operator from its products: exactly, from
//! `A eᵢ` for every coordinate, or estimated from Rademacher probes
//! (Bekas, Kokiopoulou & Saad 2007, the diagonal form of Hutchinson's
//! estimator). Applied to a Hessian, Gauss-Newton or Fisher operator it gives
//! that matrix's diagonal, which is what diagonal preconditioners (and, the
//! claim goes, Adam) approximate.

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::trace::{blocked, mean_and_std_error, TraceParams};
use super::vectors::rademacher;
use crate::linop::LinearOperator;

/// A diagonal, exact or estimated, and what it cost.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagonalEstimate {
    /// The estimate of `Aᵢᵢ` for every `i`.
    pub diagonal: Vec<f64>,
    /// The standard error of each entry: zero for [`exact_diagonal`], the
    /// sample standard deviation over `√m` for [`diagonal_estimate`] (NaN
    /// with fewer than two probes).
    pub std_error: Vec<f64>,
    /// Operator products spent.
    pub products: usize,
    /// Calls to [`apply_block`](LinearOperator::apply_block), each one
    /// forward-over-reverse sweep for the curvature operators.
    pub sweeps: usize,
}

/// The exact diagonal `Aᵢᵢ = eᵢᵀ A eᵢ` from the products `A eᵢ`, `block`
/// coordinates per [`apply_block`](LinearOperator::apply_block): `n`
/// products in `⌈n / block⌉` sweeps. Exact to round-off, and affordable
/// for operators up to a few thousand dimensions.
///
/// ```
/// use optim::curvature::exact_diagonal;
/// use optim::linop::DenseMatrix;
/// let a = DenseMatrix::new(3, vec![2.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 4.0]).unwrap();
/// let d = exact_diagonal(&a, 2);
/// assert_eq!(d.diagonal, vec![2.0, 3.0, 4.0]);
/// assert_eq!((d.products, d.sweeps), (3, 2));
/// ```
pub fn exact_diagonal(op: &impl LinearOperator, block: usize) -> DiagonalEstimate {
    let n = op.dim();
    let block = block.max(1);
    let mut diagonal = Vec::with_capacity(n);
    for start in (0..n).step_by(block) {
        let coordinates = start..(start + block).min(n);
        let basis: Vec<Vec<f64>> = coordinates
            .clone()
            .map(|i| {
                let mut e = vec![0.0; n];
                e[i] = 1.0;
                e
            })
            .collect();
        let columns = op.apply_block(&basis);
        diagonal.extend(coordinates.zip(columns).map(|(i, column)| column[i]));
    }
    DiagonalEstimate {
        diagonal,
        std_error: vec![0.0; n],
        products: n,
        sweeps: n.div_ceil(block),
    }
}

/// The diagonal estimated as the mean of `z ⊙ A z` over `m = params.products`
/// Rademacher probes `z`, `params.block` probes per sweep: unbiased, since
/// `E[zᵢ (Az)ᵢ] = Σⱼ Aᵢⱼ E[zᵢ zⱼ] = Aᵢᵢ`, with variance `Σ_{j≠i} Aᵢⱼ² / m`
/// per entry (exact on a diagonal matrix). The cost does not grow with the
/// dimension: `m` products in `⌈m / block⌉` sweeps.
///
/// ```
/// use optim::curvature::{diagonal_estimate, TraceParams};
/// use optim::linop::DenseMatrix;
/// let d = diagonal_estimate(&DenseMatrix::diagonal(&[1.0, 2.0, 3.0]), &TraceParams::default());
/// assert_eq!(d.diagonal, vec![1.0, 2.0, 3.0]);
/// assert_eq!(d.std_error, vec![0.0; 3]);
/// ```
pub fn diagonal_estimate(op: &impl LinearOperator, params: &TraceParams) -> DiagonalEstimate {
    let n = op.dim();
    let mut rng = StdRng::seed_from_u64(params.seed);
    let probes: Vec<Vec<f64>> = (0..params.products)
        .map(|_| rademacher(n, &mut rng))
        .collect();
    let products = blocked(op, &probes, params.block);
    let (diagonal, std_error) = (0..n)
        .map(|i| {
            let samples: Vec<f64> = probes
                .iter()
                .zip(&products)
                .map(|(z, az)| z[i] * az[i])
                .collect();
            mean_and_std_error(&samples)
        })
        .unzip();
    DiagonalEstimate {
        diagonal,
        std_error,
        products: probes.len(),
        sweeps: probes.len().div_ceil(params.block.max(1)),
    }
}
