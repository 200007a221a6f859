//! Small dense-vector helpers shared by the spectral tools: random probes and
//! Gram–Schmidt against an orthonormal basis.

use rand::rngs::StdRng;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::linop::{axpy, dot, norm};

/// A Rademacher vector: independent entries ±1 with equal probability.
pub(crate) fn rademacher(n: usize, rng: &mut StdRng) -> Vec<f64> {
    (0..n)
        .map(|_| if rng.gen::<bool>() { 1.0 } else { -1.0 })
        .collect()
}

/// A vector of independent standard normal entries.
pub(crate) fn gaussian(n: usize, rng: &mut StdRng) -> Vec<f64> {
    (0..n).map(|_| StandardNormal.sample(rng)).collect()
}

/// Removes from `v` its components along the orthonormal `basis`, in two
/// classical Gram–Schmidt passes ("twice is enough": Giraud et al. 2005),
/// which keeps `v` orthogonal to working precision.
pub(crate) fn orthogonalize(v: &mut [f64], basis: &[Vec<f64>]) {
    for _ in 0..2 {
        let coefficients: Vec<f64> = basis.iter().map(|q| dot(q, v)).collect();
        for (q, c) in basis.iter().zip(coefficients) {
            axpy(-c, q, v);
        }
    }
}

/// Scales `v` to unit length and returns its former norm; leaves a zero or
/// non-finite vector untouched.
pub(crate) fn normalize(v: &mut [f64]) -> f64 {
    let n = norm(v);
    if n > 0.0 && n.is_finite() {
        v.iter_mut().for_each(|x| *x /= n);
    }
    n
}

/// An orthonormal basis of the span of `vs` (Gram–Schmidt; vectors that are
/// numerically dependent on the earlier ones are dropped).
pub(crate) fn orthonormal_basis(vs: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(vs.len());
    for mut v in vs {
        let before = norm(&v);
        orthogonalize(&mut v, &basis);
        // NOTE: a vector that lost almost all its length to the projection is
        // dependent on the basis up to round-off; keeping it would add noise.
        if normalize(&mut v) > 1e-10 * before {
            basis.push(v);
        }
    }
    basis
}
