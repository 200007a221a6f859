//! Dense row-major tensors of `f64` (the default) or `f32`.

use std::fmt;
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use smallvec::SmallVec;

use crate::buffer::{self, Buffer};
use crate::error::TensorError;
use crate::scalar::Scalar;

/// A tensor shape: the length of each axis, outermost first.
pub type Shape = SmallVec<[usize; 4]>;

/// A dense, row-major tensor of `f64` values: [`TensorOf`] in the engine's
/// default precision.
pub type Tensor = TensorOf<f64>;

/// A dense, row-major tensor of `f32` values.
pub type Tensor32 = TensorOf<f32>;

/// A dense, row-major tensor of [`Scalar`] values (`f64` or `f32`); most
/// code names it through [`Tensor`] or [`Tensor32`].
///
/// The buffer is reference-counted, so `clone` and `reshape` are cheap; every
/// operation returns a new tensor and never mutates a shared buffer.
///
/// ```
/// use autodiff::Tensor;
/// let a = Tensor::from_vec(&[2, 3], vec![1., 2., 3., 4., 5., 6.])?;
/// assert_eq!(a.shape(), &[2, 3]);
/// assert_eq!(a.get(&[1, 2]), Some(6.0));
/// assert!(Tensor::from_vec(&[2, 2], vec![1.0]).is_err());
/// # Ok::<(), autodiff::TensorError>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct TensorOf<S: Scalar> {
    shape: Shape,
    data: Arc<Buffer<S>>,
}

/// The number of elements of `shape`, or an error when it overflows `usize`.
///
/// ```
/// use autodiff::{element_count, TensorError};
/// assert_eq!(element_count(&[2, 3]), Ok(6));
/// assert!(matches!(element_count(&[1 << 32, 1 << 32]), Err(TensorError::ShapeOverflow { .. })));
/// ```
pub fn element_count(shape: &[usize]) -> Result<usize, TensorError> {
    shape
        .iter()
        .try_fold(1_usize, |n, &d| n.checked_mul(d))
        .ok_or_else(|| TensorError::ShapeOverflow {
            shape: shape.to_vec(),
        })
}

/// [`element_count`] for shapes the program itself chose.
///
/// # Panics
/// When the count overflows `usize`.
pub(crate) fn count(shape: &[usize]) -> usize {
    element_count(shape).unwrap_or_else(|e| panic!("{e}"))
}

impl<S: Scalar> TensorOf<S> {
    /// Builds a tensor from a shape and row-major values; the number of
    /// values must equal the product of the shape.
    pub fn from_vec(shape: &[usize], data: Vec<S>) -> Result<TensorOf<S>, TensorError> {
        let expected = element_count(shape)?;
        if expected != data.len() {
            return Err(TensorError::LengthMismatch {
                shape: shape.to_vec(),
                expected,
                got: data.len(),
            });
        }
        Ok(TensorOf::new(shape, data))
    }

    /// Builds a matrix from rows of equal length.
    pub fn from_rows(rows: &[Vec<S>]) -> Result<TensorOf<S>, TensorError> {
        let cols = rows.first().map_or(0, Vec::len);
        let mut data = Vec::with_capacity(rows.len() * cols);
        for (row, values) in rows.iter().enumerate() {
            if values.len() != cols {
                return Err(TensorError::RaggedRows {
                    row,
                    expected: cols,
                    got: values.len(),
                });
            }
            data.extend_from_slice(values);
        }
        Ok(TensorOf::new(&[rows.len(), cols], data))
    }

    /// A one-dimensional tensor holding `data`.
    pub fn vector(data: Vec<S>) -> TensorOf<S> {
        let n = data.len();
        TensorOf::new(&[n], data)
    }

    /// A tensor of shape `[]` (a scalar).
    pub fn scalar(value: S) -> TensorOf<S> {
        TensorOf::new(&[], vec![value])
    }

    /// A tensor filled with `value`.
    pub fn full(shape: &[usize], value: S) -> TensorOf<S> {
        TensorOf::new(shape, vec![value; count(shape)])
    }

    /// A tensor of zeros.
    pub fn zeros(shape: &[usize]) -> TensorOf<S> {
        TensorOf::full(shape, S::zero())
    }

    /// A tensor of ones.
    pub fn ones(shape: &[usize]) -> TensorOf<S> {
        TensorOf::full(shape, S::one())
    }

    /// The `n × n` identity matrix.
    pub fn eye(n: usize) -> TensorOf<S> {
        let mut data = vec![S::zero(); n * n];
        for i in 0..n {
            data[i * n + i] = S::one();
        }
        TensorOf::new(&[n, n], data)
    }

    /// Values drawn from the standard normal distribution, reproducibly from
    /// `seed` (drawn in `f64` and rounded, so that an `f32` tensor holds the
    /// `f64` one's values rounded).
    pub fn randn(shape: &[usize], seed: u64) -> TensorOf<S> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let n = count(shape);
        let data = (0..n)
            .map(|_| S::of(StandardNormal.sample(&mut rng)))
            .collect();
        TensorOf::new(shape, data)
    }

    /// Values drawn uniformly from `[low, high)`, reproducibly from `seed`
    /// (drawn in `f64` and rounded: in `f32`, `high` itself may occur).
    pub fn rand_uniform(shape: &[usize], low: S, high: S, seed: u64) -> TensorOf<S> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let n = count(shape);
        let range = low.as_f64()..high.as_f64();
        let data = (0..n)
            .map(|_| S::of(rng.gen_range(range.clone())))
            .collect();
        TensorOf::new(shape, data)
    }

    /// Builds a tensor whose element at flat index `i` is `f(i)`.
    pub fn from_fn(shape: &[usize], f: impl FnMut(usize) -> S) -> TensorOf<S> {
        let n = count(shape);
        TensorOf::new(shape, (0..n).map(f).collect())
    }

    pub(crate) fn new(shape: &[usize], data: Vec<S>) -> TensorOf<S> {
        debug_assert_eq!(shape.iter().product::<usize>(), data.len());
        TensorOf {
            shape: Shape::from_slice(shape),
            data: Arc::new(Buffer::new(data)),
        }
    }

    /// The length of each axis.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// Number of axes.
    pub fn rank(&self) -> usize {
        self.shape.len()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the tensor has no elements.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The values in row-major order.
    pub fn data(&self) -> &[S] {
        &self.data
    }

    /// The values in row-major order, copied out only if the buffer is shared.
    pub fn into_vec(self) -> Vec<S> {
        Arc::try_unwrap(self.data)
            .map(Buffer::into_vec)
            .unwrap_or_else(|shared| shared.to_vec())
    }

    /// The element at a multi-index, or `None` when the index is out of range
    /// or has the wrong number of axes.
    pub fn get(&self, index: &[usize]) -> Option<S> {
        if index.len() != self.rank() {
            return None;
        }
        let mut flat = 0;
        for (&i, &n) in index.iter().zip(&self.shape) {
            if i >= n {
                return None;
            }
            flat = flat * n + i;
        }
        Some(self.data[flat])
    }

    /// The single value of a tensor with one element.
    ///
    /// # Panics
    /// When the tensor does not have exactly one element.
    pub fn item(&self) -> S {
        assert!(
            self.len() == 1,
            "item: tensor of shape {:?} does not hold exactly one value",
            self.shape()
        );
        self.data[0]
    }

    /// The same values viewed with another shape of equal size (no copy).
    ///
    /// # Panics
    /// When the sizes differ.
    pub fn reshape(&self, shape: &[usize]) -> TensorOf<S> {
        assert_eq!(
            count(shape),
            self.len(),
            "reshape: cannot view shape {:?} as {:?}",
            self.shape(),
            shape
        );
        TensorOf {
            shape: Shape::from_slice(shape),
            data: self.data.clone(),
        }
    }

    /// Applies `f` to every element.
    pub fn map(&self, f: impl Fn(S) -> S) -> TensorOf<S> {
        TensorOf::new(
            &self.shape,
            buffer::collect(self.len(), self.data.iter().map(|&x| f(x))),
        )
    }

    /// Largest absolute value (0 for an empty tensor).
    pub fn max_abs(&self) -> S {
        self.data.iter().fold(S::zero(), |m, x| m.max(x.abs()))
    }

    /// Euclidean norm of all elements.
    pub fn norm(&self) -> S {
        self.data.iter().map(|&x| x * x).sum::<S>().sqrt()
    }

    /// `selfᵀ · other` for matrices `[k, m]` and `[k, n]`, by the engine's
    /// product kernel for the element type (`sgemm` for `f32`), without
    /// forming the transpose: `x.transpose_matmul(&x)` is the Gram matrix of
    /// `x`'s columns.
    ///
    /// ```
    /// use autodiff::Tensor;
    /// let x = Tensor::from_rows(&[vec![1.0, 2.0], vec![3.0, 4.0]])?;
    /// assert_eq!(x.transpose_matmul(&x).data(), &[10.0, 14.0, 14.0, 20.0]);
    /// # Ok::<(), autodiff::TensorError>(())
    /// ```
    ///
    /// # Panics
    /// When either is not a matrix or their row counts differ.
    pub fn transpose_matmul(&self, other: &TensorOf<S>) -> TensorOf<S> {
        assert!(
            self.rank() == 2 && other.rank() == 2,
            "transpose_matmul: shapes {:?} and {:?} are not both matrices",
            self.shape(),
            other.shape()
        );
        crate::kernels::matmul(self, true, other, false)
    }

    /// Sum of elementwise products with a tensor of the same size.
    ///
    /// # Panics
    /// When the sizes differ.
    pub fn dot(&self, other: &TensorOf<S>) -> S {
        assert_eq!(
            self.len(),
            other.len(),
            "dot: shapes {:?} and {:?} differ in size",
            self.shape(),
            other.shape()
        );
        self.data
            .iter()
            .zip(other.data())
            .map(|(&a, &b)| a * b)
            .sum()
    }

    /// Returns an error naming the first NaN or infinite value, if any.
    pub fn check_finite(&self) -> Result<(), TensorError> {
        match self.data.iter().position(|x| !x.is_finite()) {
            Some(index) => Err(TensorError::NonFinite {
                index,
                value: self.data[index].as_f64(),
            }),
            None => Ok(()),
        }
    }
}

impl<S: Scalar> fmt::Debug for TensorOf<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Tensor{}(shape={:?}, data={:?})",
            if S::NAME == "f64" { "" } else { "32" },
            self.shape(),
            self.data()
        )
    }
}

impl<S: Scalar> fmt::Display for TensorOf<S> {
    /// Prints the shape, then the values nested by axis (rows on their own lines).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Tensor shape={:?}", self.shape())?;
        fn nest<S: Scalar>(
            f: &mut fmt::Formatter<'_>,
            shape: &[usize],
            data: &[S],
            depth: usize,
        ) -> fmt::Result {
            match shape {
                [] => write!(f, "{}", data[0]),
                [_] => {
                    write!(f, "[")?;
                    for (i, x) in data.iter().enumerate() {
                        if i > 0 {
                            write!(f, ", ")?;
                        }
                        write!(f, "{x:.6}")?;
                    }
                    write!(f, "]")
                }
                [n, rest @ ..] => {
                    let step: usize = rest.iter().product();
                    write!(f, "[")?;
                    for i in 0..*n {
                        if i > 0 {
                            write!(f, ",\n{}", " ".repeat(depth + 1))?;
                        }
                        nest(f, rest, &data[i * step..(i + 1) * step], depth + 1)?;
                    }
                    write!(f, "]")
                }
            }
        }
        nest(f, self.shape(), self.data(), 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_validate_lengths() {
        assert!(matches!(
            Tensor::from_vec(&[2, 3], vec![0.0; 5]),
            Err(TensorError::LengthMismatch {
                expected: 6,
                got: 5,
                ..
            })
        ));
        assert!(matches!(
            Tensor::from_rows(&[vec![1.0, 2.0], vec![3.0]]),
            Err(TensorError::RaggedRows { row: 1, .. })
        ));
        let e = Tensor::eye(3);
        assert_eq!(e.get(&[1, 1]), Some(1.0));
        assert_eq!(e.get(&[1, 2]), Some(0.0));
        assert_eq!(e.get(&[3, 0]), None);
    }

    #[test]
    fn seeded_random_is_reproducible() {
        assert_eq!(Tensor::randn(&[4], 7), Tensor::randn(&[4], 7));
        assert_ne!(Tensor::randn(&[4], 7), Tensor::randn(&[4], 8));
        let u = Tensor::rand_uniform(&[100], -1.0, 2.0, 1);
        assert!(u.data().iter().all(|&x| (-1.0..2.0).contains(&x)));
    }

    #[test]
    fn display_shows_shape_and_values() {
        let t = Tensor::from_vec(&[2, 2], vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let s = t.to_string();
        assert!(s.contains("[2, 2]") && s.contains("4.000000"), "{s}");
    }
}
