//! Gradient, exact H·v, H·V for 8 directions (one batched sweep and 8
//! separate sweeps), central-difference H·v (two gradients), and repeated H·v
//! at one point (`linearize`), for the three MLPs of issue 8
//! (see `benches::MlpSpec`). Every iteration builds its own tape, as a
//! user's call would; `linearize` is recorded once outside the timed loop.
//!
//! ```text
//! cargo bench -p benches --bench mlp
//! ```

mod common;

use autodiff::{check, flatten, func, hvp, hvp_batch, hvp_only, value_and_grad, Tensor};
use benches::{MlpProblem, MlpSpec};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};

const LANES: usize = 8;

fn mlp(c: &mut Criterion) {
    for spec in MlpSpec::all() {
        let p = MlpProblem::new(&spec);
        let f = func(|v| p.loss(v));
        let lanes = p.lanes(LANES);
        let separate: Vec<Vec<Tensor>> = (0..LANES).map(|j| MlpProblem::lane(&lanes, j)).collect();
        let h = check::default_step(&flatten(&p.params));
        #[cfg(feature = "linearize")]
        let lin = autodiff::linearize(f, &p.params);

        let mut g = c.benchmark_group(format!("mlp/{}", spec.name()));
        g.sampling_mode(SamplingMode::Flat);
        let id = |op: &str| BenchmarkId::from_parameter(op);
        g.bench_function(id("grad"), |b| b.iter(|| value_and_grad(f, &p.params)));
        g.bench_function(id("hvp"), |b| b.iter(|| hvp(f, &p.params, &p.dirs)));
        g.bench_function(id("hvp_only"), |b| {
            b.iter(|| hvp_only(f, &p.params, &p.dirs))
        });
        g.bench_function(id("fd_hvp"), |b| {
            b.iter(|| check::fd_hvp(f, &p.params, &p.dirs, h))
        });
        #[cfg(feature = "linearize")]
        g.bench_function(id("hvp_repeated_linearized"), |b| {
            b.iter(|| lin.hvp(&p.dirs))
        });
        g.bench_function(id("hvp8_batched"), |b| {
            b.iter(|| hvp_batch(f, &p.params, &lanes))
        });
        g.bench_function(id("hvp8_separate"), |b| {
            b.iter(|| {
                separate
                    .iter()
                    .map(|d| hvp(f, &p.params, d).hvp)
                    .collect::<Vec<_>>()
            })
        });
        #[cfg(feature = "linearize")]
        g.bench_function(id("hvp8_linearized_batched"), |b| {
            b.iter(|| lin.hvp_batch(&lanes))
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::quick(2);
    targets = mlp
}
criterion_main!(benches);
