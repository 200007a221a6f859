//! A small MLP on red-wine quality (6 classes, 1599 wines) beats the
//! majority-class rate on held-out data. Run with `--nocapture` to see the
//! figures:
//!
//! ```sh
//! cargo test -p models --test it wine -- --nocapture
//! ```

use autodiff::Scalar;
use models::{
    data, Activation, Adam, Control, Dataset, EpochRecord, Mlp, SoftmaxCrossEntropy, Standardizer,
    Supervised, Trainer,
};

/// Red wine split 75/25 (seed 0), standardised with statistics of the
/// training split only, applied to both.
pub(crate) fn wine_splits() -> (Dataset, Dataset) {
    let (train, test) = data::wine_quality().split(0.25, 0).unwrap();
    let scale = Standardizer::fit(&train);
    (scale.apply(&train), scale.apply(&test))
}

/// The last epoch of an 11-32-6 tanh MLP trained by Adam (lr 3e-3, 40
/// epochs of batches of 32, shuffled from `seed`) from `Mlp::init(seed)`,
/// with the data and the start converted to precision `S`.
pub(crate) fn train_on_wine<S: Scalar>(train: &Dataset, test: &Dataset, seed: u64) -> EpochRecord {
    let mlp = Mlp::new(11)
        .dense(32, Activation::Tanh)
        .dense(6, Activation::Identity);
    let mut params = mlp.init(seed).cast::<S>().unwrap();
    let (train, test) = (train.cast::<S>().unwrap(), test.cast::<S>().unwrap());
    let problem = Supervised::new(mlp, SoftmaxCrossEntropy, train).unwrap();
    let trainer = Trainer {
        epochs: 40,
        batch_size: 32,
        seed,
        progress: false,
        ..Trainer::default()
    };
    let history = trainer
        .fit(
            &problem,
            &mut params,
            &mut Adam::new().lr(3e-3),
            Some(&test),
            |_| Control::Continue,
        )
        .unwrap();
    *history.last().unwrap()
}

#[test]
fn small_mlp_beats_the_majority_class_on_held_out_wine() {
    let (train, test) = wine_splits();
    let last = train_on_wine::<f64>(&train, &test, 0);
    let accuracy = last.test_accuracy.unwrap();
    let majority = test.majority_rate().unwrap();
    println!(
        "red wine, 11-32-6 tanh MLP, Adam lr 3e-3, 40 epochs of batches of 32: \
         test accuracy {accuracy:.4} vs majority-class rate {majority:.4} ({} test wines); \
         train accuracy {:.4}",
        test.len(),
        last.train_accuracy.unwrap()
    );
    assert!(
        accuracy > majority + 0.05,
        "test accuracy {accuracy} vs majority {majority}"
    );
}
