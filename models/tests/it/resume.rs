//! Resumable training: a run interrupted after some epochs, saved, dropped,
//! loaded into fresh objects and continued matches the uninterrupted run
//! bit for bit, parameters and history alike; and a run checkpoint is
//! refused by another architecture or another kind of method.

use std::path::{Path, PathBuf};

use models::checkpoint::{self, CheckpointError, Resumable};
use models::second_order::{HessianFree, HessianFreeConfig, Kfac, Preconditioner, Shampoo};
use models::{
    data, Activation, Adam, Control, EarlyStopping, EpochRecord, Mlp, Params, Schedule,
    ScheduleUnit, Sgd, SoftmaxCrossEntropy, Supervised, Trainer, TrainingMethod,
};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("models-resume-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn mlp() -> Mlp {
    Mlp::new(4)
        .dense(6, Activation::Tanh)
        .dense(3, Activation::Identity)
}

/// Iris (compiled in), in minibatches of 32: 5 steps per epoch, the last
/// one short, shuffled anew every epoch.
fn problem() -> Supervised<Mlp, SoftmaxCrossEntropy> {
    Supervised::new(mlp(), SoftmaxCrossEntropy, data::iris()).unwrap()
}

fn trainer(epochs: usize) -> Trainer {
    Trainer {
        epochs,
        batch_size: 32,
        seed: 3,
        progress: false,
        ..Trainer::default()
    }
}

fn bits(p: &Params) -> Vec<u64> {
    p.flatten().iter().map(|v| v.to_bits()).collect()
}

/// Everything in a record but the wall-clock time, as bits.
fn record_bits(r: &EpochRecord) -> Vec<u64> {
    let opt = |v: Option<f64>| v.map_or(u64::MAX, f64::to_bits);
    vec![
        r.epoch as u64,
        opt(r.learning_rate),
        r.train_loss.to_bits(),
        opt(r.train_accuracy),
        r.gradients as u64,
        r.curvature_products as u64,
        r.failed_steps as u64,
    ]
}

/// Trains `total` epochs straight, and `stop` epochs then — through a file,
/// with a fresh problem, parameters (drawn from another seed) and method —
/// the rest; asserts the parameters and every epoch's record are the same
/// bits.
fn resumes_bit_for_bit<S: TrainingMethod + Resumable>(
    name: &str,
    make: impl Fn() -> S,
    trainer: &Trainer,
    stop: usize,
) {
    let dir = scratch(name);
    let path = dir.join("run.safetensors");
    let go = |_: &EpochRecord| Control::Continue;

    let (mut straight, mut method) = (mlp().init(0), make());
    let whole = trainer
        .fit(&problem(), &mut straight, &mut method, None, go)
        .unwrap();

    let (mut params, mut method) = (mlp().init(0), make());
    let first = Trainer {
        epochs: stop,
        ..trainer.clone()
    };
    let head = first
        .fit(&problem(), &mut params, &mut method, None, go)
        .unwrap();
    checkpoint::save_run(&path, &mlp(), &params, &method, &head.progress).unwrap();
    drop((params, method, head.progress.clone()));

    let (mut resumed, mut method) = (mlp().init(99), make());
    let progress = checkpoint::load_run(&path, &mlp(), &mut resumed, &mut method).unwrap();
    assert_eq!(progress.epochs, stop);
    let tail = trainer
        .fit_from(progress, &problem(), &mut resumed, &mut method, None, go)
        .unwrap();

    assert_eq!(bits(&resumed), bits(&straight), "{name}: parameters differ");
    let joined: Vec<Vec<u64>> = head
        .epochs
        .iter()
        .chain(&tail.epochs)
        .map(record_bits)
        .collect();
    let expected: Vec<Vec<u64>> = whole.epochs.iter().map(record_bits).collect();
    assert_eq!(joined.len(), trainer.epochs);
    assert_eq!(joined, expected, "{name}: histories differ");
    assert_eq!(tail.progress.steps, whole.progress.steps);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn adam_with_a_step_schedule_and_early_stopping_resumes_bit_for_bit() {
    let trainer = Trainer {
        schedule: Schedule::Step {
            every: 7,
            factor: 0.7,
        },
        schedule_unit: ScheduleUnit::Steps,
        early_stopping: Some(EarlyStopping {
            patience: 100,
            min_delta: 0.0,
        }),
        ..trainer(6)
    };
    resumes_bit_for_bit("adam", || Adam::adamw().lr(0.02), &trainer, 2);
}

#[test]
fn sgd_with_nesterov_momentum_resumes_bit_for_bit() {
    resumes_bit_for_bit("sgd", || Sgd::new(0.05).nesterov(0.9), &trainer(5), 3);
}

#[test]
fn kfac_resumes_bit_for_bit_between_inverse_refreshes() {
    // 5 steps per epoch: after 3 epochs (15 steps) the inverses in use are
    // those of step 10, and the damping was last adapted at step 15.
    resumes_bit_for_bit("kfac", Kfac::default, &trainer(5), 3);
}

#[test]
fn shampoo_and_hessian_free_resume_bit_for_bit() {
    let shampoo = || Shampoo::new(Adam::new().lr(0.01)).update_every(3);
    resumes_bit_for_bit("shampoo", shampoo, &trainer(4), 1);
    let hf = || {
        HessianFree::new(HessianFreeConfig {
            max_cg: 10,
            preconditioner: Preconditioner::Identity,
            ..HessianFreeConfig::default()
        })
    };
    resumes_bit_for_bit("hessian-free", hf, &trainer(3), 2);
}

/// A run of Adam saved to `path` after one epoch.
fn saved_adam_run(path: &Path) {
    let mut params = mlp().init(0);
    let mut adam = Adam::new();
    let go = |_: &EpochRecord| Control::Continue;
    let history = trainer(1)
        .fit(&problem(), &mut params, &mut adam, None, go)
        .unwrap();
    checkpoint::save_run(path, &mlp(), &params, &adam, &history.progress).unwrap();
}

#[test]
fn a_run_is_refused_by_another_architecture_or_method_and_nothing_changes() {
    let dir = scratch("refused");
    let path = dir.join("run.safetensors");
    saved_adam_run(&path);

    let wider = Mlp::new(4)
        .dense(7, Activation::Tanh)
        .dense(3, Activation::Identity);
    let mut params = wider.init(5);
    let before = params.clone();
    let err = checkpoint::load_run(&path, &wider, &mut params, &mut Adam::new()).unwrap_err();
    assert!(
        matches!(&err, CheckpointError::Architecture { saved: Some(s), expected }
            if s == "mlp 4 -> 6 Tanh -> 3 Identity" && expected == "mlp 4 -> 7 Tanh -> 3 Identity"),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "the checkpoint was written for the architecture \"mlp 4 -> 6 Tanh -> 3 Identity\", \
         not \"mlp 4 -> 7 Tanh -> 3 Identity\""
    );
    assert_eq!(params, before);

    let mut params = mlp().init(5);
    let mut sgd = Sgd::new(0.1).momentum(0.9);
    let err = checkpoint::load_run(&path, &mlp(), &mut params, &mut sgd).unwrap_err();
    assert!(
        matches!(&err, CheckpointError::Method { saved: Some(s), expected } if s == "adam" && expected == "sgd"),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "the checkpoint holds the state of the method \"adam\", not \"sgd\""
    );
    assert_eq!(params, mlp().init(5));

    // A checkpoint of parameters alone has no run to resume.
    checkpoint::save(&path, &mlp().init(0)).unwrap();
    let err = checkpoint::load_run(&path, &mlp(), &mut params, &mut Adam::new()).unwrap_err();
    assert!(
        matches!(err, CheckpointError::Architecture { saved: None, .. }),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "the checkpoint was written for the architecture \"(none: it holds parameters alone)\", \
         not \"mlp 4 -> 6 Tanh -> 3 Identity\""
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_run_checkpoint_still_loads_as_parameters_and_is_checksummed() {
    let dir = scratch("as-params");
    let path = dir.join("run.safetensors");
    saved_adam_run(&path);
    let params = checkpoint::load_into(&path, &mlp().init(0)).unwrap();
    assert_eq!(params.names(), mlp().init(0).names());

    // One flipped bit in the last byte of the data (state or parameters)
    // is caught by the checksum.
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let err =
        checkpoint::load_run(&path, &mlp(), &mut mlp().init(0), &mut Adam::new()).unwrap_err();
    assert!(err.to_string().contains("checksum mismatch"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn saving_a_run_into_a_missing_folder_fails_and_leaves_nothing() {
    let dir = scratch("missing-folder");
    let path = dir.join("no-such-folder").join("run.safetensors");
    let params = mlp().init(0);
    let progress = models::Progress::default();
    let err = checkpoint::save_run(&path, &mlp(), &params, &Adam::new(), &progress).unwrap_err();
    assert!(matches!(err, CheckpointError::Io { .. }), "{err}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing left behind"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_parameter_named_like_a_state_entry_is_an_error_not_a_panic() {
    let dir = scratch("collision");
    let path = dir.join("run.safetensors");
    let params = Params::new(vec![(
        "trainer/steps".to_string(),
        autodiff::Tensor::scalar(1.0),
    )])
    .unwrap();
    let progress = models::Progress::default();
    let err = checkpoint::save_run(&path, &mlp(), &params, &Adam::new(), &progress).unwrap_err();
    assert!(
        err.to_string()
            .ends_with(": parameter name \"trainer/steps\" is used twice (positions 0 and 4)"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(dir).unwrap();
}
