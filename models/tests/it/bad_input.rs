//! Bad input to the library — data of the wrong shape for a model or a
//! loss — gets an error that names what is wrong, never a panic or a number.

use autodiff::{Tape, Tensor};
use models::data::DataError;
use models::{
    softmax_regression, Activation, BceWithLogits, Control, Dataset, FitError, GaussianHead, Loss,
    Mlp, Mse, Sgd, ShapeError, SoftmaxCrossEntropy, Supervised, Targets, Trainer,
};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn values(rows: usize, columns: usize) -> Targets {
    Targets::Values(Tensor::zeros(&[rows, columns]))
}

fn data(rows: usize, features: usize, targets: Targets) -> Dataset {
    Dataset::new(Tensor::zeros(&[rows, features]), targets).expect("a consistent data set")
}

fn mlp(inputs: usize, outputs: usize) -> Mlp {
    Mlp::new(inputs).dense(outputs, Activation::Identity)
}

/// The message of [`Supervised::new`]'s refusal.
fn refusal<L: Loss>(model: Mlp, loss: L, data: Dataset) -> ShapeError {
    match Supervised::new(model, loss, data) {
        Ok(_) => panic!("the problem was built"),
        Err(e) => e,
    }
}

#[test]
fn mse_with_two_target_columns_for_one_output_is_refused() {
    let err = refusal(mlp(3, 1), Mse, data(4, 3, values(4, 2)));
    assert_eq!(
        err,
        ShapeError::Targets(
            "Mse: outputs have shape [4, 1] but targets [4, 2]; expected targets of shape [4, 1]"
                .into()
        )
    );
}

#[test]
fn mse_taken_directly_refuses_to_broadcast() {
    let y = values(4, 2);
    let taken = std::panic::catch_unwind(|| {
        let tape = Tape::new();
        Mse.loss(tape.var(Tensor::zeros(&[4, 1])), &y)
            .value()
            .item()
    });
    let message = *taken
        .expect_err("no number from mismatched shapes")
        .downcast::<String>()
        .expect("a formatted message");
    assert!(
        message.starts_with("Mse: outputs have shape [4, 1]"),
        "{message}"
    );
}

#[test]
fn binary_cross_entropy_names_the_target_shape() {
    let err = refusal(mlp(3, 1), BceWithLogits, data(4, 3, values(4, 3)));
    assert_eq!(
        err.to_string(),
        "BceWithLogits: outputs have shape [4, 1] but targets [4, 3]; expected targets of shape [4, 1]"
    );
}

#[test]
fn cross_entropy_needs_one_output_per_class() {
    let labels = Targets::Classes {
        labels: vec![0, 1, 2, 1],
        classes: 3,
    };
    let err = refusal(mlp(3, 2), SoftmaxCrossEntropy, data(4, 3, labels));
    assert_eq!(
        err.to_string(),
        "SoftmaxCrossEntropy: outputs have shape [4, 2] but there are 4 labels of 3 classes; expected outputs of shape [4, 3]"
    );
    let err = refusal(mlp(3, 1), SoftmaxCrossEntropy, data(4, 3, values(4, 1)));
    assert_eq!(
        err.to_string(),
        "SoftmaxCrossEntropy: needs class labels, got real-valued targets"
    );
}

#[test]
fn gaussian_head_needs_a_mean_and_a_scale_per_target() {
    let err = refusal(mlp(3, 3), GaussianHead, data(4, 3, values(4, 2)));
    assert_eq!(
        err.to_string(),
        "GaussianHead: outputs have shape [4, 3] but targets [4, 2]; expected outputs (means, then log standard deviations) of shape [4, 4]"
    );
}

#[test]
fn an_mlp_names_the_input_width_it_expects() {
    let err = refusal(mlp(3, 1), Mse, data(4, 5, values(4, 1)));
    assert_eq!(
        err,
        ShapeError::Inputs("Mlp expects 3 inputs per row, got 5".into())
    );
}

#[test]
fn held_out_data_is_checked_against_the_problem() {
    let problem = Supervised::new(mlp(3, 1), Mse, data(4, 3, values(4, 1))).expect("fits");
    assert_eq!(problem.check(&data(2, 3, values(2, 1))), Ok(()));
    assert_eq!(
        problem.check(&data(2, 4, values(2, 1))),
        Err(ShapeError::Inputs(
            "Mlp expects 3 inputs per row, got 4".into()
        ))
    );
}

#[test]
fn training_with_held_out_data_of_the_wrong_width_is_refused_before_any_step() {
    let problem = Supervised::new(mlp(3, 1), Mse, data(4, 3, values(4, 1))).expect("fits");
    let mut params = mlp(3, 1).init(0);
    let trainer = Trainer {
        epochs: 1,
        batch_size: 2,
        progress: false,
        ..Trainer::default()
    };
    let wide = data(2, 4, values(2, 1));
    let err = trainer
        .fit(
            &problem,
            &mut params,
            &mut Sgd::new(0.1),
            Some(&wide),
            |_| Control::Continue,
        )
        .expect_err("held-out data of width 4 for 3 inputs");
    assert_eq!(
        err,
        FitError::HeldOut(ShapeError::Inputs(
            "Mlp expects 3 inputs per row, got 4".into()
        ))
    );
    assert_eq!(
        err.to_string(),
        "held-out data: Mlp expects 3 inputs per row, got 4"
    );
    assert_eq!(params, mlp(3, 1).init(0), "a step was taken");
}

#[test]
fn one_dimensional_targets_are_refused_with_the_expected_shape() {
    let err = Dataset::new(Tensor::zeros(&[3, 2]), Targets::Values(Tensor::zeros(&[3])))
        .expect_err("1-D targets");
    assert_eq!(err, DataError::TargetsNotMatrix(vec![3]));
    assert_eq!(
        err.to_string(),
        "targets must be 2-D [rows, outputs]; got shape [3]"
    );
}

#[test]
fn softmax_regression_needs_class_labels() {
    let err = softmax_regression(data(4, 3, values(4, 1)), 0.1).expect_err("real targets");
    assert!(matches!(err, ShapeError::Targets(m) if m.contains("needs class labels")));
}

proptest! {
    #![proptest_config(ProptestConfig { rng_seed: RngSeed::Fixed(20261202), ..ProptestConfig::with_cases(64) })]

    /// Any widths: the problem is built exactly when features and targets
    /// fit the MLP, and then its objective is a finite number.
    #[test]
    fn random_shapes_are_refused_or_fit(
        rows in 1usize..5, inputs in 1usize..4, width in 1usize..4,
        outputs in 1usize..4, columns in 1usize..4,
    ) {
        let model = mlp(inputs, outputs);
        let params = model.init(0);
        let d = data(rows, width, values(rows, columns));
        let built = std::panic::catch_unwind(|| Supervised::new(model, Mse, d.clone()));
        let built = built.expect("never a panic");
        prop_assert_eq!(built.is_ok(), width == inputs && columns == outputs);
        if let Ok(problem) = built {
            prop_assert!(problem.objective_value(&params, &d).is_finite());
        }
    }
}

#[test]
fn a_multivariate_gaussian_names_parameters_and_observations_that_do_not_fit() {
    use models::likelihood::MultivariateGaussian;
    let err = MultivariateGaussian::from_params(&[Tensor::zeros(&[3])]).expect_err("no factor");
    assert!(
        err.to_string().contains("needs [mean, R], got 1 tensors"),
        "{err}"
    );
    let g = MultivariateGaussian::new(Tensor::zeros(&[3]), &Tensor::eye(3)).expect("valid");
    // One column against a mean of three: before, it broadcast into a number.
    let column = Tensor::zeros(&[4, 1]);
    let taken = std::panic::catch_unwind(|| {
        autodiff::value(
            |p| MultivariateGaussian::nll(p[0], p[1], p[0].tape().constant(column.clone())),
            &g.params(),
        )
    });
    let message = *taken
        .expect_err("no number from mismatched shapes")
        .downcast::<String>()
        .expect("a formatted message");
    assert!(
        message.contains("observations of shape [4, 1] for a mean of shape [3]"),
        "{message}"
    );
}
