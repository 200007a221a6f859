//! A training method's state (moments, accumulators, Kronecker factors,
//! step counters) as named tensors, so that a checkpoint can hold it and a
//! run can go on bit for bit where it stopped.

use autodiff::Tensor;
use nalgebra::DMatrix;

use crate::checkpoint::CheckpointError;

/// Named tensors holding a method's state: running averages as tensors,
/// counters and scalars as 0-d tensors (counters are exact up to 2⁵³).
///
/// ```
/// use autodiff::Tensor;
/// use models::checkpoint::MethodState;
/// let mut state = MethodState::default();
/// state.put_count("t", 7);
/// state.put("m/0", Tensor::vector(vec![0.5, -1.0]));
/// assert_eq!(state.count("t")?, 7);
/// assert!(state.tensor("v/0").is_err());
/// # Ok::<(), models::checkpoint::CheckpointError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MethodState {
    entries: Vec<(String, Tensor)>,
}

impl MethodState {
    /// A state of these entries.
    pub fn from_entries(entries: Vec<(String, Tensor)>) -> MethodState {
        MethodState { entries }
    }

    /// The entries, in the order they were put.
    pub fn entries(&self) -> &[(String, Tensor)] {
        &self.entries
    }

    /// Adds a tensor.
    pub fn put(&mut self, name: impl Into<String>, tensor: Tensor) {
        self.entries.push((name.into(), tensor));
    }

    /// Adds a scalar.
    pub fn put_scalar(&mut self, name: impl Into<String>, value: f64) {
        self.put(name, Tensor::scalar(value));
    }

    /// Adds a counter.
    pub fn put_count(&mut self, name: impl Into<String>, value: u64) {
        self.put_scalar(name, value as f64);
    }

    /// Adds a matrix, as an `[rows, columns]` tensor.
    pub fn put_matrix(&mut self, name: impl Into<String>, m: &DMatrix<f64>) {
        let c = m.ncols();
        self.put(
            name,
            Tensor::from_fn(&[m.nrows(), c], |k| m[(k / c, k % c)]),
        );
    }

    /// Adds every entry of `inner` under `prefix/` (the state of a method inside another).
    pub fn put_nested(&mut self, prefix: &str, inner: MethodState) {
        for (name, t) in inner.entries {
            self.put(format!("{prefix}/{name}"), t);
        }
    }

    /// Whether there is an entry `name`.
    pub fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|(n, _)| n == name)
    }

    /// The tensor `name`.
    ///
    /// # Errors
    /// [`CheckpointError::Missing`] when there is none.
    pub fn tensor(&self, name: &str) -> Result<&Tensor, CheckpointError> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t)
            .ok_or_else(|| CheckpointError::Missing {
                name: name.to_string(),
            })
    }

    /// The scalar `name`.
    ///
    /// # Errors
    /// [`CheckpointError::Missing`] when there is none, [`CheckpointError::State`]
    /// when it is not a single value.
    pub fn scalar(&self, name: &str) -> Result<f64, CheckpointError> {
        match self.tensor(name)?.data() {
            [v] => Ok(*v),
            _ => Err(CheckpointError::State {
                name: name.to_string(),
                reason: "is not a single value".to_string(),
            }),
        }
    }

    /// The counter `name`.
    ///
    /// # Errors
    /// As [`MethodState::scalar`], and [`CheckpointError::State`] when it is
    /// not a whole number in `[0, 2⁵³]`.
    pub fn count(&self, name: &str) -> Result<u64, CheckpointError> {
        let v = self.scalar(name)?;
        if v.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&v) {
            Ok(v as u64)
        } else {
            Err(CheckpointError::State {
                name: name.to_string(),
                reason: format!("is {v}, not a count"),
            })
        }
    }

    /// The counter `name` as a `usize`.
    ///
    /// # Errors
    /// As [`MethodState::count`], and [`CheckpointError::State`] when it does not fit.
    pub fn index(&self, name: &str) -> Result<usize, CheckpointError> {
        usize::try_from(self.count(name)?).map_err(|_| CheckpointError::State {
            name: name.to_string(),
            reason: "does not fit in usize".to_string(),
        })
    }

    /// The matrix `name` (see [`MethodState::put_matrix`]).
    ///
    /// # Errors
    /// [`CheckpointError::Missing`] when there is none, [`CheckpointError::State`]
    /// when it is not two-dimensional.
    pub fn matrix(&self, name: &str) -> Result<DMatrix<f64>, CheckpointError> {
        let t = self.tensor(name)?;
        match *t.shape() {
            [r, c] => Ok(DMatrix::from_fn(r, c, |i, j| t.data()[i * c + j])),
            _ => Err(CheckpointError::State {
                name: name.to_string(),
                reason: format!("has shape {:?}, not that of a matrix", t.shape()),
            }),
        }
    }

    /// The entries under `prefix/`, with the prefix taken off.
    pub fn nested(&self, prefix: &str) -> MethodState {
        let lead = format!("{prefix}/");
        MethodState {
            entries: self
                .entries
                .iter()
                .filter_map(|(n, t)| {
                    n.strip_prefix(&lead)
                        .map(|rest| (rest.to_string(), t.clone()))
                })
                .collect(),
        }
    }
}

/// A training method whose state a checkpoint can hold, so that a run
/// interrupted after any epoch resumes bit for bit
/// ([`crate::checkpoint::save_run`], [`crate::checkpoint::load_run`]).
/// Settings are not part of the state: the resumed run is built with the
/// same settings, as the interrupted one was.
pub trait Resumable {
    /// A short name for the method's kind, such as `adam`; the state is
    /// stored under `optimizer/<kind>/`, and loading it into another kind
    /// is an error.
    fn kind(&self) -> String;

    /// The state, as of now.
    fn export_state(&self) -> MethodState;

    /// Replaces the state with `state` (from [`Resumable::export_state`] of
    /// a method of the same kind and settings). On error the method is
    /// left as it was.
    ///
    /// # Errors
    /// [`CheckpointError::Missing`], [`CheckpointError::Shape`] or
    /// [`CheckpointError::State`] naming the first entry that is absent or
    /// does not fit.
    fn import_state(&mut self, state: &MethodState) -> Result<(), CheckpointError>;
}
