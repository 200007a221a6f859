//! Loading the user's own data from comma-separated text, read by the
//! [`csv`] crate (quoting, delimiters, a byte-order mark, comment lines).

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
    /// Whether the first record is a header to skip.
    pub header: bool,
    /// Zero-based column of the target; `None` for the last column.
    pub target_column: Option<usize>,
    /// How the target column is read.
    pub target: TargetKind,
    /// The byte between fields (default `b','`; `b';'` or `b'\t'` for other
    /// conventions).
    pub delimiter: u8,
    /// Lines starting with this byte are skipped (default `Some(b'#')`).
    pub comment: Option<u8>,
}

impl Default for CsvOptions {
    /// A header line, the target in the last column, class targets, commas,
    /// `#` comments.
    fn default() -> CsvOptions {
        CsvOptions {
            header: true,
            target_column: None,
            target: TargetKind::Classes,
            delimiter: b',',
            comment: Some(b'#'),
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
    /// The text is not CSV the reader can follow.
    #[error("line {line}: {message}")]
    Malformed {
        /// Line number (from 1).
        line: usize,
        /// What the reader found.
        message: String,
    },
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
/// separated by [`CsvOptions::delimiter`] and may be quoted (a quoted field
/// may hold the delimiter); surrounding spaces are ignored, as are a UTF-8
/// byte-order mark, blank lines and comment lines.
///
/// ```
/// use models::data::{parse_csv, CsvError, CsvOptions};
/// let ok = parse_csv("a,b,label\n1.5,2,0\n3,4,1\n", CsvOptions::default())?;
/// assert_eq!((ok.len(), ok.num_features(), ok.classes()), (2, 2, Some(2)));
///
/// let semicolons = CsvOptions { delimiter: b';', ..CsvOptions::default() };
/// let ok = parse_csv("\u{feff}# exported\n\"a; b\";label\n\"1.5\";0\n", semicolons)?;
/// assert_eq!(ok.features().data(), [1.5]);
///
/// let bad = parse_csv("a,b,label\n1.5,2,0\n3,x,1\n", CsvOptions::default());
/// assert!(matches!(bad, Err(CsvError::Parse { line: 3, column: 2, .. })));
/// # Ok::<(), CsvError>(())
/// ```
///
/// # Errors
/// [`CsvError`] naming the line and column of the first bad field.
pub fn parse_csv(text: &str, options: CsvOptions) -> Result<Dataset, CsvError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(options.header)
        .delimiter(options.delimiter)
        .comment(options.comment)
        .trim(::csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut columns = Columns::new(options);
    for record in reader.records() {
        let record = record.map_err(malformed)?;
        let line = record.position().map_or(0, |p| line_at(text, p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        columns.push(line, &record)?;
    }
    columns.into_dataset()
}

/// The line (from 1) of the record at byte `offset`: the reader's own line
/// count leaves out blank lines, and its offset may point at the blank lines
/// before the record, so both are counted here.
fn line_at(text: &str, offset: u64) -> usize {
    let start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    let before = text.as_bytes()[..start]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    let blank = text.as_bytes()[start..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count();
    before + blank + 1
}

/// A reader error as [`CsvError::Malformed`], at its line.
fn malformed(error: ::csv::Error) -> CsvError {
    let line = error.position().map_or(0, |p| p.line() as usize);
    CsvError::Malformed {
        line,
        message: error.to_string(),
    }
}

/// The fields read so far, by role.
struct Columns {
    options: CsvOptions,
    width: Option<usize>,
    rows: usize,
    features: Vec<f64>,
    codes: Vec<i64>,
    values: Vec<f64>,
}

impl Columns {
    fn new(options: CsvOptions) -> Columns {
        Columns {
            options,
            width: None,
            rows: 0,
            features: Vec::new(),
            codes: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Reads one data record, at `line`.
    fn push(&mut self, line: usize, record: &::csv::StringRecord) -> Result<(), CsvError> {
        let expected = *self.width.get_or_insert(record.len());
        if record.len() != expected {
            return Err(CsvError::Ragged {
                line,
                expected,
                got: record.len(),
            });
        }
        let target = self.options.target_column.unwrap_or(expected - 1);
        if target >= expected {
            return Err(CsvError::TargetColumn {
                column: target + 1,
                fields: expected,
            });
        }
        for (j, field) in record.iter().enumerate() {
            let field = unquoted(field);
            let bad = |expected| CsvError::Parse {
                line,
                column: j + 1,
                field: field.to_string(),
                expected,
            };
            if j == target && self.options.target == TargetKind::Classes {
                let code = field
                    .parse::<i64>()
                    .map_err(|_| bad("an integer class code"))?;
                self.codes.push(code);
                continue;
            }
            let v = field
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad("a finite number"))?;
            if j == target {
                self.values.push(v);
            } else {
                self.features.push(v);
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn into_dataset(self) -> Result<Dataset, CsvError> {
        let width = self.width.ok_or(CsvError::Empty)?;
        let n = self.rows;
        let x = Tensor::from_fn(&[n, width - 1], |i| self.features[i]);
        let targets = match self.options.target {
            TargetKind::Classes => Targets::from_codes(&self.codes).0,
            TargetKind::Values => Targets::Values(Tensor::from_fn(&[n, 1], |i| self.values[i])),
        };
        Ok(Dataset::new(x, targets)?)
    }
}

/// A field without the double quotes around it, for a quoted field that
/// followed a space (which the reader leaves as written: `1, "2"`).
fn unquoted(field: &str) -> &str {
    field
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .unwrap_or(field)
}
