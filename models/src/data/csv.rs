//! Loading the user's own data from comma-separated text.

use std::path::{Path, PathBuf};

use autodiff::Tensor;
use thiserror::Error;

use crate::data::{DataError, Dataset, Targets};

/// How the target column is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// Integer class codes; the distinct codes, sorted, become classes `0, 1, ...`
    /// (see [`Targets::from_codes`]).
    Classes,
    /// A real value per example (targets of shape `[n, 1]`).
    Values,
}

/// How to read a CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    /// Whether the first non-blank line is a header to skip.
    pub header: bool,
    /// Zero-based column of the target; `None` for the last column.
    pub target_column: Option<usize>,
    /// How the target column is read.
    pub target: TargetKind,
}

impl Default for CsvOptions {
    /// A header line, the target in the last column, class targets.
    fn default() -> CsvOptions {
        CsvOptions {
            header: true,
            target_column: None,
            target: TargetKind::Classes,
        }
    }
}

/// Why a CSV file could not be loaded. Lines and columns count from 1, as
/// an editor shows them.
#[derive(Debug, Error)]
pub enum CsvError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A field is not a number (or, in a class column, not an integer).
    #[error("line {line}, column {column}: cannot read {field:?} as {expected}")]
    Parse {
        /// Line number (from 1).
        line: usize,
        /// Column number (from 1).
        column: usize,
        /// The field as written.
        field: String,
        /// What was expected ("a finite number" or "an integer class code").
        expected: &'static str,
    },
    /// A line has a different number of fields than the first data line.
    #[error("line {line} has {got} fields, but the first data line has {expected}")]
    Ragged {
        /// Line number (from 1).
        line: usize,
        /// Fields on the first data line.
        expected: usize,
        /// Fields on this line.
        got: usize,
    },
    /// The target column does not exist.
    #[error("target column {column} (from 1) is beyond the {fields} fields per line")]
    TargetColumn {
        /// The requested column (from 1).
        column: usize,
        /// Fields per line.
        fields: usize,
    },
    /// No data lines.
    #[error("no data lines")]
    Empty,
    /// The parsed values do not form a data set.
    #[error(transparent)]
    Data(#[from] DataError),
}

/// Reads a CSV file into a [`Dataset`]: every column but the target is a feature.
///
/// # Errors
/// [`CsvError`] naming the line and column of the first bad field.
pub fn load_csv(path: impl AsRef<Path>, options: CsvOptions) -> Result<Dataset, CsvError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| CsvError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_csv(&text, options)
}

/// Parses CSV text into a [`Dataset`] (see [`load_csv`]). Fields are
/// separated by commas, surrounding spaces and double quotes are ignored,
/// blank lines are skipped; quoted fields containing commas are not supported.
///
/// ```
/// use models::data::{parse_csv, CsvError, CsvOptions};
/// let ok = parse_csv("a,b,label\n1.5,2,0\n3,4,1\n", CsvOptions::default())?;
/// assert_eq!((ok.len(), ok.num_features(), ok.classes()), (2, 2, Some(2)));
///
/// let bad = parse_csv("a,b,label\n1.5,2,0\n3,x,1\n", CsvOptions::default());
/// assert!(matches!(bad, Err(CsvError::Parse { line: 3, column: 2, .. })));
/// # Ok::<(), CsvError>(())
/// ```
///
/// # Errors
/// [`CsvError`] naming the line and column of the first bad field.
pub fn parse_csv(text: &str, options: CsvOptions) -> Result<Dataset, CsvError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty());
    if options.header {
        lines.next();
    }
    let mut width = None;
    let mut features = Vec::new();
    let mut codes = Vec::new();
    let mut values = Vec::new();
    let mut n = 0;
    for (line, text) in lines {
        n += 1;
        let fields: Vec<&str> = text
            .split(',')
            .map(|f| f.trim().trim_matches('"'))
            .collect();
        let expected = *width.get_or_insert(fields.len());
        if fields.len() != expected {
            return Err(CsvError::Ragged {
                line,
                expected,
                got: fields.len(),
            });
        }
        let target = options.target_column.unwrap_or(expected - 1);
        if target >= expected {
            return Err(CsvError::TargetColumn {
                column: target + 1,
                fields: expected,
            });
        }
        for (j, field) in fields.iter().enumerate() {
            let bad = |expected| CsvError::Parse {
                line,
                column: j + 1,
                field: field.to_string(),
                expected,
            };
            if j == target && options.target == TargetKind::Classes {
                codes.push(
                    field
                        .parse::<i64>()
                        .map_err(|_| bad("an integer class code"))?,
                );
                continue;
            }
            let v = field
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad("a finite number"))?;
            if j == target {
                values.push(v);
            } else {
                features.push(v);
            }
        }
    }
    let width = width.ok_or(CsvError::Empty)?;
    let x = Tensor::from_fn(&[n, width - 1], |i| features[i]);
    let targets = match options.target {
        TargetKind::Classes => Targets::from_codes(&codes).0,
        TargetKind::Values => Targets::Values(Tensor::from_fn(&[n, 1], |i| values[i])),
    };
    Ok(Dataset::new(x, targets)?)
}
