//! Reuse of primal work when many tangent sweeps run at one point.
//!
//! Newton-CG, Lanczos and CG ask for many H·v at the same x. The primal
//! values of the forward pass and of the reverse sweep do not depend on the
//! direction, only the tangents do. Every dual operation obtains its primal
//! through [`primal`], which normally just computes it; while a sweep is
//! *recorded* the primals are also kept in order, and while it is *replayed*
//! they are taken from that record instead of being recomputed, so only the
//! tangent work is repeated (JAX's `linearize`).

use std::cell::RefCell;

use crate::scalar::Scalar;
use crate::tensor::TensorOf;

/// One recorded primal: the op that made it and its value.
pub(crate) type Entry<S> = (&'static str, TensorOf<S>);

/// What the dual operations of one element type do with their primals.
pub enum Mode<S: Scalar> {
    Compute,
    Record(Vec<Entry<S>>),
    Replay {
        log: Vec<Entry<S>>,
        next: usize,
    },
    /// The primal of the next operation is already known (a node's stored value).
    Given(Option<TensorOf<S>>),
}

/// A thread's modes, one per element type.
pub struct Modes {
    pub(crate) f64: Mode<f64>,
    pub(crate) f32: Mode<f32>,
}

thread_local! {
    static MODE: RefCell<Modes> = const {
        RefCell::new(Modes {
            f64: Mode::Compute,
            f32: Mode::Compute,
        })
    };
}

/// The primal result of operation `op`: computed, recorded, or replayed.
///
/// # Panics
/// When a replay asks for a different operation than was recorded at the same
/// position (the replayed graph is not the recorded one).
pub(crate) fn primal<S: Scalar>(
    op: &'static str,
    compute: impl FnOnce() -> TensorOf<S>,
) -> TensorOf<S> {
    let reused = MODE.with(|m| match &mut *S::mode(m) {
        Mode::Compute | Mode::Record(_) => None,
        Mode::Given(value) => value.take(),
        Mode::Replay { log, next } => {
            let (name, value) = log.get(*next).unwrap_or_else(|| {
                panic!("linearize: replay asked for more primals than were recorded ({op})")
            });
            assert_eq!(
                *name, op,
                "linearize: replay diverged from the recorded sweep at primal #{next}"
            );
            *next += 1;
            Some(value.clone())
        }
    });
    if let Some(value) = reused {
        return value;
    }
    let value = compute();
    MODE.with(|m| {
        if let Mode::Record(log) = &mut *S::mode(m) {
            log.push((op, value.clone()));
        }
    });
    value
}

/// Restores the previous mode when dropped, also when `f` panics.
struct Restore<S: Scalar>(Option<Mode<S>>);

impl<S: Scalar> Drop for Restore<S> {
    fn drop(&mut self) {
        if let Some(mode) = self.0.take() {
            MODE.with(|m| *S::mode(m) = mode);
        }
    }
}

fn with_mode<S: Scalar, R>(mode: Mode<S>, f: impl FnOnce() -> R) -> (R, Mode<S>) {
    let swap = |mode: Mode<S>| MODE.with(|m| std::mem::replace(&mut *S::mode(m), mode));
    let mut restore = Restore(Some(swap(mode)));
    let result = f();
    let previous = restore.0.take().expect("restored once");
    let finished = swap(previous);
    (result, finished)
}

/// Runs `f`, returning its result and every primal computed during it, in order.
pub(crate) fn record<S: Scalar, R>(f: impl FnOnce() -> R) -> (R, Vec<Entry<S>>) {
    match with_mode(Mode::Record(Vec::new()), f) {
        (result, Mode::Record(log)) => (result, log),
        _ => unreachable!("the mode is only changed through with_mode"),
    }
}

/// Runs `f` with its primals taken, in order, from `log`.
pub(crate) fn replay<S: Scalar, R>(log: &[Entry<S>], f: impl FnOnce() -> R) -> R {
    with_mode(
        Mode::Replay {
            log: log.to_vec(),
            next: 0,
        },
        f,
    )
    .0
}

/// Runs `f`, a single operation whose primal result is already known.
pub(crate) fn given<S: Scalar, R>(value: TensorOf<S>, f: impl FnOnce() -> R) -> R {
    with_mode(Mode::Given(Some(value)), f).0
}
