//! The argument that says what an axis reduction does with the axes it reduces.

/// Whether a reduction along an axis (`sum_axis`, `mean_axis`, `max_axis`,
/// `logsumexp`, `Dual::sum_axes`) keeps each reduced axis with length 1 —
/// so that the result still broadcasts against its input, as NumPy's and
/// JAX's `keepdims=True` — or removes it.
///
/// ```
/// use autodiff::{KeepDims, Tape, Tensor};
///
/// let tape = Tape::new();
/// let x = tape.var(Tensor::from_vec(&[2, 3], vec![1., 2., 3., 4., 5., 6.]).unwrap());
/// assert_eq!(x.sum_axis(1, KeepDims::Yes).shape().as_slice(), &[2, 1]);
/// assert_eq!(x.sum_axis(1, KeepDims::No).shape().as_slice(), &[2]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeepDims {
    /// Keep each reduced axis, with length 1.
    Yes,
    /// Remove each reduced axis.
    No,
}

impl KeepDims {
    /// True for [`KeepDims::Yes`].
    pub(crate) fn kept(self) -> bool {
        self == KeepDims::Yes
    }
}
