//! Fork-join on persistent helper threads: the engine's one source of
//! parallelism, used to run the two halves of a large matrix product at
//! once ([`crate::kernels`]).
//!
//! [`join`] hands its second job to a helper thread and runs the first
//! itself. The helpers form a binary tree (one helper for two threads,
//! three for four, …): a job forks only into the part of the tree below its
//! own node, so halves of halves spread over the threads that are left and
//! no job ever waits on a thread above it. Idle helpers sleep on a channel.
//!
//! The number of threads is read once, from `AUTODIFF_NUM_THREADS` when it
//! holds a positive number, else from the machine's available parallelism,
//! and rounded down to a power of two (at most 4 096).

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use thread_tree::ThreadTree;

thread_local! {
    /// The node of the tree that a join on this thread forks at: the root
    /// (0) on a thread that is not running a job of ours.
    static NODE: Cell<usize> = const { Cell::new(0) };
}

/// Threads the engine may use: `AUTODIFF_NUM_THREADS` when it holds a
/// positive number, else the available parallelism.
fn threads() -> usize {
    std::env::var("AUTODIFF_NUM_THREADS")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A forking node: one helper thread, and whether a join is using it.
struct Node {
    helper: ThreadTree,
    busy: AtomicBool,
}

impl Node {
    /// Takes the helper for one join, unless another thread has it.
    fn claim(&self) -> Option<Claim<'_>> {
        self.busy
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
            .then_some(Claim(self))
    }
}

/// A claimed node, handed back when dropped (also on a panic).
struct Claim<'a>(&'a Node);

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.0.busy.store(false, Ordering::Release);
    }
}

/// The forking nodes of a complete binary tree with `2^levels` leaves, in
/// breadth-first order (node `i` forks into `2i + 1` and `2i + 2`), each
/// with one helper thread: with the caller, `2^levels` threads.
fn nodes() -> &'static [Node] {
    static NODES: OnceLock<Vec<Node>> = OnceLock::new();
    NODES.get_or_init(|| {
        let levels = threads().ilog2().min(12);
        (1..1usize << levels)
            .map(|_| Node {
                helper: *ThreadTree::new_with_level(1),
                busy: AtomicBool::new(false),
            })
            .collect()
    })
}

/// Whether [`join`] on this thread would now run its two jobs on two
/// threads: this thread's node has a helper and no other join holds it.
pub(crate) fn forks() -> bool {
    nodes()
        .get(NODE.with(Cell::get))
        .is_some_and(|n| !n.busy.load(Ordering::Relaxed))
}

/// Runs `job` with `node` as the current thread's forking node, restoring
/// the previous one afterwards (also when `job` panics).
fn at_node<R>(node: usize, job: impl FnOnce() -> R) -> R {
    struct Restore(usize);
    impl Drop for Restore {
        fn drop(&mut self) {
            NODE.with(|n| n.set(self.0));
        }
    }
    let _restore = Restore(NODE.with(|n| n.replace(node)));
    job()
}

/// Runs `a` and `b` and returns both results: `b` on a helper thread while
/// `a` runs here when this thread's node of the tree has a helper that no
/// other join holds, else one after the other on this thread — so threads
/// of the caller's own that multiply at the same time never queue for a
/// helper. A job forks further only into the nodes below, so nested joins
/// never wait on a thread above them. A panic in either job is propagated
/// after both have finished.
pub(crate) fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    let node = NODE.with(Cell::get);
    match nodes().get(node).and_then(Node::claim) {
        Some(claim) => claim
            .0
            .helper
            .top()
            .join(|_| at_node(2 * node + 1, a), |_| at_node(2 * node + 2, b)),
        None => (a(), b()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_jobs_run_and_nested_joins_reach_the_bottom() {
        // Four levels of nesting on any number of threads: every leaf runs
        // exactly once, and each nested join either forks or runs in order.
        fn count(depth: u32) -> u64 {
            if depth == 0 {
                return 1;
            }
            let (a, b) = join(|| count(depth - 1), || count(depth - 1));
            a + b
        }
        assert_eq!(count(4), 16);
    }

    #[test]
    fn joins_from_many_threads_at_once_all_complete() {
        // More callers than helpers: a caller that finds its node's helper
        // taken runs both jobs itself instead of waiting for it.
        let sums: Vec<u64> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8u64)
                .map(|t| {
                    scope.spawn(move || {
                        (0..200u64)
                            .map(|i| {
                                let (a, b) = join(|| t * i, || t + i);
                                a + b
                            })
                            .sum::<u64>()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (t, sum) in sums.iter().enumerate() {
            let t = t as u64;
            assert_eq!(*sum, (0..200u64).map(|i| t * i + t + i).sum::<u64>());
        }
    }

    #[test]
    fn a_panic_in_the_second_job_reaches_the_caller_and_the_level_is_restored() {
        let caught = std::panic::catch_unwind(|| join(|| 1, || -> i32 { panic!("second job") }));
        assert!(caught.is_err());
        // This thread forks at the root again, and later joins still run.
        assert_eq!(NODE.with(Cell::get), 0);
        assert_eq!(join(|| 2, || 3), (2, 3));
    }
}
