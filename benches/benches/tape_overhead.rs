//! Tape overhead for scalar-heavy code: the extended Rosenbrock function
//! built from `n` scalar vars, one small op at a time
//! (`benches::scalar_rosenbrock`). The throughput is the number of nodes
//! recorded on the tape (leaves included), so criterion's `elem/s` is
//! recorded ops per second and its inverse the cost per op, for recording
//! alone, recording + reverse sweep, and recording + forward-over-reverse
//! (one tangent lane).
//!
//! ```text
//! cargo bench -p benches --bench tape_overhead
//! ```

mod common;

use autodiff::{Tape, Tensor};
use benches::{rosenbrock_point, scalar_rosenbrock};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn tape_overhead(c: &mut Criterion) {
    let mut g = c.benchmark_group("tape_overhead/scalar_rosenbrock");
    for n in [100, 1_000, 10_000] {
        let x = rosenbrock_point(n);
        let nodes = {
            let tape = Tape::new();
            let vars: Vec<_> = x.iter().map(|t| tape.var(t.clone())).collect();
            let _ = scalar_rosenbrock(&vars);
            tape.len()
        };
        g.throughput(Throughput::Elements(nodes as u64));
        g.bench_with_input(BenchmarkId::new("record", n), &x, |b, x| {
            b.iter(|| {
                let tape = Tape::new();
                let vars: Vec<_> = x.iter().map(|t| tape.var(t.clone())).collect();
                scalar_rosenbrock(&vars).item()
            })
        });
        g.bench_with_input(BenchmarkId::new("record+grad", n), &x, |b, x| {
            b.iter(|| autodiff::value_and_grad(scalar_rosenbrock, x))
        });
        let v: Vec<Tensor> = (0..n)
            .map(|i| Tensor::scalar(1.0 / (1 + i) as f64))
            .collect();
        g.bench_with_input(BenchmarkId::new("record+hvp", n), &x, |b, x| {
            b.iter(|| autodiff::hvp(scalar_rosenbrock, x, &v))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::quick(2);
    targets = tape_overhead
}
criterion_main!(benches);
