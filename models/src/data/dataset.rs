//! A supervised data set: a feature matrix and its targets, with seeded
//! shuffling, train/test splitting and minibatches.

use autodiff::{Scalar, TensorError, TensorOf};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use thiserror::Error;

/// What the examples are labelled with.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets<S: Scalar = f64> {
    /// Integer class labels in `0..classes`.
    Classes {
        /// One label per example.
        labels: Vec<usize>,
        /// Number of classes.
        classes: usize,
    },
    /// Real-valued targets, shape `[n, k]`.
    Values(TensorOf<S>),
}

impl Targets {
    /// Class targets from arbitrary integer codes (such as wine quality
    /// scores 3..=8): the distinct codes, sorted, become classes `0, 1, ...`.
    /// Also returns the codes, so that class `c` stands for `codes[c]`.
    /// (Class targets are the same in either precision: [`Targets::cast`]
    /// gives them to an `f32` data set.)
    ///
    /// ```
    /// use models::Targets;
    /// let (t, codes) = Targets::from_codes(&[5, 3, 5, 8]);
    /// assert_eq!(t.labels(), Some(&[1, 0, 1, 2][..]));
    /// assert_eq!(codes, [3, 5, 8]);
    /// ```
    pub fn from_codes(codes: &[i64]) -> (Targets, Vec<i64>) {
        let mut distinct = codes.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let labels = codes
            .iter()
            .map(|c| distinct.binary_search(c).unwrap_or_default())
            .collect();
        let classes = distinct.len();
        (Targets::Classes { labels, classes }, distinct)
    }
}

impl<S: Scalar> Targets<S> {
    /// Number of examples.
    pub fn len(&self) -> usize {
        match self {
            Targets::Classes { labels, .. } => labels.len(),
            Targets::Values(t) => t.shape().first().copied().unwrap_or(0),
        }
    }

    /// Whether there are no examples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The targets of the examples at `rows`, in that order.
    pub fn select(&self, rows: &[usize]) -> Targets<S> {
        match self {
            Targets::Classes { labels, classes } => Targets::Classes {
                labels: rows.iter().map(|&r| labels[r]).collect(),
                classes: *classes,
            },
            Targets::Values(t) => Targets::Values(select_rows(t, rows)),
        }
    }

    /// The labels when these are class targets.
    pub fn labels(&self) -> Option<&[usize]> {
        match self {
            Targets::Classes { labels, .. } => Some(labels),
            Targets::Values(_) => None,
        }
    }

    /// The tensor `[n, k]` when these are real-valued targets.
    pub fn values(&self) -> Option<&TensorOf<S>> {
        match self {
            Targets::Values(t) => Some(t),
            Targets::Classes { .. } => None,
        }
    }

    /// The same targets in precision `T` (real values rounded to nearest
    /// when narrowing; class labels unchanged).
    ///
    /// # Errors
    /// [`DataError::OutOfRange`] naming the first real target beyond `T`'s
    /// range.
    pub fn cast<T: Scalar>(&self) -> Result<Targets<T>, DataError> {
        Ok(match self {
            Targets::Values(t) => Targets::Values(cast_rows(t, "target")?),
            Targets::Classes { labels, classes } => Targets::Classes {
                labels: labels.clone(),
                classes: *classes,
            },
        })
    }
}

/// Why a data set could not be built.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DataError {
    /// The features are not a matrix `[n, d]`.
    #[error("features must be a matrix [examples, features], got shape {0:?}")]
    NotMatrix(Vec<usize>),
    /// Real-valued targets are not a matrix `[n, k]`.
    #[error("targets must be 2-D [rows, outputs]; got shape {0:?}")]
    TargetsNotMatrix(Vec<usize>),
    /// Features and targets describe different numbers of examples.
    #[error("{features} feature rows but {targets} rows of targets; expected one target row per feature row")]
    RowCount {
        /// Rows of the feature matrix.
        features: usize,
        /// Number of targets.
        targets: usize,
    },
    /// A class label is not below the number of classes.
    #[error("example {row} has label {label}, but there are {classes} classes")]
    Label {
        /// The example.
        row: usize,
        /// Its label.
        label: usize,
        /// Number of classes.
        classes: usize,
    },
    /// A feature or target is NaN or infinite.
    #[error("example {row}, column {column} is {value}, but finite values are required")]
    NonFinite {
        /// The example.
        row: usize,
        /// The column of the features (or of the targets).
        column: usize,
        /// The value.
        value: f64,
    },
    /// A finite feature or target too large for the precision the data set
    /// is converted to ([`Dataset::cast`]).
    #[error("example {row}, {part} column {column} is {value:e}, beyond the range of {precision}")]
    OutOfRange {
        /// The example.
        row: usize,
        /// `"feature"` or `"target"`.
        part: &'static str,
        /// The column of the features (or of the targets).
        column: usize,
        /// The value.
        value: f64,
        /// The precision it does not fit, `"f32"`.
        precision: &'static str,
    },
    /// A split or batch size that cannot be honoured.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

/// Examples as rows of a feature matrix, with their targets.
///
/// ```
/// use autodiff::Tensor;
/// use models::{Dataset, Targets};
/// let x = Tensor::from_rows(&[vec![0.0, 1.0], vec![2.0, 3.0], vec![4.0, 5.0]])?;
/// let data = Dataset::new(x, Targets::Classes { labels: vec![0, 1, 1], classes: 2 })?;
/// let (train, test) = data.split(1.0 / 3.0, 7)?;
/// assert_eq!((train.len(), test.len()), (2, 1));
/// assert_eq!(data.batches(2).map(|b| b.len()).collect::<Vec<_>>(), [2, 1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset<S: Scalar = f64> {
    features: TensorOf<S>,
    targets: Targets<S>,
}

fn select_rows<S: Scalar>(t: &TensorOf<S>, rows: &[usize]) -> TensorOf<S> {
    let width: usize = t.shape()[1..].iter().product();
    let mut shape = t.shape().to_vec();
    shape[0] = rows.len();
    let mut data = Vec::with_capacity(rows.len() * width);
    for &r in rows {
        data.extend_from_slice(&t.data()[r * width..(r + 1) * width]);
    }
    TensorOf::from_fn(&shape, |i| data[i])
}

/// A `[rows, columns]` matrix of a data set in precision `T`, refusing a
/// value beyond its range with its row and column.
fn cast_rows<S: Scalar, T: Scalar>(
    t: &TensorOf<S>,
    part: &'static str,
) -> Result<TensorOf<T>, DataError> {
    t.try_cast().map_err(|e| match e {
        TensorError::OutOfRange {
            index,
            value,
            precision,
        } => {
            let width = t.shape().get(1).copied().unwrap_or(1).max(1);
            DataError::OutOfRange {
                row: index / width,
                part,
                column: index % width,
                value,
                precision,
            }
        }
        other => unreachable!("try_cast refuses values out of range only: {other}"),
    })
}

fn check_finite<S: Scalar>(t: &TensorOf<S>) -> Result<(), DataError> {
    let width = t.shape().get(1).copied().unwrap_or(1).max(1);
    match t.data().iter().position(|v| !v.is_finite()) {
        Some(i) => Err(DataError::NonFinite {
            row: i / width,
            column: i % width,
            value: t.data()[i].as_f64(),
        }),
        None => Ok(()),
    }
}

impl<S: Scalar> Dataset<S> {
    /// Pairs a feature matrix `[n, d]` with `n` targets.
    ///
    /// # Errors
    /// When the shapes disagree, a label is out of range, or a value is not finite.
    pub fn new(features: TensorOf<S>, targets: Targets<S>) -> Result<Dataset<S>, DataError> {
        if features.rank() != 2 {
            return Err(DataError::NotMatrix(features.shape().to_vec()));
        }
        let n = features.shape()[0];
        if let Targets::Values(t) = &targets {
            if t.rank() != 2 {
                return Err(DataError::TargetsNotMatrix(t.shape().to_vec()));
            }
        }
        if targets.len() != n {
            return Err(DataError::RowCount {
                features: n,
                targets: targets.len(),
            });
        }
        check_finite(&features)?;
        match &targets {
            Targets::Values(t) => check_finite(t)?,
            Targets::Classes { labels, classes } => {
                if let Some((row, &label)) = labels.iter().enumerate().find(|(_, &y)| y >= *classes)
                {
                    return Err(DataError::Label {
                        row,
                        label,
                        classes: *classes,
                    });
                }
            }
        }
        Ok(Dataset { features, targets })
    }

    /// The feature matrix `[n, d]`.
    pub fn features(&self) -> &TensorOf<S> {
        &self.features
    }

    /// The targets.
    pub fn targets(&self) -> &Targets<S> {
        &self.targets
    }

    /// Number of examples.
    pub fn len(&self) -> usize {
        self.features.shape()[0]
    }

    /// Whether there are no examples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of features per example.
    pub fn num_features(&self) -> usize {
        self.features.shape()[1]
    }

    /// Number of classes, for class targets.
    pub fn classes(&self) -> Option<usize> {
        match self.targets {
            Targets::Classes { classes, .. } => Some(classes),
            Targets::Values(_) => None,
        }
    }

    /// The fraction of examples in the most frequent class (the accuracy of
    /// always predicting it), for class targets.
    pub fn majority_rate(&self) -> Option<f64> {
        let (labels, classes) = match &self.targets {
            Targets::Classes { labels, classes } => (labels, *classes),
            Targets::Values(_) => return None,
        };
        let mut counts = vec![0usize; classes];
        labels.iter().for_each(|&y| counts[y] += 1);
        let top = counts.into_iter().max().unwrap_or(0);
        Some(top as f64 / labels.len().max(1) as f64)
    }

    /// The examples at `rows`, in that order.
    ///
    /// # Panics
    /// When a row index is out of range.
    pub fn select(&self, rows: &[usize]) -> Dataset<S> {
        Dataset {
            features: select_rows(&self.features, rows),
            targets: self.targets.select(rows),
        }
    }

    /// The examples in an order drawn from `seed`.
    pub fn shuffled(&self, seed: u64) -> Dataset<S> {
        let mut rows: Vec<usize> = (0..self.len()).collect();
        rows.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
        self.select(&rows)
    }

    /// Shuffles with `seed`, then puts `round(test_fraction · n)` examples in
    /// the second (test) part and the rest in the first (training) part.
    ///
    /// # Errors
    /// When `test_fraction` is not in `[0, 1]`.
    pub fn split(
        &self,
        test_fraction: f64,
        seed: u64,
    ) -> Result<(Dataset<S>, Dataset<S>), DataError> {
        if !(0.0..=1.0).contains(&test_fraction) {
            return Err(DataError::InvalidArgument(format!(
                "test fraction {test_fraction} is not in [0, 1]"
            )));
        }
        let shuffled = self.shuffled(seed);
        let n_test = (test_fraction * self.len() as f64).round() as usize;
        let n_train = self.len() - n_test;
        let rows = |from: usize, to: usize| (from..to).collect::<Vec<_>>();
        Ok((
            shuffled.select(&rows(0, n_train)),
            shuffled.select(&rows(n_train, self.len())),
        ))
    }

    /// Consecutive minibatches of `batch_size` examples (the last may be
    /// smaller); shuffle first for stochastic training.
    ///
    /// # Panics
    /// When `batch_size` is zero.
    pub fn batches(&self, batch_size: usize) -> impl Iterator<Item = Dataset<S>> + '_ {
        assert!(
            batch_size > 0,
            "Dataset::batches: batch size must be positive"
        );
        (0..self.len()).step_by(batch_size).map(move |start| {
            let rows: Vec<usize> = (start..(start + batch_size).min(self.len())).collect();
            self.select(&rows)
        })
    }

    /// The same examples in precision `T`: features and real-valued targets
    /// rounded to nearest when narrowing (`f64` → `f32`), exact when widening.
    /// This is how a data set loaded in `f64` is made ready for an `f32` model.
    ///
    /// ```
    /// use autodiff::Tensor;
    /// use models::{Dataset, Targets};
    /// let wine = models::data::wine_quality();
    /// let wine32 = wine.cast::<f32>()?;
    /// assert_eq!(wine32.len(), wine.len());
    /// assert_eq!(wine32.features().data()[0], wine.features().data()[0] as f32);
    /// // A value f32 cannot hold is refused, not turned into infinity.
    /// let huge = Dataset::new(Tensor::from_rows(&[vec![1.0, 1e300]])?, Targets::Values(Tensor::zeros(&[1, 1])))?;
    /// let err = huge.cast::<f32>().unwrap_err();
    /// assert_eq!(err.to_string(), "example 0, feature column 1 is 1e300, beyond the range of f32");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`DataError::OutOfRange`] naming the first feature or real target
    /// beyond `T`'s range (only when narrowing).
    pub fn cast<T: Scalar>(&self) -> Result<Dataset<T>, DataError> {
        Ok(Dataset {
            features: cast_rows(&self.features, "feature")?,
            targets: self.targets.cast()?,
        })
    }

    /// The same targets with new features (of the same number of rows).
    pub(crate) fn with_features(&self, features: TensorOf<S>) -> Dataset<S> {
        debug_assert_eq!(features.shape()[0], self.len());
        Dataset {
            features,
            targets: self.targets.clone(),
        }
    }
}
