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

use crate::tensor::Tensor;

/// One recorded primal: the op that made it and its value.
pub(crate) type Entry = (&'static str, Tensor);

enum Mode {
    Compute,
    Record(Vec<Entry>),
    Replay {
        log: Vec<Entry>,
        next: usize,
    },
    /// The primal of the next operation is already known (a node's stored value).
    Given(Option<Tensor>),
}

thread_local! {
    static MODE: RefCell<Mode> = const { RefCell::new(Mode::Compute) };
}

/// The primal result of operation `op`: computed, recorded, or replayed.
///
/// # Panics
/// When a replay asks for a different operation than was recorded at the same
/// position (the replayed graph is not the recorded one).
pub(crate) fn primal(op: &'static str, compute: impl FnOnce() -> Tensor) -> Tensor {
    let reused = MODE.with(|m| match &mut *m.borrow_mut() {
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
        if let Mode::Record(log) = &mut *m.borrow_mut() {
            log.push((op, value.clone()));
        }
    });
    value
}

/// Restores the previous mode when dropped, also when `f` panics.
struct Restore(Option<Mode>);

impl Drop for Restore {
    fn drop(&mut self) {
        if let Some(mode) = self.0.take() {
            MODE.with(|m| *m.borrow_mut() = mode);
        }
    }
}

fn with_mode<R>(mode: Mode, f: impl FnOnce() -> R) -> (R, Mode) {
    let mut restore = Restore(Some(MODE.with(|m| m.replace(mode))));
    let result = f();
    let previous = restore.0.take().expect("restored once");
    let finished = MODE.with(|m| m.replace(previous));
    (result, finished)
}

/// Runs `f`, returning its result and every primal computed during it, in order.
pub(crate) fn record<R>(f: impl FnOnce() -> R) -> (R, Vec<Entry>) {
    match with_mode(Mode::Record(Vec::new()), f) {
        (result, Mode::Record(log)) => (result, log),
        _ => unreachable!("the mode is only changed through with_mode"),
    }
}

/// Runs `f` with its primals taken, in order, from `log`.
pub(crate) fn replay<R>(log: &[Entry], f: impl FnOnce() -> R) -> R {
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
pub(crate) fn given<R>(value: Tensor, f: impl FnOnce() -> R) -> R {
    with_mode(Mode::Given(Some(value)), f).0
}
