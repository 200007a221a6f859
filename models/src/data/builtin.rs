//! Real data sets shipped (gzip-compressed, compiled in) by the
//! `linfa-datasets` crate: nothing is downloaded at run time.

use autodiff::Tensor;

use crate::data::{Dataset, Targets};

/// Our tensor from an ndarray's shape and row-major values.
fn tensor<'a>(shape: &[usize], values: impl Iterator<Item = &'a f64>) -> Tensor {
    let data: Vec<f64> = values.copied().collect();
    Tensor::from_fn(shape, |i| data[i])
}

fn classes<'a>(shape: &[usize], x: impl Iterator<Item = &'a f64>, y: &[usize]) -> Dataset {
    let codes: Vec<i64> = y.iter().map(|&c| c as i64).collect();
    let (targets, _) = Targets::from_codes(&codes);
    Dataset::new(tensor(shape, x), targets).expect("linfa-datasets ships well-formed data")
}

/// Fisher's iris flowers: 150 examples, 4 features (sepal and petal length
/// and width, cm), 3 balanced classes (setosa, versicolor, virginica).
///
/// ```
/// let iris = models::data::iris();
/// assert_eq!((iris.len(), iris.num_features(), iris.classes()), (150, 4, Some(3)));
/// ```
pub fn iris() -> Dataset {
    let ds = linfa_datasets::iris();
    let y: Vec<usize> = ds.targets.iter().copied().collect();
    classes(ds.records.shape(), ds.records.iter(), &y)
}

/// Red wine quality (Cortez et al. 2009): 1599 examples, 11 physico-chemical
/// features, and the quality score (3..=8) as 6 classes `0..=5` (class `c`
/// is score `c + 3`).
///
/// ```
/// let wine = models::data::wine_quality();
/// assert_eq!((wine.len(), wine.num_features(), wine.classes()), (1599, 11, Some(6)));
/// ```
pub fn wine_quality() -> Dataset {
    let ds = linfa_datasets::winequality();
    let y: Vec<usize> = ds.targets.iter().copied().collect();
    classes(ds.records.shape(), ds.records.iter(), &y)
}

/// Diabetes progression (Efron et al. 2004): 442 patients in the
/// original, as shipped 441 examples, 10 features (already centred and
/// scaled), and a real-valued target (disease progression after one year),
/// shape `[n, 1]`.
///
/// ```
/// let d = models::data::diabetes();
/// assert_eq!(d.num_features(), 10);
/// assert_eq!(d.classes(), None);
/// ```
pub fn diabetes() -> Dataset {
    let ds = linfa_datasets::diabetes();
    let x = tensor(ds.records.shape(), ds.records.iter());
    let y = tensor(&[ds.targets.len(), 1], ds.targets.iter());
    Dataset::new(x, Targets::Values(y)).expect("linfa-datasets ships well-formed data")
}
