//! The training loop: it lowers the loss, applies the schedule, stops early
//! and restores the best parameters, obeys the observer, and reports a
//! non-finite loss instead of carrying on.

use std::cell::Cell;

use autodiff::{Tensor, Var};
use models::curvature::Curvature;
use models::second_order::{Kfac, KfacConfig};
use models::{
    data, Activation, Adam, Control, EarlyStopping, Loss, Mlp, Mse, Schedule, ScheduleUnit, Sgd,
    SoftmaxCrossEntropy, StepError, StopReason, Supervised, Targets, Trainer,
};

fn moons_problem() -> (Supervised<Mlp, SoftmaxCrossEntropy>, models::Dataset, Mlp) {
    let (train, test) = data::two_moons(200, 0.15, 0).split(0.25, 1).unwrap();
    let mlp = Mlp::new(2)
        .dense(12, Activation::Tanh)
        .dense(2, Activation::Identity);
    (
        Supervised::new(mlp.clone(), SoftmaxCrossEntropy, train).unwrap(),
        test,
        mlp,
    )
}

fn quiet(epochs: usize) -> Trainer {
    Trainer {
        epochs,
        batch_size: 25,
        progress: false,
        ..Trainer::default()
    }
}

#[test]
fn training_lowers_the_loss_and_records_every_epoch() {
    let (problem, test, mlp) = moons_problem();
    let mut params = mlp.init(0);
    let (before, _) = problem.evaluate(params.tensors(), problem.data());
    let history = quiet(20)
        .fit(
            &problem,
            &mut params,
            &mut Adam::new().lr(0.03),
            Some(&test),
            |_| Control::Continue,
        )
        .unwrap();
    assert_eq!(history.stop, StopReason::Completed);
    assert_eq!(history.epochs.len(), 20);
    let last = history.last().unwrap();
    assert!(
        last.train_loss < 0.5 * before,
        "{before} -> {}",
        last.train_loss
    );
    // The record is measured on the parameters the loop returns.
    assert_eq!(
        problem.evaluate(params.tensors(), &test),
        (last.test_loss.unwrap(), last.test_accuracy)
    );
}

#[test]
fn the_schedule_sets_each_epochs_rate() {
    let (problem, _, mlp) = moons_problem();
    let trainer = Trainer {
        schedule: Schedule::Step {
            every: 2,
            factor: 0.5,
        },
        ..quiet(5)
    };
    let history = trainer
        .fit(&problem, &mut mlp.init(0), &mut Sgd::new(0.4), None, |_| {
            Control::Continue
        })
        .unwrap();
    let rates: Vec<Option<f64>> = history.epochs.iter().map(|r| r.learning_rate).collect();
    assert_eq!(rates, [0.4, 0.4, 0.2, 0.2, 0.1].map(Some));
    assert!(history.epochs.iter().all(|r| r.test_loss.is_none()));
}

#[test]
fn early_stopping_restores_the_best_parameters() {
    // A learning rate far too large makes the held-out loss get worse.
    let (problem, test, mlp) = moons_problem();
    let mut params = mlp.init(0);
    let trainer = Trainer {
        early_stopping: Some(EarlyStopping {
            patience: 3,
            min_delta: 0.0,
        }),
        ..quiet(200)
    };
    let history = trainer
        .fit(
            &problem,
            &mut params,
            &mut Sgd::new(0.3).momentum(0.9),
            Some(&test),
            |_| Control::Continue,
        )
        .unwrap();
    assert_eq!(history.stop, StopReason::EarlyStopped);
    let losses: Vec<f64> = history
        .epochs
        .iter()
        .map(|r| r.test_loss.unwrap())
        .collect();
    let best = losses.iter().copied().fold(f64::INFINITY, f64::min);
    let best_epoch = losses.iter().position(|&l| l == best).unwrap();
    assert_eq!(
        losses.len(),
        best_epoch + 1 + 3,
        "stops after `patience` epochs without improvement"
    );
    assert_eq!(problem.evaluate(params.tensors(), &test).0, best);
}

#[test]
fn the_observer_sees_each_epoch_and_can_stop() {
    let (problem, _, mlp) = moons_problem();
    let seen = Cell::new(0);
    let history = quiet(10)
        .fit(&problem, &mut mlp.init(0), &mut Adam::new(), None, |r| {
            assert_eq!(r.epoch, seen.get());
            seen.set(seen.get() + 1);
            if r.epoch == 3 {
                Control::Stop
            } else {
                Control::Continue
            }
        })
        .unwrap();
    assert_eq!(
        (history.stop, history.epochs.len(), seen.get()),
        (StopReason::Observer, 4, 4)
    );
}

#[test]
fn a_diverging_run_reports_a_non_finite_loss() {
    // Least squares with a step 1000 times past the stability limit 2/λ_max:
    // the error grows geometrically until it overflows.
    let (data, _) = data::ill_conditioned_regression(100, 3, 10.0, 0.1, 0).unwrap();
    let linear = Mlp::new(3).dense(1, Activation::Identity);
    let problem = Supervised::new(linear.clone(), Mse, data).unwrap();
    let history = quiet(200)
        .fit(
            &problem,
            &mut linear.init(0),
            &mut Sgd::new(1e3),
            None,
            |_| Control::Continue,
        )
        .unwrap();
    assert_eq!(history.stop, StopReason::NonFinite);
    assert!(!history.last().unwrap().train_loss.is_finite());
    assert!(history.epochs.len() < 200);
}

#[test]
fn a_schedule_can_count_steps() {
    // 150 training points in batches of 25: six steps per epoch.
    let (problem, _, mlp) = moons_problem();
    let trainer = Trainer {
        schedule: Schedule::Step {
            every: 4,
            factor: 0.5,
        },
        schedule_unit: ScheduleUnit::Steps,
        ..quiet(3)
    };
    let history = trainer
        .fit(&problem, &mut mlp.init(0), &mut Sgd::new(0.8), None, |_| {
            Control::Continue
        })
        .unwrap();
    // The rate at each epoch's last step: steps 5, 11 and 17, after 1, 2 and 4 halvings.
    let rates: Vec<Option<f64>> = history.epochs.iter().map(|r| r.learning_rate).collect();
    assert_eq!(rates, [0.4, 0.2, 0.05].map(Some));
}

/// A loss that gives only its value (squared error, summed per row).
struct ValueOnly;

impl Loss for ValueOnly {
    fn loss<'t>(&self, outputs: Var<'t>, targets: &Targets) -> Var<'t> {
        let y = outputs
            .tape()
            .constant(targets.values().expect("real targets").clone());
        (outputs - y).square().sum() / targets.len() as f64
    }
}

#[test]
fn failed_steps_are_recorded_and_leave_the_parameters_unchanged() {
    let x = Tensor::randn(&[40, 2], 3);
    let y = Tensor::from_fn(&[40, 1], |i| x.data()[2 * i] - x.data()[2 * i + 1]);
    let data = models::Dataset::new(x, Targets::Values(y)).expect("well-formed");
    let mlp = Mlp::new(2).dense(1, Activation::Identity);
    let problem = Supervised::new(mlp.clone(), ValueOnly, data).unwrap();
    let start = mlp.init(0);
    let mut params = start.clone();
    // A Monte-Carlo Fisher needs a sampler, which this loss does not have.
    let mut kfac = Kfac::new(KfacConfig {
        curvature: Curvature::MonteCarloFisher {
            samples: 1,
            seed: 0,
        },
        ..KfacConfig::default()
    });
    let history = quiet(2)
        .fit(&problem, &mut params, &mut kfac, None, |_| {
            Control::Continue
        })
        .unwrap();
    assert_eq!(params, start);
    assert_eq!(history.failures.len(), 4);
    assert!(history
        .epochs
        .iter()
        .all(|e| e.failed_steps == 2 && e.gradients == 0));
    assert!(matches!(
        history.failures[0].error,
        StepError::Unsupported(_)
    ));
    // With the Gauss-Newton matrix, which the engine derives from the value, it trains.
    let mut kfac = Kfac::new(KfacConfig {
        curvature: Curvature::GaussNewton,
        ..KfacConfig::default()
    });
    let history = quiet(5)
        .fit(&problem, &mut params, &mut kfac, None, |_| {
            Control::Continue
        })
        .unwrap();
    assert!(history.failures.is_empty());
    let last = history.last().expect("epochs ran");
    assert!(
        last.train_loss < 1e-3 && last.curvature_products > 0,
        "{last:?}"
    );
}
