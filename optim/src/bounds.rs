//! Box constraints `lo ≤ x ≤ hi`, and what the bounded solvers need of them:
//! the projection onto the box, the projected gradient, the free variables
//! and the breakpoints of a path.
//!
//! ```
//! use optim::bounds::Bounds;
//! let b = Bounds::new(vec![0.0, f64::NEG_INFINITY], vec![1.0, 2.0]).unwrap();
//! assert_eq!(b.project(&[-3.0, 5.0]), vec![0.0, 2.0]);
//! // At x = (0, 0) the gradient (1, −1) pushes x₁ against its lower bound:
//! // only x₂ can still move downhill.
//! assert_eq!(b.projected_gradient(&[0.0, 0.0], &[1.0, -1.0]), vec![0.0, 1.0]);
//! assert!(Bounds::new(vec![1.0], vec![0.0]).is_err());
//! ```

use thiserror::Error;

/// Why a box could not be built.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum BoundsError {
    /// `lo` and `hi` have different lengths.
    #[error("bounds: {lo} lower bounds but {hi} upper bounds")]
    LengthMismatch {
        /// The length of `lo`.
        lo: usize,
        /// The length of `hi`.
        hi: usize,
    },
    /// A bound is NaN.
    #[error("bounds: the bound of variable {index} is NaN")]
    NotANumber {
        /// The variable.
        index: usize,
    },
    /// A lower bound is above its upper bound, or the interval holds no
    /// finite number (`lo = +∞` or `hi = −∞`).
    #[error("bounds: variable {index} has lo = {lo} > hi = {hi} or no finite value between them")]
    Empty {
        /// The variable.
        index: usize,
        /// Its lower bound.
        lo: f64,
        /// Its upper bound.
        hi: f64,
    },
}

/// The box `lo ≤ x ≤ hi`. Infinite bounds are allowed (`−∞` below, `+∞`
/// above: no bound); `lo_i = hi_i` fixes variable `i`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bounds {
    lo: Vec<f64>,
    hi: Vec<f64>,
}

impl Bounds {
    /// The box `lo ≤ x ≤ hi`, checked: equal lengths, no NaN, `lo ≤ hi`
    /// and a finite number in every interval.
    pub fn new(lo: Vec<f64>, hi: Vec<f64>) -> Result<Bounds, BoundsError> {
        if lo.len() != hi.len() {
            return Err(BoundsError::LengthMismatch {
                lo: lo.len(),
                hi: hi.len(),
            });
        }
        for (index, (&l, &h)) in lo.iter().zip(&hi).enumerate() {
            if l.is_nan() || h.is_nan() {
                return Err(BoundsError::NotANumber { index });
            }
            if l > h || l == f64::INFINITY || h == f64::NEG_INFINITY {
                return Err(BoundsError::Empty {
                    index,
                    lo: l,
                    hi: h,
                });
            }
        }
        Ok(Bounds { lo, hi })
    }

    /// No bounds on `n` variables.
    pub fn unbounded(n: usize) -> Bounds {
        Bounds {
            lo: vec![f64::NEG_INFINITY; n],
            hi: vec![f64::INFINITY; n],
        }
    }

    /// The number of variables.
    pub fn dim(&self) -> usize {
        self.lo.len()
    }

    /// The lower bounds.
    pub fn lo(&self) -> &[f64] {
        &self.lo
    }

    /// The upper bounds.
    pub fn hi(&self) -> &[f64] {
        &self.hi
    }

    /// The nearest point of the box, `P(x) = min(max(x, lo), hi)`.
    pub fn project(&self, x: &[f64]) -> Vec<f64> {
        x.iter()
            .zip(self.lo.iter().zip(&self.hi))
            .map(|(&v, (&l, &h))| v.max(l).min(h))
            .collect()
    }

    /// The projected gradient `P(x − g) − x`: zero exactly where `x` (in
    /// the box) satisfies the first-order conditions.
    pub fn projected_gradient(&self, x: &[f64], g: &[f64]) -> Vec<f64> {
        let moved: Vec<f64> = x.iter().zip(g).map(|(xi, gi)| xi - gi).collect();
        self.project(&moved)
            .iter()
            .zip(x)
            .map(|(p, xi)| p - xi)
            .collect()
    }

    /// `‖P(x − g) − x‖∞`, the bounded solvers' stationarity measure.
    pub fn projected_gradient_norm(&self, x: &[f64], g: &[f64]) -> f64 {
        self.projected_gradient(x, g)
            .iter()
            .fold(0.0, |m, v| m.max(v.abs()))
    }

    /// Which variables lie strictly inside their bounds at `x`.
    pub fn free(&self, x: &[f64]) -> Vec<bool> {
        x.iter()
            .zip(self.lo.iter().zip(&self.hi))
            .map(|(&v, (&l, &h))| l < v && v < h)
            .collect()
    }

    /// The breakpoints of the path `x + t d`, `t ≥ 0`: for each variable,
    /// the `t` at which it reaches the bound it moves towards (`∞` when it
    /// does not move or that bound is infinite; 0 when it already sits on it).
    pub fn breakpoints(&self, x: &[f64], d: &[f64]) -> Vec<f64> {
        x.iter()
            .zip(d)
            .zip(self.lo.iter().zip(&self.hi))
            .map(|((&v, &di), (&l, &h))| {
                let t = if di > 0.0 {
                    (h - v) / di
                } else if di < 0.0 {
                    (l - v) / di
                } else {
                    f64::INFINITY
                };
                t.max(0.0)
            })
            .collect()
    }

    /// The largest `t ≥ 0` with `x + t d` in the box (`∞` when no bound
    /// stops it), for `x` in the box.
    pub fn max_step(&self, x: &[f64], d: &[f64]) -> f64 {
        self.breakpoints(x, d)
            .into_iter()
            .fold(f64::INFINITY, f64::min)
    }
}
