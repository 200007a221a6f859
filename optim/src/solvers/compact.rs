//! The compact representation of the limited-memory BFGS matrix (Byrd,
//! Nocedal & Schnabel 1994), as L-BFGS-B uses it:
//! `B = θI − W M Wᵀ` with `W = [Y, θS]` (`n × 2k`) and
//! `M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹` (`2k × 2k`), where `S` and `Y` hold the
//! last `k` pairs oldest first, `D = diag(sᵢᵀyᵢ)`, `L` is the strictly lower
//! triangle of `SᵀY` and `θ = yᵀy / sᵀy` of the newest pair.

use std::collections::VecDeque;

use nalgebra::{DMatrix, DVector};

use crate::linop::dot;

/// The last pairs `(s, y)` and the matrices `W` and `M` built from them.
pub(crate) struct CompactMemory {
    history: usize,
    pairs: VecDeque<(Vec<f64>, Vec<f64>)>,
    theta: f64,
    w: DMatrix<f64>,
    m: DMatrix<f64>,
}

impl CompactMemory {
    /// No pairs (`B = I`), keeping at most `history` of them.
    pub(crate) fn new(n: usize, history: usize) -> Self {
        CompactMemory {
            history,
            pairs: VecDeque::with_capacity(history),
            theta: 1.0,
            w: DMatrix::zeros(n, 0),
            m: DMatrix::zeros(0, 0),
        }
    }

    /// Forgets every pair.
    pub(crate) fn clear(&mut self) {
        let n = self.w.nrows();
        *self = CompactMemory::new(n, self.history);
    }

    /// Whether no pair is kept (`B = I`).
    pub(crate) fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `θ`.
    pub(crate) fn theta(&self) -> f64 {
        self.theta
    }

    /// `M`.
    pub(crate) fn m(&self) -> &DMatrix<f64> {
        &self.m
    }

    /// Row `i` of `W`.
    pub(crate) fn w_row(&self, i: usize) -> DVector<f64> {
        self.w.row(i).transpose()
    }

    /// `Wᵀ v`.
    pub(crate) fn wt(&self, v: &[f64]) -> DVector<f64> {
        self.w.tr_mul(&DVector::from_column_slice(v))
    }

    /// `W c`.
    pub(crate) fn w(&self, c: &DVector<f64>) -> Vec<f64> {
        (&self.w * c).as_slice().to_vec()
    }

    /// Adds the pair `(s, y)` (dropping the oldest beyond `history`) and
    /// rebuilds `W` and `M`. A pair with `sᵀy ≤ eps · yᵀy` is skipped.
    /// When `M` cannot be formed the memory is cleared.
    pub(crate) fn push(&mut self, s: Vec<f64>, y: Vec<f64>, eps: f64) {
        let (sy, yy) = (dot(&s, &y), dot(&y, &y));
        if self.history == 0 || sy <= eps * yy || !(sy.is_finite() && yy.is_finite()) {
            return;
        }
        if self.pairs.len() == self.history {
            self.pairs.pop_front();
        }
        self.pairs.push_back((s, y));
        self.theta = yy / sy;
        if !self.rebuild() {
            self.clear();
        }
    }

    /// Forms `W` and `M` from the pairs; false when the middle matrix is singular.
    fn rebuild(&mut self) -> bool {
        let (n, k, theta) = (self.w.nrows(), self.pairs.len(), self.theta);
        let mut w = DMatrix::zeros(n, 2 * k);
        let mut middle = DMatrix::zeros(2 * k, 2 * k);
        for (j, (sj, yj)) in self.pairs.iter().enumerate() {
            for r in 0..n {
                w[(r, j)] = yj[r];
                w[(r, k + j)] = theta * sj[r];
            }
            for (i, (si, _)) in self.pairs.iter().enumerate() {
                middle[(k + i, k + j)] = theta * dot(si, sj);
                if i > j {
                    // L (lower left) and Lᵀ (upper right).
                    let l = dot(si, yj);
                    middle[(k + i, j)] = l;
                    middle[(j, k + i)] = l;
                }
            }
            middle[(j, j)] = -dot(sj, yj);
        }
        match middle.try_inverse() {
            Some(m) if m.iter().all(|v| v.is_finite()) => {
                self.w = w;
                self.m = m;
                true
            }
            _ => false,
        }
    }
}
