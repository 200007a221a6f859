//! Ill-conditioned quadratics `½ xᵀAx` with a chosen spectrum in a random orthogonal basis.

use autodiff::Tensor;
use nalgebra::DMatrix;

use super::Problem;

/// `½ xᵀAx` with `A = Q diag(eigenvalues) Qᵀ`, `Q` the orthogonal factor of
/// a seeded Gaussian matrix; start (1, …, 1), minimum 0 at the origin.
pub fn quadratic(name: &str, eigenvalues: &[f64], seed: u64) -> Problem {
    let n = eigenvalues.len();
    let g = Tensor::randn(&[n, n], seed);
    let q = DMatrix::from_row_slice(n, n, g.data()).qr().q();
    let a = &q
        * DMatrix::from_diagonal(&nalgebra::DVector::from_column_slice(eigenvalues))
        * q.transpose();
    let a = Tensor::from_fn(&[n, n], |k| a[(k / n, k % n)]);
    Problem::new(name, vec![1.0; n], 0.0, Some(vec![0.0; n]), move |x| {
        let ax = x
            .tape()
            .constant(a.clone())
            .matmul(x.reshape(&[n, 1]))
            .reshape(&[n]);
        (x * ax).sum() * 0.5
    })
}

/// `n = 2`, eigenvalues {1, 100}.
pub fn quadratic_kappa100() -> Problem {
    quadratic("quad_kappa100_n2", &[1.0, 100.0], 7)
}

/// `n = 10`, eigenvalues `logspace(0, 3, 10)` (condition number 1000).
pub fn quadratic_kappa1000() -> Problem {
    quadratic_kappa1000_in_basis("quad_kappa1000_n10", 7)
}

/// The spectrum of [`quadratic_kappa1000`] in the random basis drawn from
/// `seed`, for averaging a solver's behaviour over bases.
pub fn quadratic_kappa1000_in_basis(name: &str, seed: u64) -> Problem {
    let eigenvalues: Vec<f64> = (0..10).map(|i| 10f64.powf(3.0 * i as f64 / 9.0)).collect();
    quadratic(name, &eigenvalues, seed)
}
