//! Conversions between tensors and the containers a Rust user already has:
//! vectors and slices always, `ndarray` and `nalgebra` arrays behind the
//! features of the same names.

use crate::buffer;
use crate::error::TensorError;
use crate::scalar::Scalar;
use crate::tensor::{Tensor, TensorOf};

/// A one-dimensional tensor holding the vector's values (no copy).
impl From<Vec<f64>> for Tensor {
    fn from(data: Vec<f64>) -> Tensor {
        Tensor::vector(data)
    }
}

/// A one-dimensional tensor holding a copy of the slice.
impl From<&[f64]> for Tensor {
    fn from(data: &[f64]) -> Tensor {
        Tensor::vector(data.to_vec())
    }
}

/// A tensor of shape `[]`.
impl From<f64> for Tensor {
    fn from(value: f64) -> Tensor {
        Tensor::scalar(value)
    }
}

impl<S: Scalar> TensorOf<S> {
    /// The same values in precision `T`: exact from `f32` to `f64`, rounded
    /// to nearest from `f64` to `f32` (values beyond `f32`'s range become
    /// ±∞: [`try_cast`](TensorOf::try_cast) refuses them), a copy when `T`
    /// is `S`.
    ///
    /// ```
    /// use autodiff::{Tensor, Tensor32};
    /// let x = Tensor::vector(vec![1.0 / 3.0, 2.0]);
    /// let y: Tensor32 = x.cast();
    /// assert_eq!(y.data(), &[1.0f32 / 3.0, 2.0]);
    /// assert_eq!(y.cast::<f64>().data()[1], 2.0);
    /// ```
    pub fn cast<T: Scalar>(&self) -> TensorOf<T> {
        TensorOf::new(
            self.shape(),
            buffer::collect(self.len(), self.data().iter().map(|x| T::of(x.as_f64()))),
        )
    }

    /// [`cast`](TensorOf::cast), refusing a finite value that `T` cannot
    /// hold (it would become ±∞); NaN and ±∞ are kept as they are.
    ///
    /// ```
    /// use autodiff::{Tensor, TensorError};
    /// assert!(Tensor::vector(vec![1.0, 3e38]).try_cast::<f32>().is_ok());
    /// let err = Tensor::vector(vec![1.0, 1e39]).try_cast::<f32>().unwrap_err();
    /// assert!(matches!(err, TensorError::OutOfRange { index: 1, .. }));
    /// ```
    ///
    /// # Errors
    /// [`TensorError::OutOfRange`] naming the first such value.
    pub fn try_cast<T: Scalar>(&self) -> Result<TensorOf<T>, TensorError> {
        let cast = self.cast::<T>();
        let lost = self
            .data()
            .iter()
            .zip(cast.data())
            .position(|(x, y)| x.is_finite() && !y.is_finite());
        match lost {
            Some(index) => Err(TensorError::OutOfRange {
                index,
                value: self.data()[index].as_f64(),
                precision: T::NAME,
            }),
            None => Ok(cast),
        }
    }
}

impl Tensor {
    /// A copy of the values in row-major order.
    ///
    /// ```
    /// use autodiff::Tensor;
    /// let t = Tensor::from(vec![1.0, 2.0]);
    /// assert_eq!(t.to_vec(), vec![1.0, 2.0]);
    /// assert_eq!(Tensor::from(&[3.0][..]).shape(), &[1]);
    /// ```
    pub fn to_vec(&self) -> Vec<f64> {
        self.data().to_vec()
    }
}

/// A tensor of the array's shape and values (row-major, whatever the array's layout).
#[cfg(feature = "ndarray")]
impl<S, D> From<&ndarray::ArrayBase<S, D>> for Tensor
where
    S: ndarray::Data<Elem = f64>,
    D: ndarray::Dimension,
{
    fn from(array: &ndarray::ArrayBase<S, D>) -> Tensor {
        Tensor::new(array.shape(), array.iter().copied().collect())
    }
}

/// An array of the tensor's shape and values.
#[cfg(feature = "ndarray")]
impl From<&Tensor> for ndarray::ArrayD<f64> {
    fn from(t: &Tensor) -> ndarray::ArrayD<f64> {
        ndarray::ArrayD::from_shape_vec(t.shape(), t.to_vec())
            .expect("a tensor's values fill its shape")
    }
}

/// A `[rows, cols]` tensor of the matrix (nalgebra stores columns first;
/// the tensor holds rows first).
#[cfg(feature = "nalgebra")]
impl From<&nalgebra::DMatrix<f64>> for Tensor {
    fn from(m: &nalgebra::DMatrix<f64>) -> Tensor {
        Tensor::new(&[m.nrows(), m.ncols()], m.transpose().as_slice().to_vec())
    }
}

/// The matrix of a two-dimensional tensor; an error naming the shape otherwise.
#[cfg(feature = "nalgebra")]
impl TryFrom<&Tensor> for nalgebra::DMatrix<f64> {
    type Error = crate::TensorError;
    fn try_from(t: &Tensor) -> Result<nalgebra::DMatrix<f64>, crate::TensorError> {
        match *t.shape() {
            [rows, cols] => Ok(nalgebra::DMatrix::from_row_slice(rows, cols, t.data())),
            _ => Err(crate::TensorError::InvalidArgument(format!(
                "a matrix needs a tensor of rank 2, not of shape {:?}",
                t.shape()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ndarray")]
    #[test]
    fn ndarray_round_trips_row_major_even_from_a_transposed_view() {
        let a = ndarray::array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
        let t = Tensor::from(&a.t());
        assert_eq!(t.shape(), &[3, 2]);
        assert_eq!(t.to_vec(), vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
        assert_eq!(ndarray::ArrayD::from(&t), a.t().into_dyn());
    }

    #[cfg(feature = "nalgebra")]
    #[test]
    fn nalgebra_round_trips_and_refuses_other_ranks() {
        let m = nalgebra::DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let t = Tensor::from(&m);
        assert_eq!(t.get(&[0, 2]), Some(3.0));
        assert_eq!(nalgebra::DMatrix::try_from(&t), Ok(m));
        assert!(nalgebra::DMatrix::try_from(&Tensor::zeros(&[2, 2, 2])).is_err());
    }

    #[test]
    fn vectors_and_slices_become_one_dimensional_tensors() {
        let t = Tensor::from(vec![1.0, 2.0, 3.0]);
        assert_eq!((t.shape(), t.to_vec()), (&[3][..], vec![1.0, 2.0, 3.0]));
        assert_eq!(Tensor::from(&[1.0, 2.0][..]).shape(), &[2]);
        assert_eq!(Tensor::from(2.5).shape(), &[] as &[usize]);
    }
}
