//! A small MLP on red-wine quality (6 classes, 1599 wines) beats the
//! majority-class rate on held-out data. Run with `--nocapture` to see the
//! figures:
//!
//! ```sh
//! cargo test -p models --test wine -- --nocapture
//! ```

use models::{
    data, Activation, Adam, Control, Mlp, SoftmaxCrossEntropy, Standardizer, Supervised, Trainer,
};

#[test]
fn small_mlp_beats_the_majority_class_on_held_out_wine() {
    let (train, test) = data::wine_quality().split(0.25, 0).unwrap();
    // Statistics of the training split only, applied to both.
    let scale = Standardizer::fit(&train);
    let (train, test) = (scale.apply(&train), scale.apply(&test));
    let mlp = Mlp::new(11)
        .dense(32, Activation::Tanh)
        .dense(6, Activation::Identity);
    let mut params = mlp.init(0);
    let problem = Supervised::new(mlp, SoftmaxCrossEntropy, train).unwrap();
    let trainer = Trainer {
        epochs: 40,
        batch_size: 32,
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

    let last = history.last().unwrap();
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
