//! Heap memory of the MLP passes, counted by a global allocator that tracks
//! the bytes live and their peak. For each MLP of issue 8 it prints one JSON
//! line per pass with:
//!
//! - `tape_bytes`: heap held after the forward pass has been recorded
//!   (the tape: every node's value, plus tangents when directions are given),
//!   above what was live before the tape was created;
//! - `peak_bytes`: the peak during forward and reverse sweep together,
//!   above the same starting point;
//! - `activations_bytes`: for scale, the bytes of the layer outputs a
//!   reverse sweep needs (`batch × width` for every hidden and output layer,
//!   once for the pre-activations and once for the activations of hidden
//!   layers), times `1 + K` when `K` tangent lanes ride along.
//!
//! Bytes are those requested from the allocator. The engine requests buffers
//! of 8 KiB and more with their capacity rounded up to a power of two (so a
//! recycled buffer fits any later request of its size class); pages past the
//! values written are never touched, so resident memory can be below these
//! figures by up to half. Buffers freed during the sweep stay in the engine's
//! pool and keep counting.
//!
//! ```text
//! cargo run --release -p benches --bin peak_memory [-- --dtype f32]
//! ```
//!
//! Every line carries its `dtype`: `f64` by default, `f32` with `--dtype f32`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use autodiff::{Scalar, TapeOf, TensorOf};
use benches::{MlpProblem, MlpSpec};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to the system allocator unchanged; the
// counters are only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes of `S` of the layer outputs a reverse sweep needs, per lane.
fn activation_bytes<S: Scalar>(spec: &MlpSpec) -> usize {
    let layers = spec.sizes.len() - 1;
    let values: usize = spec.sizes[1..]
        .iter()
        .enumerate()
        .map(|(l, &w)| spec.batch * w * if l + 1 < layers { 2 } else { 1 })
        .sum();
    values * std::mem::size_of::<S>()
}

/// Records the forward pass on a fresh tape (with `lanes` directions when
/// given) and runs the reverse sweep; returns `(tape_bytes, peak_bytes)`.
fn measure<S: Scalar>(p: &MlpProblem<S>, lanes: Option<&[TensorOf<S>]>) -> (usize, usize) {
    // Start from an empty buffer pool, so that every buffer the pass uses is
    // counted when it is allocated; buffers the sweep frees stay in the pool
    // and so still count, as they stay in memory.
    autodiff::release_buffers();
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let tape_bytes;
    {
        let tape = TapeOf::<S>::new();
        let vars: Vec<_> = match lanes {
            None => p.params.iter().map(|x| tape.var(x.clone())).collect(),
            Some(l) => p
                .params
                .iter()
                .zip(l)
                .map(|(x, v)| tape.var_with_tangents(x.clone(), v.clone()))
                .collect(),
        };
        let out = p.loss(&vars);
        tape_bytes = LIVE.load(Ordering::Relaxed).saturating_sub(base);
        let adj = tape.backward(out);
        let grads: Vec<TensorOf<S>> = vars.iter().map(|&v| adj.grad(v)).collect();
        std::hint::black_box(grads);
    }
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    (tape_bytes, peak)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["--dtype", "f64"] => report::<f64>(),
        ["--dtype", "f32"] => report::<f32>(),
        _ => {
            eprintln!("usage: peak_memory [--dtype f32|f64]");
            std::process::exit(2);
        }
    }
}

/// A pass: its name, its tangent lanes (none for a gradient) and their count.
type Pass<'a, S> = (&'static str, Option<&'a [TensorOf<S>]>, usize);

/// One JSON line per MLP and pass, in precision `S`.
fn report<S: Scalar>() {
    for spec in MlpSpec::all() {
        let p = MlpProblem::<S>::of(&spec);
        let one = p.lanes(1);
        let eight = p.lanes(8);
        let cases: [Pass<S>; 3] = [
            ("grad", None, 0),
            ("hvp", Some(&one), 1),
            ("hvp8_batched", Some(&eight), 8),
        ];
        for (op, lanes, k) in cases {
            let (tape_bytes, peak_bytes) = measure(&p, lanes);
            println!(
                "{{\"dtype\":\"{}\",\"model\":\"{}\",\"op\":\"{}\",\"tape_bytes\":{},\"peak_bytes\":{},\"activations_bytes\":{},\"params_bytes\":{}}}",
                S::NAME,
                spec.name(),
                op,
                tape_bytes,
                peak_bytes,
                activation_bytes::<S>(&spec) * (1 + k),
                spec.n_params() * std::mem::size_of::<S>()
            );
        }
    }
}
