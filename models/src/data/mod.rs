//! Data: real data sets, CSV loading, standardisation, splitting, minibatches
//! and synthetic generators.

mod builtin;
mod csv;
mod dataset;
mod standardize;
mod synthetic;

pub use builtin::{diabetes, iris, wine_quality};
pub use csv::{load_csv, parse_csv, CsvError, CsvOptions, TargetKind};
pub use dataset::{DataError, Dataset, Targets};
pub use standardize::Standardizer;
pub use synthetic::{
    gaussian_samples, ill_conditioned_regression, linearly_separable, spirals, two_moons, xor,
};
