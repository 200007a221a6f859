//! Shared fixtures for the curvature tests: operators with known spectra and
//! a small MLP written as an autodiff closure.
#![allow(dead_code)]

use autodiff::{Tensor, Var};
use nalgebra::{DMatrix, DVector};
use optim::linop::{axpy, dot, DenseMatrix, LinearOperator};

/// `Q diag(eigenvalues) Qᵀ` with `Q` a random orthogonal matrix (QR of a
/// seeded Gaussian matrix).
pub fn with_spectrum(eigenvalues: &[f64], seed: u64) -> DenseMatrix {
    let n = eigenvalues.len();
    let g = Tensor::randn(&[n, n], seed);
    let q = DMatrix::from_row_slice(n, n, g.data()).qr().q();
    let a = &q * DMatrix::from_diagonal(&DVector::from_row_slice(eigenvalues)) * q.transpose();
    let a = (&a + a.transpose()) * 0.5;
    DenseMatrix::new(n, a.transpose().as_slice().to_vec()).expect("square by construction")
}

/// `H diag(d) H` with `H` a product of three random Householder reflections:
/// a matrix with known spectrum in a dense random basis, applied in O(n),
/// for sizes in the thousands.
pub struct ReflectedDiagonal {
    diag: Vec<f64>,
    normals: Vec<Vec<f64>>,
}

impl ReflectedDiagonal {
    pub fn new(diag: Vec<f64>, seed: u64) -> ReflectedDiagonal {
        let n = diag.len();
        let normals = (0..3)
            .map(|i| {
                let u = Tensor::randn(&[n], seed * 10 + i).into_vec();
                let norm = dot(&u, &u).sqrt();
                u.into_iter().map(|x| x / norm).collect()
            })
            .collect();
        ReflectedDiagonal { diag, normals }
    }

    fn reflect(&self, v: &mut [f64], order: &mut dyn Iterator<Item = &Vec<f64>>) {
        for u in order {
            let c = -2.0 * dot(u, v);
            axpy(c, u, v);
        }
    }
}

impl LinearOperator for ReflectedDiagonal {
    fn dim(&self) -> usize {
        self.diag.len()
    }
    fn apply(&self, v: &[f64]) -> Vec<f64> {
        // A = H D Hᵀ with H = H1 H2 H3, so Hᵀ v applies H1 first.
        let mut w = v.to_vec();
        self.reflect(&mut w, &mut self.normals.iter());
        w.iter_mut().zip(&self.diag).for_each(|(x, d)| *x *= d);
        self.reflect(&mut w, &mut self.normals.iter().rev());
        w
    }
}

/// A dense operator as an nalgebra matrix.
pub fn to_nalgebra(op: &impl LinearOperator) -> DMatrix<f64> {
    let dense = DenseMatrix::from_operator(op);
    let n = op.dim();
    DMatrix::from_row_slice(n, n, dense.data())
}

/// Largest absolute entry of `a − b`, relative to the largest entry of `a`.
pub fn rel_diff(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    (a - b).amax() / a.amax()
}

/// Relative distance `|x − y| / |y|` between two numbers.
pub fn rel(x: f64, y: f64) -> f64 {
    (x - y).abs() / y.abs()
}

/// A classification data set and the parameters of a tanh MLP with the
/// given layer widths (`widths[0]` inputs, last entry classes).
pub struct Mlp {
    pub inputs: Tensor,
    pub labels: Vec<usize>,
    pub params: Vec<Tensor>,
}

impl Mlp {
    pub fn new(widths: &[usize], batch: usize, seed: u64) -> Mlp {
        let inputs = Tensor::randn(&[batch, widths[0]], seed);
        let classes = widths[widths.len() - 1];
        let labels = (0..batch)
            .map(|i| (i * 7 + seed as usize) % classes)
            .collect();
        let params = widths
            .windows(2)
            .enumerate()
            .flat_map(|(l, w)| {
                let scale = (1.0 / w[0] as f64).sqrt();
                [
                    Tensor::randn(&[w[0], w[1]], seed + 100 + l as u64).map(|x| 1.5 * scale * x),
                    Tensor::randn(&[w[1]], seed + 200 + l as u64).map(|x| 0.1 * x),
                ]
            })
            .collect();
        Mlp {
            inputs,
            labels,
            params,
        }
    }

    /// The logits `[B, C]`: tanh hidden layers, linear output layer.
    pub fn forward<'t>(&self, p: &[Var<'t>]) -> Var<'t> {
        let mut h = p[0].tape().constant(self.inputs.clone());
        let layers = p.len() / 2;
        for l in 0..layers {
            h = h.matmul(p[2 * l]) + p[2 * l + 1];
            if l + 1 < layers {
                h = h.tanh();
            }
        }
        h
    }

    /// The mean softmax cross-entropy of the logits.
    pub fn loss<'t>(&self, p: &[Var<'t>]) -> Var<'t> {
        self.forward(p).softmax_cross_entropy(&self.labels)
    }
}
