//! Linear operators: anything that can multiply a vector.
//!
//! Conjugate gradient, power iteration and Lanczos take a [`LinearOperator`]
//! and never see the matrix, so the same solver runs on a dense matrix, an
//! exact Hessian (via H·v), a Gauss-Newton or Fisher product, or a damped one.

/// A square linear map `v ↦ A v` on vectors of length [`dim`](LinearOperator::dim).
pub trait LinearOperator {
    /// The dimension `n` of the space the operator acts on.
    fn dim(&self) -> usize;

    /// `A v`.
    fn apply(&self, v: &[f64]) -> Vec<f64>;

    /// `A v` for several vectors. The default applies them one by one;
    /// operators that can share work across vectors (e.g. batched H·V in one
    /// forward-over-reverse sweep) override it.
    fn apply_block(&self, vs: &[Vec<f64>]) -> Vec<Vec<f64>> {
        vs.iter().map(|v| self.apply(v)).collect()
    }
}

impl<T: LinearOperator + ?Sized> LinearOperator for &T {
    fn dim(&self) -> usize {
        (**self).dim()
    }
    fn apply(&self, v: &[f64]) -> Vec<f64> {
        (**self).apply(v)
    }
    fn apply_block(&self, vs: &[Vec<f64>]) -> Vec<Vec<f64>> {
        (**self).apply_block(vs)
    }
}

/// A dense `n × n` matrix stored row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseMatrix {
    n: usize,
    data: Vec<f64>,
}

impl DenseMatrix {
    /// A matrix from row-major values; `None` unless `data.len() == n * n`.
    pub fn new(n: usize, data: Vec<f64>) -> Option<DenseMatrix> {
        (data.len() == n * n).then_some(DenseMatrix { n, data })
    }

    /// The diagonal matrix with `diag` on its diagonal.
    pub fn diagonal(diag: &[f64]) -> DenseMatrix {
        let n = diag.len();
        let mut data = vec![0.0; n * n];
        for (i, d) in diag.iter().enumerate() {
            data[i * n + i] = *d;
        }
        DenseMatrix { n, data }
    }

    /// The row-major values.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// Entry `(i, j)`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.n + j]
    }

    /// Builds the dense matrix of any operator, column by column (`n` products).
    pub fn from_operator(op: &impl LinearOperator) -> DenseMatrix {
        let n = op.dim();
        let mut data = vec![0.0; n * n];
        for j in 0..n {
            let mut e = vec![0.0; n];
            e[j] = 1.0;
            for (i, x) in op.apply(&e).into_iter().enumerate() {
                data[i * n + j] = x;
            }
        }
        DenseMatrix { n, data }
    }
}

impl LinearOperator for DenseMatrix {
    fn dim(&self) -> usize {
        self.n
    }
    fn apply(&self, v: &[f64]) -> Vec<f64> {
        assert_eq!(
            v.len(),
            self.n,
            "DenseMatrix::apply: vector of length {} for dimension {}",
            v.len(),
            self.n
        );
        self.data
            .chunks_exact(self.n.max(1))
            .take(self.n)
            .map(|row| dot(row, v))
            .collect()
    }
}

/// `A + λ I`: Tikhonov (Levenberg–Marquardt) damping of any operator.
#[derive(Clone, Debug)]
pub struct Damped<A> {
    /// The undamped operator.
    pub inner: A,
    /// The damping λ added to the diagonal.
    pub lambda: f64,
}

impl<A: LinearOperator> LinearOperator for Damped<A> {
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn apply(&self, v: &[f64]) -> Vec<f64> {
        let mut out = self.inner.apply(v);
        axpy(self.lambda, v, &mut out);
        out
    }
    fn apply_block(&self, vs: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let mut outs = self.inner.apply_block(vs);
        for (out, v) in outs.iter_mut().zip(vs) {
            axpy(self.lambda, v, out);
        }
        outs
    }
}

/// A linear operator from a closure `v ↦ A v`.
pub struct FnOperator<F> {
    n: usize,
    f: F,
}

impl<F: Fn(&[f64]) -> Vec<f64>> FnOperator<F> {
    /// Wraps `f`, which maps vectors of length `n` to vectors of length `n`.
    pub fn new(n: usize, f: F) -> FnOperator<F> {
        FnOperator { n, f }
    }
}

impl<F: Fn(&[f64]) -> Vec<f64>> LinearOperator for FnOperator<F> {
    fn dim(&self) -> usize {
        self.n
    }
    fn apply(&self, v: &[f64]) -> Vec<f64> {
        (self.f)(v)
    }
}

/// `Σ a_i b_i`.
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Euclidean norm.
pub fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// Largest absolute entry.
pub fn norm_inf(a: &[f64]) -> f64 {
    a.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// `y ← y + α x`.
pub fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}
