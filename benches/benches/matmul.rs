//! Matrix products alone: `n × n` by `n × n`, f64, through the engine
//! (`tape.constant(a).matmul(tape.constant(b))` on a fresh tape, so the cost
//! includes recording the node and allocating the result). The throughput is
//! `2 n³` floating-point operations, so criterion's `elem/s` reads as FLOP/s
//! (`Gelem/s` = GFLOP/s).
//!
//! ```text
//! cargo bench -p benches --bench matmul
//! ```

mod common;

use autodiff::{Tape, Tensor};
use benches::matmul_flops;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn matmul(c: &mut Criterion) {
    let mut g = c.benchmark_group("matmul");
    for n in [64, 128, 256, 512, 1024] {
        let a = Tensor::randn(&[n, n], 1);
        let b = Tensor::randn(&[n, n], 2);
        g.throughput(Throughput::Elements(matmul_flops(n)));
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |bench, _| {
            bench.iter(|| {
                let tape = Tape::new();
                tape.constant(a.clone())
                    .matmul(tape.constant(b.clone()))
                    .value()
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::quick(2);
    targets = matmul
}
criterion_main!(benches);
