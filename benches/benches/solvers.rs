//! L-BFGS and Newton-CG on the extended Rosenbrock function with
//! `n = 100 000` (`optim::problems::extended_rosenbrock`, standard start
//! `(-1.2, 1, ...)`, derivatives from the engine), each run for a fixed
//! number of iterations. The throughput is the iteration count of one run,
//! so criterion's `elem/s` is iterations per second (its inverse the time
//! per iteration). The evaluation counts of one run (values, gradients,
//! H·v) are printed before the timings, since an iteration's cost depends
//! on them.
//!
//! ```text
//! cargo bench -p benches --bench solvers
//! ```

mod common;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use optim::objective::Counted;
use optim::problems::extended_rosenbrock;
use optim::solvers::{Lbfgs, Minimizer, NewtonCg, Options};

/// Variables.
const N: usize = 100_000;
/// Iterations per timed run.
const ITERS: usize = 10;

fn solvers(c: &mut Criterion) {
    let problem = extended_rosenbrock(N);
    let objective = problem.objective();
    let options = Options {
        gtol: 0.0,
        max_iter: ITERS,
        ..Options::default()
    };
    let solvers: [(&str, Box<dyn Minimizer>); 2] = [
        ("lbfgs", Box::new(Lbfgs::default())),
        ("newton_cg", Box::new(NewtonCg::default())),
    ];
    let mut g = c.benchmark_group(format!("solvers/ext_rosenbrock_{N}"));
    g.sampling_mode(SamplingMode::Flat);
    for (name, solver) in &solvers {
        let counted = Counted::new(&objective);
        let report = solver.minimize(&counted, &problem.x0, &options);
        let counts = counted.counts();
        eprintln!(
            "{name}: {} iterations, status {:?}, f = {:.6e}; per run: {} values, {} gradients, {} H·v",
            report.iterations, report.status, report.f, counts.f, counts.grad, counts.hvp
        );
        g.throughput(Throughput::Elements(report.iterations.max(1) as u64));
        g.bench_function(
            BenchmarkId::new(*name, format!("{ITERS}_iterations")),
            |b| b.iter(|| solver.minimize(&objective, &problem.x0, &options)),
        );
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::quick(3);
    targets = solvers
}
criterion_main!(benches);
