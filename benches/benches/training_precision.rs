//! One training step of the 784-256-256-10 tanh MLP (softmax cross-entropy,
//! a batch of 256 random inputs with random labels) in f64 and in f32, for
//! a first-order method (Adam) and a second-order one (K-FAC with its
//! defaults, timed over 10 steps so that its inverse step counts in its
//! proportion): what training in f32 buys, measured side by side. The
//! throughput is the step count, so criterion's `elem/s` is steps per
//! second.
//!
//! ```text
//! cargo bench -p benches --bench training_precision
//! ```

mod common;

use autodiff::{Scalar, Tensor};
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use models::second_order::Kfac;
use models::{
    Activation, Adam, Dataset, Mlp, Params, SoftmaxCrossEntropy, Supervised, Targets,
    TrainingMethod,
};

/// Steps per timed run.
const STEPS: usize = 10;

/// `STEPS` steps of a fresh `method` from `start`, timed in precision `S`.
fn bench_steps<S: Scalar, T: TrainingMethod>(
    g: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    problem: &Supervised<Mlp, SoftmaxCrossEntropy, S>,
    start: &Params<S>,
    method: impl Fn() -> T,
) {
    g.bench_function(format!("{name}/{}", S::NAME), |b| {
        b.iter(|| {
            let (mut p, mut m) = (start.clone(), method());
            for _ in 0..STEPS {
                m.step(problem, &mut p, problem.data()).expect("step");
            }
            p
        })
    });
}

fn training_precision(c: &mut Criterion) {
    let (batch, classes) = (256, 10);
    let features = Tensor::randn(&[batch, 784], 0);
    let labels = (0..batch).map(|i| (i * 7) % classes).collect();
    let data = Dataset::new(features, Targets::Classes { labels, classes })
        .expect("random features and in-range labels");
    let mlp = Mlp::new(784)
        .dense(256, Activation::Tanh)
        .dense(256, Activation::Tanh)
        .dense(classes, Activation::Identity);
    let start = mlp.init(0);
    let start32 = start
        .cast::<f32>()
        .expect("initial weights lie in f32's range");
    let data32 = data
        .cast::<f32>()
        .expect("standard normal features lie in f32's range");
    let problem = Supervised::new(mlp.clone(), SoftmaxCrossEntropy, data).expect("fits");
    let problem32 = Supervised::new(mlp, SoftmaxCrossEntropy, data32).expect("fits");

    let mut g = c.benchmark_group("training_precision/mlp_784_256_256_10_batch_256");
    g.throughput(Throughput::Elements(STEPS as u64));
    let adam = || Adam::new().lr(1e-3);
    bench_steps(&mut g, "adam", &problem, &start, adam);
    bench_steps(&mut g, "adam", &problem32, &start32, adam);
    bench_steps(&mut g, "kfac", &problem, &start, Kfac::default);
    bench_steps(&mut g, "kfac", &problem32, &start32, Kfac::default);
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::quick(10);
    targets = training_precision
}
criterion_main!(benches);
