//! One full-batch training step on the red-wine MLP (11-32-6 tanh, softmax
//! cross-entropy, the 1 199 training wines of a 75/25 split, standardised):
//! Adam against K-FAC with kfac-jax's defaults (Monte-Carlo Fisher, factor
//! EMA, inverses every 10 steps, quadratic-model step, damping adapted
//! every 5 steps), and the parts of a K-FAC step. Each method is timed over
//! a run of 20 steps from the same start, so K-FAC's inverse and damping
//! steps are counted in their proportion; the throughput is the step
//! count, so criterion's `elem/s` is steps per second.
//!
//! ```text
//! cargo bench -p benches --bench second_order
//! ```

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use models::second_order::Kfac;
use models::{
    data, Activation, Adam, Mlp, SoftmaxCrossEntropy, Standardizer, Supervised, TrainingMethod,
};

/// Steps per timed run.
const STEPS: usize = 20;

fn second_order(c: &mut Criterion) {
    let (train, _) = data::wine_quality().split(0.25, 0).expect("a 75/25 split");
    let train = Standardizer::fit(&train).apply(&train);
    let mlp = Mlp::new(11)
        .dense(32, Activation::Tanh)
        .dense(6, Activation::Identity);
    let start = mlp.init(0);
    let problem = Supervised::new(mlp, SoftmaxCrossEntropy, train.clone())
        .expect("the MLP fits the wine data by construction");
    let mut g = c.benchmark_group("second_order/wine_11_32_6_full_batch");
    g.throughput(Throughput::Elements(STEPS as u64));
    g.bench_function("adam", |b| {
        b.iter(|| {
            let (mut p, mut adam) = (start.clone(), Adam::new().lr(1e-2));
            for _ in 0..STEPS {
                adam.step(&problem, &mut p, &train).expect("step");
            }
            p
        })
    });
    g.bench_function("kfac", |b| {
        b.iter(|| {
            let (mut p, mut kfac) = (start.clone(), Kfac::default());
            for _ in 0..STEPS {
                kfac.step(&problem, &mut p, &train).expect("step");
            }
            p
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::quick(5);
    targets = second_order
}
criterion_main!(benches);
