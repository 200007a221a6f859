//! Settings that cannot work are errors naming the setting and its value,
//! returned by `Trainer::fit` before any step (the parameters untouched),
//! and names that cannot go into a checkpoint are refused by `Params::new`.

use autodiff::Tensor;
use models::second_order::{
    HessianFree, HessianFreeConfig, Kfac, KfacConfig, NaturalGradient, Shampoo, Solver, StepRule,
};
use models::{
    data, Activation, AdaGrad, Adam, Control, EarlyStopping, FullBatch, Mlp, Params, ParamsError,
    RmsProp, Schedule, Sgd, SoftmaxCrossEntropy, StepError, Supervised, Trainer, TrainingMethod,
};

fn quiet() -> Trainer {
    Trainer {
        epochs: 2,
        batch_size: 50,
        progress: false,
        ..Trainer::default()
    }
}

/// `fit` with `trainer` and `method` fails with `expected`, taking no step.
fn refused(trainer: &Trainer, method: &mut impl TrainingMethod, expected: &str) {
    let mlp = Mlp::new(4)
        .dense(5, Activation::Tanh)
        .dense(3, Activation::Identity);
    let problem = Supervised::new(mlp.clone(), SoftmaxCrossEntropy, data::iris()).unwrap();
    let mut params = mlp.init(0);
    let err = trainer
        .fit(&problem, &mut params, method, None, |_| Control::Continue)
        .unwrap_err();
    assert_eq!(err.to_string(), expected);
    assert_eq!(params, mlp.init(0), "{expected}: parameters moved");
}

#[test]
fn first_order_settings_that_cannot_work_are_refused_before_any_step() {
    let t = quiet();
    let nan = f64::NAN;
    refused(
        &t,
        &mut Adam::new().lr(-1.0),
        "Adam::lr must be a finite number > 0, got -1",
    );
    refused(
        &t,
        &mut Adam::new().lr(nan),
        "Adam::lr must be a finite number > 0, got NaN",
    );
    refused(
        &t,
        &mut Adam::new().betas(0.9, 1.0),
        "Adam::beta2 must be in [0, 1), got 1",
    );
    refused(
        &t,
        &mut Adam::new().eps(0.0),
        "Adam::eps must be a finite number > 0, got 0",
    );
    refused(
        &t,
        &mut Adam::adamw().weight_decay(-0.1),
        "Adam::weight_decay must be a finite number ≥ 0, got -0.1",
    );
    refused(
        &t,
        &mut Sgd::new(f64::INFINITY),
        "Sgd::lr must be a finite number > 0, got inf",
    );
    refused(
        &t,
        &mut Sgd::new(0.1).momentum(1.0),
        "Sgd::momentum must be in [0, 1), got 1",
    );
    refused(
        &t,
        &mut RmsProp::new().rho(-0.5),
        "RmsProp::rho must be in [0, 1), got -0.5",
    );
    refused(
        &t,
        &mut AdaGrad::new().lr(0.0),
        "AdaGrad::lr must be a finite number > 0, got 0",
    );
    refused(
        &t,
        &mut Shampoo::new(Adam::new()).update_every(0),
        "Shampoo::update_every must be at least 1, got 0",
    );
    refused(
        &t,
        &mut Shampoo::new(Adam::new().lr(-1.0)),
        "Adam::lr must be a finite number > 0, got -1",
    );
}

#[test]
fn trainer_settings_that_cannot_work_are_refused_before_any_step() {
    let zero_batch = Trainer {
        batch_size: 0,
        ..quiet()
    };
    refused(
        &zero_batch,
        &mut Adam::new(),
        "Trainer::batch_size must be at least 1, got 0",
    );
    let never_decays = Trainer {
        schedule: Schedule::Step {
            every: 0,
            factor: 0.5,
        },
        ..quiet()
    };
    refused(
        &never_decays,
        &mut Adam::new(),
        "Schedule::Step::every must be at least 1, got 0",
    );
    let negative_floor = Trainer {
        schedule: Schedule::Cosine {
            epochs: 10,
            min_lr: -1e-3,
        },
        ..quiet()
    };
    refused(
        &negative_floor,
        &mut Adam::new(),
        "Schedule::Cosine::min_lr must be a finite number ≥ 0, got -0.001",
    );
    let impatient = Trainer {
        early_stopping: Some(EarlyStopping {
            patience: 0,
            min_delta: 0.0,
        }),
        ..quiet()
    };
    refused(
        &impatient,
        &mut Adam::new(),
        "EarlyStopping::patience must be at least 1, got 0",
    );
}

#[test]
fn second_order_settings_that_cannot_work_are_refused_before_any_step() {
    let t = quiet();
    let kfac = |config: KfacConfig| Kfac::new(config);
    refused(
        &t,
        &mut kfac(KfacConfig {
            damping: -1e-3,
            ..KfacConfig::default()
        }),
        "KfacConfig::damping must be a finite number ≥ 0, got -0.001",
    );
    refused(
        &t,
        &mut kfac(KfacConfig {
            inverse_every: 0,
            ..KfacConfig::default()
        }),
        "KfacConfig::inverse_every must be at least 1, got 0",
    );
    refused(
        &t,
        &mut kfac(KfacConfig {
            ema: 1.0,
            ..KfacConfig::default()
        }),
        "KfacConfig::ema must be in [0, 1), got 1",
    );
    refused(
        &t,
        &mut kfac(KfacConfig {
            rule: StepRule::Fixed {
                lr: -0.1,
                momentum: 0.0,
            },
            ..KfacConfig::default()
        }),
        "StepRule::Fixed::lr must be a finite number > 0, got -0.1",
    );
    let hf = |config: HessianFreeConfig| HessianFree::new(config);
    refused(
        &t,
        &mut hf(HessianFreeConfig {
            damping: -1.0,
            ..HessianFreeConfig::default()
        }),
        "HessianFreeConfig::damping must be a finite number ≥ 0, got -1",
    );
    refused(
        &t,
        &mut hf(HessianFreeConfig {
            backtrack_grid: 1.0,
            ..HessianFreeConfig::default()
        }),
        "HessianFreeConfig::backtrack_grid must be a finite number > 1, got 1",
    );
    refused(
        &t,
        &mut NaturalGradient::new().damping(-1.0),
        "NaturalGradient::damping must be a finite number ≥ 0, got -1",
    );
    refused(
        &t,
        &mut NaturalGradient::new().solver(Solver::Cg {
            max_iter: 0,
            rel_tol: 1e-6,
        }),
        "Solver::Cg::max_iter must be at least 1, got 0",
    );
    refused(
        &t,
        &mut FullBatch::new(optim::solvers::Lbfgs::default(), 0),
        "FullBatch::iterations must be at least 1, got 0",
    );
}

#[test]
fn the_defaults_pass_their_own_checks() {
    assert_eq!(quiet().validate(), Ok(()));
    assert_eq!(Trainer::default().validate(), Ok(()));
    assert_eq!(TrainingMethod::validate(&Adam::new()), Ok(()));
    assert_eq!(TrainingMethod::validate(&Adam::adamw()), Ok(()));
    assert_eq!(
        TrainingMethod::validate(&Sgd::new(0.1).nesterov(0.9)),
        Ok(())
    );
    assert_eq!(TrainingMethod::validate(&RmsProp::new()), Ok(()));
    assert_eq!(TrainingMethod::validate(&AdaGrad::new()), Ok(()));
    assert_eq!(TrainingMethod::validate(&Shampoo::new(Adam::new())), Ok(()));
    assert_eq!(Kfac::default().validate(), Ok(()));
    assert_eq!(
        Kfac::new(KfacConfig::seed_article(1e-2, 0.1)).validate(),
        Ok(())
    );
    assert_eq!(HessianFree::default().validate(), Ok(()));
    assert_eq!(NaturalGradient::new().validate(), Ok(()));
}

fn named(names: &[&str]) -> Result<Params, ParamsError> {
    Params::new(
        names
            .iter()
            .map(|n| (n.to_string(), Tensor::zeros(&[2])))
            .collect(),
    )
}

#[test]
fn names_that_cannot_go_into_a_checkpoint_are_refused() {
    assert_eq!(
        named(&["w", "b", "w"]).unwrap_err(),
        ParamsError::Duplicate {
            name: "w".into(),
            first: 0,
            second: 2
        }
    );
    assert_eq!(
        named(&["w", ""]).unwrap_err(),
        ParamsError::Empty { index: 1 }
    );
    for bad in ["layer\n0", "tab\there", "nul\0"] {
        assert_eq!(
            named(&[bad]).unwrap_err(),
            ParamsError::ControlCharacter { name: bad.into() }
        );
    }
    assert_eq!(
        named(&["__metadata__"]).unwrap_err(),
        ParamsError::Reserved {
            name: "__metadata__".into()
        }
    );
    let long = "x".repeat(models::MAX_NAME_LEN + 1);
    assert!(matches!(
        named(&[&long]).unwrap_err(),
        ParamsError::TooLong { len, .. } if len == models::MAX_NAME_LEN + 1
    ));
    // The limit itself, dots, slashes and non-ASCII letters are fine.
    let longest = "x".repeat(models::MAX_NAME_LEN);
    assert!(named(&[&longest, "layers.0/weight", "poids_ü"]).is_ok());
}

#[test]
fn a_step_taken_directly_checks_the_settings_too() {
    let mlp = Mlp::new(4)
        .dense(5, Activation::Tanh)
        .dense(3, Activation::Identity);
    let iris = data::iris();
    let problem = Supervised::new(mlp.clone(), SoftmaxCrossEntropy, iris.clone()).unwrap();
    let mut params = mlp.init(0);
    let err = Adam::new()
        .lr(-1.0)
        .step(&problem, &mut params, &iris)
        .unwrap_err();
    assert_eq!(
        err,
        StepError::Settings(Adam::new().lr(-1.0).validate().unwrap_err())
    );
    assert_eq!(
        err.to_string(),
        "Adam::lr must be a finite number > 0, got -1"
    );
    let kfac = KfacConfig {
        damping: -1.0,
        ..KfacConfig::default()
    };
    let err = Kfac::new(kfac)
        .step(&problem, &mut params, &iris)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "KfacConfig::damping must be a finite number ≥ 0, got -1"
    );
    assert_eq!(params, mlp.init(0));
}
