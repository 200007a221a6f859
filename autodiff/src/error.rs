//! Errors for data that comes from outside the program.

use thiserror::Error;

/// An error raised when user-supplied data does not fit what was asked of it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TensorError {
    /// The number of values does not match the product of the shape.
    #[error("shape {shape:?} holds {expected} values but {got} were given")]
    LengthMismatch {
        /// The shape that was asked for.
        shape: Vec<usize>,
        /// Its number of elements.
        expected: usize,
        /// The number of values supplied.
        got: usize,
    },
    /// The number of elements of a shape does not fit in `usize`.
    #[error("shape {shape:?} has more elements than a usize can count")]
    ShapeOverflow {
        /// The shape that was asked for.
        shape: Vec<usize>,
    },
    /// Rows of a nested matrix literal have different lengths.
    #[error("row {row} has {got} values but row 0 has {expected}")]
    RaggedRows {
        /// Index of the first row whose length differs.
        row: usize,
        /// Length of row 0.
        expected: usize,
        /// Length of the offending row.
        got: usize,
    },
    /// A value that must be finite is NaN or infinite.
    #[error("value at flat index {index} is {value}, but finite values are required")]
    NonFinite {
        /// Flat index of the value.
        index: usize,
        /// The value itself.
        value: f64,
    },
    /// A finite value beyond the range of the precision it is converted to
    /// (see [`crate::TensorOf::try_cast`]).
    #[error("value at flat index {index} is {value:e}, beyond the range of {precision}")]
    OutOfRange {
        /// Flat index of the value.
        index: usize,
        /// The value itself.
        value: f64,
        /// The precision it does not fit, `"f32"`.
        precision: &'static str,
    },
    /// A parameter such as a standard deviation or a range is invalid.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

/// The first NaN or infinity produced while anomaly detection was on
/// (see [`crate::Tape::detect_anomaly`]).
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{op} produced a non-finite {part} from inputs of shapes {input_shapes:?}, recorded at {location}")]
pub struct Anomaly {
    /// The primitive that produced it.
    pub op: &'static str,
    /// Which part was non-finite: "value", "tangent" (forward sweep) or
    /// "cotangent" (reverse sweep, produced by the op's vjp rule).
    pub part: &'static str,
    /// Shapes of the op's inputs.
    pub input_shapes: Vec<Vec<usize>>,
    /// Where in the user's code the op was recorded (`file:line:column`).
    pub location: String,
}
