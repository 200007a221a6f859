//! Named parameter tensors, with a flat-vector view for full-batch solvers.

use autodiff::{Scalar, TapeOf, TensorError, TensorOf, VarOf};
use thiserror::Error;

/// The longest parameter name accepted, in bytes.
pub const MAX_NAME_LEN: usize = 1024;

/// Why a list of names cannot name a [`Params`] (each case would otherwise
/// make a checkpoint that cannot be written or read back), or why the
/// parameters cannot be converted to another precision.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum ParamsError {
    /// A finite value too large for the precision the parameters are
    /// converted to ([`Params::cast`]).
    #[error(
        "parameter {name:?} holds {value:e} at position {index}, beyond the range of {precision}"
    )]
    OutOfRange {
        /// The tensor.
        name: String,
        /// The flat index of the value in it.
        index: usize,
        /// The value.
        value: f64,
        /// The precision it does not fit, `"f32"`.
        precision: &'static str,
    },
    /// A name is the empty string.
    #[error("parameter {index} has an empty name")]
    Empty {
        /// Its position.
        index: usize,
    },
    /// Two tensors share a name.
    #[error("parameter name {name:?} is used twice (positions {first} and {second})")]
    Duplicate {
        /// The name.
        name: String,
        /// Where it first appears.
        first: usize,
        /// Where it appears again.
        second: usize,
    },
    /// A name holds a control character (a newline, a tab, a NUL, ...).
    #[error("parameter name {name:?} contains a control character")]
    ControlCharacter {
        /// The name.
        name: String,
    },
    /// A name is reserved by the safetensors format.
    #[error("parameter name {name:?} is reserved by the safetensors format")]
    Reserved {
        /// The name.
        name: String,
    },
    /// A name is longer than [`MAX_NAME_LEN`] bytes.
    #[error("parameter name starting {start:?} is {len} bytes long, more than the {MAX_NAME_LEN} allowed")]
    TooLong {
        /// Its first 40 characters.
        start: String,
        /// Its length in bytes.
        len: usize,
    },
}

/// [`ParamsError`] unless `name` (at `index`) can name a tensor in a checkpoint.
fn check_name(index: usize, name: &str) -> Result<(), ParamsError> {
    if name.is_empty() {
        return Err(ParamsError::Empty { index });
    }
    if name.len() > MAX_NAME_LEN {
        return Err(ParamsError::TooLong {
            start: name.chars().take(40).collect(),
            len: name.len(),
        });
    }
    if name.chars().any(char::is_control) {
        return Err(ParamsError::ControlCharacter {
            name: name.to_string(),
        });
    }
    if name == "__metadata__" {
        return Err(ParamsError::Reserved {
            name: name.to_string(),
        });
    }
    Ok(())
}

/// [`ParamsError`] for the first name that is invalid or repeated.
pub(crate) fn check_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<(), ParamsError> {
    let mut seen = std::collections::HashMap::new();
    for (index, name) in names.into_iter().enumerate() {
        check_name(index, name)?;
        if let Some(&first) = seen.get(name) {
            return Err(ParamsError::Duplicate {
                name: name.to_string(),
                first,
                second: index,
            });
        }
        seen.insert(name, index);
    }
    Ok(())
}

/// An ordered list of named parameter tensors (for an MLP: `layers.0.weight`,
/// `layers.0.bias`, `layers.1.weight`, ...).
///
/// The order is the order of the `&[Var]` slice that models' forward passes
/// take, and the order of [`Params::flatten`].
///
/// ```
/// use autodiff::Tensor;
/// use models::Params;
/// let mut p = Params::new(vec![
///     ("w".to_string(), Tensor::zeros(&[2, 2])),
///     ("b".to_string(), Tensor::zeros(&[2])),
/// ])?;
/// assert_eq!(p.num_values(), 6);
/// p.set_flat(&[1., 2., 3., 4., 5., 6.])?;
/// assert_eq!(p.get("b").unwrap().data(), &[5., 6.]);
/// assert!(p.set_flat(&[1.0]).is_err());
/// // Names must be distinct, non-empty and printable.
/// assert!(Params::new(vec![("w".into(), Tensor::zeros(&[1])), ("w".into(), Tensor::zeros(&[1]))]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Params<S: Scalar = f64> {
    names: Vec<String>,
    tensors: Vec<TensorOf<S>>,
}

impl<S: Scalar> Params<S> {
    /// Builds a parameter set from `(name, tensor)` pairs, in order.
    ///
    /// # Errors
    /// [`ParamsError`] naming the first name that is empty, longer than
    /// [`MAX_NAME_LEN`] bytes, holds a control character (a newline, ...),
    /// is `__metadata__`, or repeats an earlier one.
    pub fn new(named: Vec<(String, TensorOf<S>)>) -> Result<Params<S>, ParamsError> {
        check_names(named.iter().map(|(n, _)| n.as_str()))?;
        let (names, tensors) = named.into_iter().unzip();
        Ok(Params { names, tensors })
    }

    /// The names, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The tensors, in order.
    pub fn tensors(&self) -> &[TensorOf<S>] {
        &self.tensors
    }

    /// The tensors, mutably (an optimizer step replaces them).
    pub fn tensors_mut(&mut self) -> &mut [TensorOf<S>] {
        &mut self.tensors
    }

    /// `(name, tensor)` pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &TensorOf<S>)> {
        self.names.iter().map(String::as_str).zip(&self.tensors)
    }

    /// The tensor called `name`.
    pub fn get(&self, name: &str) -> Option<&TensorOf<S>> {
        self.iter().find(|(n, _)| *n == name).map(|(_, t)| t)
    }

    /// Number of tensors.
    pub fn len(&self) -> usize {
        self.tensors.len()
    }

    /// Whether there are no tensors.
    pub fn is_empty(&self) -> bool {
        self.tensors.is_empty()
    }

    /// Total number of scalar values over all tensors.
    pub fn num_values(&self) -> usize {
        autodiff::total_len(&self.tensors)
    }

    /// All values in one vector, tensor after tensor (row-major within each).
    pub fn flatten(&self) -> Vec<S> {
        autodiff::flatten(&self.tensors)
    }

    /// Replaces every value from a flat vector laid out as [`Params::flatten`] does.
    ///
    /// # Errors
    /// [`TensorError::LengthMismatch`] when `flat` has the wrong length.
    pub fn set_flat(&mut self, flat: &[S]) -> Result<(), TensorError> {
        let expected = self.num_values();
        if flat.len() != expected {
            return Err(TensorError::LengthMismatch {
                shape: vec![expected],
                expected,
                got: flat.len(),
            });
        }
        self.tensors = autodiff::unflatten(flat, &self.tensors);
        Ok(())
    }

    /// A copy with the values of `flat` (see [`Params::set_flat`]).
    ///
    /// # Errors
    /// [`TensorError::LengthMismatch`] when `flat` has the wrong length.
    pub fn with_flat(&self, flat: &[S]) -> Result<Params<S>, TensorError> {
        let mut p = self.clone();
        p.set_flat(flat)?;
        Ok(p)
    }

    /// A copy moved by `step`, a flat `f64` vector laid out as
    /// [`Params::flatten`]: each sum formed in `f64` and rounded once to `S`
    /// (the update of the full-batch second-order methods).
    ///
    /// # Errors
    /// [`TensorError::LengthMismatch`] when `step` has the wrong length.
    pub fn moved_by(&self, step: &[f64]) -> Result<Params<S>, TensorError> {
        let expected = self.num_values();
        if step.len() != expected {
            return Err(TensorError::LengthMismatch {
                shape: vec![expected],
                expected,
                got: step.len(),
            });
        }
        let values: Vec<S> = self
            .flatten()
            .iter()
            .zip(step)
            .map(|(&x, &d)| S::of(x.as_f64() + d))
            .collect();
        self.with_flat(&values)
    }

    /// Records every tensor on `tape` as a differentiable input.
    pub fn vars<'t>(&self, tape: &'t TapeOf<S>) -> Vec<VarOf<'t, S>> {
        self.tensors.iter().map(|t| tape.var(t.clone())).collect()
    }

    /// The same parameters in precision `T`, under the same names: rounded
    /// to nearest when narrowing (`f64` → `f32`, relative error at most
    /// 2⁻²⁴ for values in `f32`'s range), exact when widening. This is the
    /// explicit conversion between an `f64` model's parameters and an `f32`
    /// model's ([`crate::Mlp::init`] draws in `f64`, so the same seed starts
    /// both precisions from the same point, rounded).
    ///
    /// ```
    /// use autodiff::Tensor;
    /// use models::{Activation, Mlp, Params};
    /// let p = Mlp::new(3).dense(2, Activation::Tanh).init(0);
    /// let p32 = p.cast::<f32>()?;
    /// assert_eq!(p32.names(), p.names());
    /// assert_eq!(p32.flatten()[0], p.flatten()[0] as f32);
    /// // A value f32 cannot hold is refused, not turned into infinity.
    /// let huge = Params::new(vec![("w".into(), Tensor::vector(vec![0.5, -1e40]))])?;
    /// assert_eq!(
    ///     huge.cast::<f32>().unwrap_err().to_string(),
    ///     "parameter \"w\" holds -1e40 at position 1, beyond the range of f32"
    /// );
    /// # Ok::<(), models::ParamsError>(())
    /// ```
    ///
    /// # Errors
    /// [`ParamsError::OutOfRange`] naming the first finite value beyond
    /// `T`'s range (only when narrowing).
    pub fn cast<T: Scalar>(&self) -> Result<Params<T>, ParamsError> {
        let tensors = self
            .iter()
            .map(|(name, t)| {
                t.try_cast().map_err(|e| match e {
                    TensorError::OutOfRange {
                        index,
                        value,
                        precision,
                    } => ParamsError::OutOfRange {
                        name: name.to_string(),
                        index,
                        value,
                        precision,
                    },
                    other => unreachable!("try_cast refuses values out of range only: {other}"),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Params {
            names: self.names.clone(),
            tensors,
        })
    }

    /// The parameters as `f64` (exact: widening never fails).
    pub(crate) fn widened(&self) -> Params {
        self.cast()
            .expect("every value of a narrower precision is an f64")
    }
}

/// Splits a flat parameter var of length `Σ len(like_i)` into vars shaped like
/// `like`, inside the graph (so a function of the flat vector can call a model).
///
/// # Panics
/// When the flat var's length differs from the total length of `like`.
pub fn split_flat<'t, S: Scalar>(flat: VarOf<'t, S>, like: &[TensorOf<S>]) -> Vec<VarOf<'t, S>> {
    let n = autodiff::total_len(like);
    assert_eq!(
        flat.shape().as_slice(),
        &[n],
        "split_flat: a flat var of shape {:?} cannot hold {n} parameters",
        flat.shape()
    );
    let mut at = 0;
    like.iter()
        .map(|t| {
            let part = flat.slice(0, at, at + t.len()).reshape(t.shape());
            at += t.len();
            part
        })
        .collect()
}
