//! Times our gradient, exact `H·v` alone (`hvp`, by `hvp_only`), value,
//! gradient and `H·v` from one sweep (`hvp_with_grad`, by `hvp`), a repeated
//! `H·v` at one point (the point recorded once by `linearize`, outside the
//! timing), `H·V` for 8 directions (one batched sweep, `hvp_batch_only`), 8
//! separate `H·v` (`hvp_only`), and a central-difference `H·v` (two
//! gradients) for the three MLPs of issue 8, and prints one JSON line per
//! measurement. The names match the JAX side's (`compare_jax.py`).
//!
//! Each figure is the median of `--runs` timed calls (plain
//! `std::time::Instant`) after `--warmup` untimed calls; every call builds
//! its own tape, as a user's call would.
//!
//! ```text
//! cargo run --release -p benches --bin compare_ours -- [--runs 20] [--warmup 5] [--model 784] [--dtype f32]
//! ```
//!
//! `--dtype f32` times the same problems in single precision (the values
//! drawn in `f64` and rounded); the JSON lines carry the `dtype`.
//!
//! `--model S` keeps only the MLPs whose name contains `S`; `--op OP` only
//! the measurement named `OP` (for profiling one of them).

use std::hint::black_box;
use std::time::Instant;

use autodiff::{
    check, flatten, func_of, hvp, hvp_batch_only, hvp_only, value_and_grad, Scalar, TensorOf,
};
use benches::{median, MlpProblem, MlpSpec};

/// Directions in the batched `H·V`.
const LANES: usize = 8;

struct Options {
    runs: usize,
    warmup: usize,
    model: Option<String>,
    op: Option<String>,
    single: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        runs: 20,
        warmup: 5,
        model: None,
        op: None,
        single: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--runs" => {
                opts.runs = value("--runs")?
                    .parse()
                    .map_err(|e| format!("--runs: {e}"))?
            }
            "--warmup" => {
                opts.warmup = value("--warmup")?
                    .parse()
                    .map_err(|e| format!("--warmup: {e}"))?
            }
            "--model" => opts.model = Some(value("--model")?),
            "--op" => opts.op = Some(value("--op")?),
            "--dtype" => {
                opts.single = match value("--dtype")?.as_str() {
                    "f32" => true,
                    "f64" => false,
                    other => return Err(format!("--dtype: {other:?} is not f32 or f64")),
                }
            }
            "-h" | "--help" => {
                return Err(
                    "usage: compare_ours [--runs N] [--warmup W] [--model SUBSTRING] [--op OP] [--dtype f32|f64]"
                        .into(),
                )
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if opts.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(opts)
}

/// Wall time of `f` in milliseconds, over `runs` calls after `warmup`:
/// `(median, minimum)`.
fn time_ms<R>(opts: &Options, mut f: impl FnMut() -> R) -> (f64, f64) {
    for _ in 0..opts.warmup {
        black_box(f());
    }
    let mut ms: Vec<f64> = (0..opts.runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    let min = ms.iter().copied().fold(f64::INFINITY, f64::min);
    (median(&mut ms), min)
}

/// Times `f` unless `--op` excludes `op`, and prints its JSON line.
fn measure<S: Scalar, R>(spec: &MlpSpec, op: &str, opts: &Options, f: impl FnMut() -> R) {
    if opts.op.as_deref().is_some_and(|o| o != op) {
        return;
    }
    let (median_ms, min_ms) = time_ms(opts, f);
    println!(
        "{{\"impl\":\"ours\",\"dtype\":\"{}\",\"model\":\"{}\",\"head\":\"{}\",\"params\":{},\"op\":\"{}\",\"median_ms\":{:.6},\"min_ms\":{:.6},\"runs\":{},\"warmup\":{}}}",
        S::NAME,
        spec.name(),
        spec.head.name(),
        spec.n_params(),
        op,
        median_ms,
        min_ms,
        opts.runs,
        opts.warmup
    );
}

fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    for spec in MlpSpec::all() {
        if let Some(m) = &opts.model {
            if !spec.name().contains(m.as_str()) {
                continue;
            }
        }
        if opts.single {
            time_problem::<f32>(&spec, &opts);
        } else {
            time_problem::<f64>(&spec, &opts);
        }
    }
}

/// Every measurement of one MLP in precision `S`.
fn time_problem<S: Scalar>(spec: &MlpSpec, opts: &Options) {
    let p = MlpProblem::<S>::of(spec);
    let f = func_of::<S, _>(|v| p.loss(v));
    let lanes = p.lanes(LANES);
    let separate: Vec<Vec<TensorOf<S>>> = (0..LANES).map(|j| MlpProblem::lane(&lanes, j)).collect();
    let h = check::default_step(&flatten(&p.params));

    measure::<S, _>(spec, "grad", opts, || value_and_grad(f, &p.params));
    measure::<S, _>(spec, "hvp", opts, || hvp_only(f, &p.params, &p.dirs));
    measure::<S, _>(spec, "hvp_with_grad", opts, || hvp(f, &p.params, &p.dirs));
    #[cfg(feature = "linearize")]
    if opts.op.as_deref().is_none_or(|o| o == "hvp_linearized") {
        // Recorded once, outside the timing: this is the cost of each
        // further H·v at the same point.
        let lin = autodiff::linearize(f, &p.params);
        measure::<S, _>(spec, "hvp_linearized", opts, || lin.hvp(&p.dirs));
    }
    measure::<S, _>(spec, "hvp8_batched", opts, || {
        hvp_batch_only(f, &p.params, &lanes)
    });
    measure::<S, _>(spec, "hvp8_separate", opts, || {
        separate
            .iter()
            .map(|d| hvp_only(f, &p.params, d))
            .collect::<Vec<_>>()
    });
    measure::<S, _>(spec, "fd_hvp", opts, || {
        check::fd_hvp(f, &p.params, &p.dirs, h)
    });
}
