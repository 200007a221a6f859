//! The output-space curvature matrices `Q` (block-diagonal, one `k × k`
//! block per example) that the Gauss-Newton and Fisher matrices sandwich as
//! `JᵀQJ`.

use autodiff::{KeepDims, Scalar, Tensor, TensorOf, VarOf};

/// `Q` for outputs `[B, k]`, in the form its products need. Every variant
/// is on the scale of the batch-mean loss (see [`crate::Loss`]).
#[derive(Clone, Debug, PartialEq)]
pub enum OutputMatrix {
    /// `Q = diag(w)` for weights `w: [B, k]`.
    Diagonal(Tensor),
    /// `Q_b = (diag(p_b) − p_b p_bᵀ) / B` for probabilities `p: [B, C]`: the
    /// softmax cross-entropy Hessian.
    Softmax(Tensor),
    /// Dense blocks `[B, k, k]`: `Q_b` is the `b`-th `k × k` matrix.
    Blocks(Tensor),
    /// `Q_b = Σ_j s_jb s_jbᵀ` for vectors stacked as `[J, B, k]`.
    Outer(Tensor),
}

impl OutputMatrix {
    /// The exact Hessian of a batch-mean loss `L(f)` of outputs `f: [B, k]`,
    /// from the engine: one forward-over-reverse sweep with `k` tangent
    /// lanes, lane `j` holding `e_j` in every row. Because `L` is a sum of
    /// per-example terms its Hessian is block-diagonal, so lane `j` returns
    /// column `j` of every block at once.
    ///
    /// NOTE: a loss that couples examples (not a sum over rows) breaks the
    /// block-diagonal assumption; its blocks would mix rows' curvature.
    ///
    /// The sweep runs in the outputs' precision; the blocks are widened to `f64`.
    pub fn loss_hessian<S: Scalar>(
        loss: impl for<'t> Fn(VarOf<'t, S>) -> VarOf<'t, S>,
        outputs: &TensorOf<S>,
    ) -> OutputMatrix {
        let (b, k) = rows_columns(outputs);
        let lanes = TensorOf::from_fn(&[k, b, k], |i| {
            S::of(f64::from(u8::from(i / (b * k) == i % k)))
        });
        let columns =
            autodiff::hvp_batch_only(|f| loss(f[0]), std::slice::from_ref(outputs), &[lanes])
                .remove(0);
        let c = columns.data();
        // columns[j, b, i] = (Q_b)_{ij}
        OutputMatrix::Blocks(Tensor::from_fn(&[b, k, k], |n| {
            let (row, i, j) = (n / (k * k), (n / k) % k, n % k);
            c[(j * b + row) * k + i].as_f64()
        }))
    }

    /// `Q v` for `v` of the outputs' shape `[B, k]`.
    pub fn apply(&self, v: &Tensor) -> Tensor {
        let (b, k) = rows_columns(v);
        let x = v.data();
        match self {
            OutputMatrix::Diagonal(w) => Tensor::from_fn(v.shape(), |i| w.data()[i] * x[i]),
            OutputMatrix::Softmax(p) => {
                let p = p.data();
                let pv: Vec<f64> = (0..b)
                    .map(|r| (0..k).map(|j| p[r * k + j] * x[r * k + j]).sum())
                    .collect();
                Tensor::from_fn(v.shape(), |i| p[i] * (x[i] - pv[i / k]) / b as f64)
            }
            OutputMatrix::Blocks(q) => {
                let q = q.data();
                Tensor::from_fn(v.shape(), |n| {
                    let (row, i) = (n / k, n % k);
                    (0..k)
                        .map(|j| q[(row * k + i) * k + j] * x[row * k + j])
                        .sum()
                })
            }
            OutputMatrix::Outer(s) => {
                let s = s.data();
                let count = s.len() / (b * k).max(1);
                let mut out = vec![0.0; b * k];
                for j in 0..count {
                    for row in 0..b {
                        let sj = &s[(j * b + row) * k..(j * b + row + 1) * k];
                        let dot: f64 = sj
                            .iter()
                            .zip(&x[row * k..(row + 1) * k])
                            .map(|(a, c)| a * c)
                            .sum();
                        for (o, si) in out[row * k..(row + 1) * k].iter_mut().zip(sj) {
                            *o += dot * si;
                        }
                    }
                }
                Tensor::from_fn(v.shape(), |i| out[i])
            }
        }
    }

    /// `½ rᵀ Q r` for residuals `r: [B, k]` on the tape, with `Q`'s entries
    /// rounded to the tape's precision.
    pub(crate) fn half_quadratic<'t, S: Scalar>(&self, r: VarOf<'t, S>) -> VarOf<'t, S> {
        let tape = r.tape();
        let shape = r.shape();
        let half = S::of(0.5);
        match self {
            OutputMatrix::Diagonal(w) => (r.square() * tape.constant(w.cast())).sum() * half,
            OutputMatrix::Softmax(p) => {
                let b = shape[0].max(1) as f64;
                let pr = r * tape.constant(p.cast());
                ((pr * r).sum() - pr.sum_axis(1, KeepDims::No).square().sum()) * S::of(0.5 / b)
            }
            OutputMatrix::Blocks(q) => {
                let qr = (tape.constant(q.cast()) * r.reshape(&[shape[0], 1, shape[1]]))
                    .sum_axis(2, KeepDims::No);
                (qr * r).sum() * half
            }
            OutputMatrix::Outer(s) => {
                let r = r.reshape(&[1, shape[0], shape[1]]);
                (r * tape.constant(s.cast()))
                    .sum_axis(2, KeepDims::No)
                    .square()
                    .sum()
                    * half
            }
        }
    }
}

/// `(B, k)` of a matrix of outputs.
pub(crate) fn rows_columns<S: Scalar>(outputs: &TensorOf<S>) -> (usize, usize) {
    match outputs.shape() {
        &[b, k] => (b, k),
        shape => panic!("outputs of shape {shape:?}: expected a matrix [batch, outputs]"),
    }
}

impl OutputMatrix {
    /// Vectors `s: [J, B, k]` with `Q_b = Σ_j s_jb s_jbᵀ`, for methods that
    /// need `Q` as a sum of outer products (K-FAC's `G` factors): the
    /// square roots of a diagonal, the `C` vectors `√(p_c/B)(e_c − p)` of the
    /// softmax, an eigendecomposition of each dense block.
    ///
    /// NOTE: an indefinite `Q` (the Hessian of a non-convex loss) has no
    /// such form; its negative eigenvalues (and negative diagonal weights)
    /// are clipped to zero here, so the factors stay positive semi-definite.
    pub(crate) fn outer_factors(&self) -> Tensor {
        match self {
            OutputMatrix::Outer(s) => s.clone(),
            OutputMatrix::Diagonal(w) => {
                let (b, k) = rows_columns(w);
                Tensor::from_fn(&[k, b, k], |n| {
                    let (j, i) = (n / (b * k), n % (b * k));
                    if i % k == j {
                        w.data()[i].max(0.0).sqrt()
                    } else {
                        0.0
                    }
                })
            }
            OutputMatrix::Softmax(p) => {
                let (b, c) = rows_columns(p);
                let p = p.data();
                Tensor::from_fn(&[c, b, c], |n| {
                    let (class, row, col) = (n / (b * c), (n / c) % b, n % c);
                    let weight = (p[row * c + class] / b as f64).sqrt();
                    weight * (p[row * c + col] - if col == class { 1.0 } else { 0.0 })
                })
            }
            OutputMatrix::Blocks(q) => {
                let (b, k) = (q.shape()[0], q.shape()[1]);
                let mut s = vec![0.0; k * b * k];
                for (row, block) in q.data().chunks_exact(k * k).enumerate() {
                    let m = nalgebra::DMatrix::from_row_slice(k, k, block);
                    let eigen = nalgebra::SymmetricEigen::new((&m + m.transpose()) * 0.5);
                    for j in 0..k {
                        let scale = eigen.eigenvalues[j].max(0.0).sqrt();
                        for i in 0..k {
                            s[(j * b + row) * k + i] = scale * eigen.eigenvectors[(i, j)];
                        }
                    }
                }
                Tensor::from_fn(&[k, b, k], |i| s[i])
            }
        }
    }
}
