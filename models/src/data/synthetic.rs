//! Seeded synthetic data: Gaussian samples, binary problems (linearly
//! separable, XOR), two moons, spirals, and ill-conditioned linear regression.

use std::f64::consts::PI;

use autodiff::Tensor;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

use crate::data::{DataError, Dataset, Targets};

fn rng(seed: u64) -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(seed)
}

fn labelled(n: usize, d: usize, x: Vec<f64>, labels: Vec<usize>, classes: usize) -> Dataset {
    Dataset::new(
        Tensor::from_fn(&[n, d], |i| x[i]),
        Targets::Classes { labels, classes },
    )
    .expect("generated data are finite and labelled in range")
}

/// `n` samples `μ + L z` with `z ~ N(0, I)`: rows of shape `[n, d]` from
/// `N(μ, L Lᵀ)`, for a mean `[d]` and a lower-triangular factor `L: [d, d]`.
///
/// ```
/// use autodiff::Tensor;
/// let x = models::data::gaussian_samples(4, &Tensor::vector(vec![1.0, 2.0]), &Tensor::eye(2), 0);
/// assert_eq!(x.shape(), &[4, 2]);
/// ```
///
/// # Panics
/// When the shapes of `mean` and `scale_tril` do not match.
pub fn gaussian_samples(n: usize, mean: &Tensor, scale_tril: &Tensor, seed: u64) -> Tensor {
    let d = mean.len();
    assert_eq!(
        scale_tril.shape(),
        &[d, d],
        "gaussian_samples: a mean of length {d} needs a [{d}, {d}] factor, got {:?}",
        scale_tril.shape()
    );
    let z = Tensor::randn(&[n, d], seed);
    let (l, z, mu) = (scale_tril.data(), z.data(), mean.data());
    Tensor::from_fn(&[n, d], |k| {
        let (i, r) = (k / d, k % d);
        mu[r] + (0..=r).map(|c| l[r * d + c] * z[i * d + c]).sum::<f64>()
    })
}

/// `n` points `x ~ N(0, I_d)` labelled by the side of a random hyperplane
/// through the origin, each pushed `margin` away from it: separable with
/// margin at least `margin`. Classes 0 and 1.
pub fn linearly_separable(n: usize, d: usize, margin: f64, seed: u64) -> Dataset {
    let w = Tensor::randn(&[d], seed ^ 0x5EED);
    let w: Vec<f64> = w.data().iter().map(|v| v / w.norm()).collect();
    let z = Tensor::randn(&[n, d], seed);
    let mut x = z.data().to_vec();
    let mut labels = Vec::with_capacity(n);
    for row in x.chunks_mut(d) {
        let side: f64 = row.iter().zip(&w).map(|(a, b)| a * b).sum();
        let sign = if side >= 0.0 { 1.0 } else { -1.0 };
        row.iter_mut()
            .zip(&w)
            .for_each(|(a, b)| *a += sign * margin * b);
        labels.push(usize::from(side >= 0.0));
    }
    labelled(n, d, x, labels, 2)
}

/// `n` points uniform on `[-1, 1]²`, class 1 when `x₀ x₁ > 0` (XOR of the
/// signs), with Gaussian noise of standard deviation `noise` added to the
/// points after labelling.
pub fn xor(n: usize, noise: f64, seed: u64) -> Dataset {
    let mut r = rng(seed);
    let mut x = Vec::with_capacity(2 * n);
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        let (a, b): (f64, f64) = (r.gen_range(-1.0..1.0), r.gen_range(-1.0..1.0));
        labels.push(usize::from(a * b > 0.0));
        let (ea, eb): (f64, f64) = (r.sample(StandardNormal), r.sample(StandardNormal));
        x.extend([a + noise * ea, b + noise * eb]);
    }
    labelled(n, 2, x, labels, 2)
}

/// Two interleaving half circles (`n` points, alternating classes 0 and 1),
/// with Gaussian noise of standard deviation `noise`.
pub fn two_moons(n: usize, noise: f64, seed: u64) -> Dataset {
    let mut r = rng(seed);
    let mut x = Vec::with_capacity(2 * n);
    let labels: Vec<usize> = (0..n).map(|i| i % 2).collect();
    for &c in &labels {
        let t = r.gen_range(0.0..PI);
        let (a, b) = if c == 0 {
            (t.cos(), t.sin())
        } else {
            (1.0 - t.cos(), 0.5 - t.sin())
        };
        let (ea, eb): (f64, f64) = (r.sample(StandardNormal), r.sample(StandardNormal));
        x.extend([a + noise * ea, b + noise * eb]);
    }
    labelled(n, 2, x, labels, 2)
}

/// `classes` interleaved spiral arms of `per_class` points each, radius
/// growing from 0 to 1 over one and a half turns, with angular noise of
/// standard deviation `noise` (radians).
pub fn spirals(per_class: usize, classes: usize, noise: f64, seed: u64) -> Dataset {
    let mut r = rng(seed);
    let n = per_class * classes;
    let mut x = Vec::with_capacity(2 * n);
    let mut labels = Vec::with_capacity(n);
    for c in 0..classes {
        for i in 0..per_class {
            let radius = i as f64 / per_class.max(1) as f64;
            let e: f64 = r.sample(StandardNormal);
            let angle = 2.0 * PI * c as f64 / classes as f64 + 3.0 * PI * radius + noise * e;
            x.extend([radius * angle.cos(), radius * angle.sin()]);
            labels.push(c);
        }
    }
    labelled(n, 2, x, labels, classes)
}

/// Orthonormalises the columns of a row-major `[rows, cols]` matrix in
/// place (modified Gram–Schmidt).
fn orthonormalise_columns(a: &mut [f64], rows: usize, cols: usize) {
    for j in 0..cols {
        for k in 0..j {
            let dot: f64 = (0..rows).map(|i| a[i * cols + j] * a[i * cols + k]).sum();
            (0..rows).for_each(|i| a[i * cols + j] -= dot * a[i * cols + k]);
        }
        let norm = (0..rows)
            .map(|i| a[i * cols + j].powi(2))
            .sum::<f64>()
            .sqrt();
        (0..rows).for_each(|i| a[i * cols + j] /= norm);
    }
}

/// A linear regression `y = X w* + noise·ε` whose least-squares Hessian
/// `XᵀX / n` has eigenvalues spaced geometrically from `1/condition` to 1,
/// so its condition number is exactly `condition` (up to round-off).
/// `X = √n · U diag(√λ) Vᵀ` with random orthonormal `U: [n, d]` and `V: [d, d]`;
/// `w* ~ N(0, I)`. Returns the data (targets `[n, 1]`) and `w*`.
///
/// ```
/// let (data, w) = models::data::ill_conditioned_regression(50, 4, 1e6, 0.0, 0)?;
/// assert_eq!((data.len(), data.num_features(), w.len()), (50, 4, 4));
/// # Ok::<(), models::data::DataError>(())
/// ```
///
/// # Errors
/// When `n < d`, `d == 0` or `condition < 1`.
pub fn ill_conditioned_regression(
    n: usize,
    d: usize,
    condition: f64,
    noise: f64,
    seed: u64,
) -> Result<(Dataset, Tensor), DataError> {
    if n < d || d == 0 || condition.is_nan() || condition < 1.0 {
        return Err(DataError::InvalidArgument(format!(
            "ill-conditioned regression needs n ≥ d ≥ 1 and condition ≥ 1 (n = {n}, d = {d}, condition = {condition})"
        )));
    }
    let mut u = Tensor::randn(&[n, d], seed).into_vec();
    orthonormalise_columns(&mut u, n, d);
    let mut v = Tensor::randn(&[d, d], seed ^ 0xC0DE).into_vec();
    orthonormalise_columns(&mut v, d, d);
    let lambda = |k: usize| match d {
        1 => 1.0,
        _ => condition.powf(-(k as f64) / (d - 1) as f64),
    };
    let scale = (n as f64).sqrt();
    let x = Tensor::from_fn(&[n, d], |idx| {
        let (i, j) = (idx / d, idx % d);
        scale
            * (0..d)
                .map(|k| u[i * d + k] * lambda(k).sqrt() * v[j * d + k])
                .sum::<f64>()
    });
    let w = Tensor::randn(&[d], seed ^ 0xBEEF);
    let eps = Tensor::randn(&[n], seed ^ 0xFACE);
    let y = Tensor::from_fn(&[n, 1], |i| {
        let row = &x.data()[i * d..(i + 1) * d];
        row.iter().zip(w.data()).map(|(a, b)| a * b).sum::<f64>() + noise * eps.data()[i]
    });
    Ok((Dataset::new(x, Targets::Values(y))?, w))
}
