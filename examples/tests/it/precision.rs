//! The f32-beside-f64 program at a few epochs: both precisions train, and
//! the f32 run of each method ends where its f64 run does — to within the
//! noise of a held-out accuracy, and (from the same start and data) to f32
//! rounding in the training loss.

use examples::precision;

#[test]
fn f32_training_ends_where_f64_training_does() {
    let figures = precision::run(3).unwrap();
    assert_eq!(figures.runs.len(), 4);
    let uniform = (6.0_f64).ln();
    for method in ["Adam", "K-FAC"] {
        let runs: Vec<_> = figures.runs.iter().filter(|r| r.method == method).collect();
        let (wide, narrow) = (runs[0], runs[1]);
        assert_eq!((wide.precision, narrow.precision), ("f64", "f32"));
        assert!(
            narrow.train_loss < uniform,
            "{method}: f32 loss {}",
            narrow.train_loss
        );
        let (_, gap) = figures.f32_against_f64(method).unwrap();
        assert!(
            gap.abs() <= 2.0 * figures.standard_error(wide.test_accuracy),
            "{method}: f32 accuracy {} against f64 {}",
            narrow.test_accuracy,
            wide.test_accuracy
        );
        // Three epochs from the same start: the runs have not drifted apart
        // beyond half of f32's digits.
        let drift = (narrow.train_loss - wide.train_loss).abs() / wide.train_loss;
        assert!(
            drift < f64::from(f32::EPSILON).sqrt(),
            "{method}: drift {drift}"
        );
    }
}
