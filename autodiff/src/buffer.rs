//! Value buffers that are recycled instead of returned to the allocator.
//!
//! A gradient or `H·v` call allocates every intermediate value afresh and
//! frees them all when its tape goes. Large blocks then go back to the
//! operating system and the next call pays a page fault for every page it
//! touches again (measured: 13–20% of an `H·v` on the benchmark MLPs). So a
//! tensor's buffer, when its last owner drops it, goes to a per-thread pool
//! instead, sorted into power-of-two capacity classes, and the kernels take
//! their output buffers from there.
//!
//! Only buffers of at least [`MIN_POOLED`] values are pooled (the allocator
//! serves small ones well), and the pools of all threads together hold at
//! most [`MAX_POOLED_BYTES`]; [`release_buffers`] gives the current thread's
//! pool back, and a thread's pool goes when the thread ends.

use std::cell::RefCell;
use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::scalar::Scalar;

/// Buffers with fewer values than this are left to the allocator.
const MIN_POOLED: usize = 1 << 10;
/// The most the pools of all threads hold together, in bytes.
const MAX_POOLED_BYTES: usize = 256 << 20;

/// Bytes held by the pools of all threads.
static POOLED_BYTES: AtomicUsize = AtomicUsize::new(0);

/// Free buffers of one element type by capacity class: class `c` holds
/// capacities in `[2ᶜ, 2ᶜ⁺¹)`.
pub struct Pool<S> {
    classes: Vec<Vec<Vec<S>>>,
    bytes: usize,
}

impl<S> Default for Pool<S> {
    fn default() -> Pool<S> {
        Pool {
            classes: Vec::new(),
            bytes: 0,
        }
    }
}

impl<S> Drop for Pool<S> {
    fn drop(&mut self) {
        POOLED_BYTES.fetch_sub(self.bytes, Ordering::Relaxed);
    }
}

/// A thread's pools, one per element type.
#[derive(Default)]
pub struct Pools {
    pub(crate) f64: Pool<f64>,
    pub(crate) f32: Pool<f32>,
}

thread_local! {
    static POOL: RefCell<Pools> = RefCell::new(Pools::default());
}

fn bytes<S>(capacity: usize) -> usize {
    capacity * std::mem::size_of::<S>()
}

/// An empty vector with room for `len` values, from the pool when it has one.
pub(crate) fn with_capacity<S: Scalar>(len: usize) -> Vec<S> {
    if len < MIN_POOLED {
        return Vec::with_capacity(len);
    }
    // Every buffer in class ⌈log₂ len⌉ has room for `len`.
    let class = len.next_power_of_two().trailing_zeros() as usize;
    let recycled = POOL
        .try_with(|pools| {
            let mut pool = S::pool(pools);
            let found = pool.classes.get_mut(class).and_then(Vec::pop);
            if let Some(v) = &found {
                pool.bytes -= bytes::<S>(v.capacity());
                POOLED_BYTES.fetch_sub(bytes::<S>(v.capacity()), Ordering::Relaxed);
            }
            found
        })
        .ok()
        .flatten();
    // NOTE: a fresh buffer is rounded up to its class, so that it can serve
    // any request of that class later; pages never written cost nothing.
    recycled.unwrap_or_else(|| Vec::with_capacity(1 << class))
}

/// The values of `iter`, which yields exactly `len` of them, in a pooled buffer.
pub(crate) fn collect<S: Scalar>(len: usize, iter: impl Iterator<Item = S>) -> Vec<S> {
    let mut v = with_capacity(len);
    v.extend(iter);
    debug_assert_eq!(v.len(), len);
    v
}

/// `len` zeros in a pooled buffer.
pub(crate) fn zeros<S: Scalar>(len: usize) -> Vec<S> {
    let mut v = with_capacity(len);
    v.resize(len, S::zero());
    v
}

/// Returns a vector's allocation to this thread's pool (or to the allocator
/// when it is small or the pool is full).
fn give_back<S: Scalar>(mut v: Vec<S>) {
    let capacity = v.capacity();
    if capacity < MIN_POOLED {
        return;
    }
    v.clear();
    // Class ⌊log₂ capacity⌋.
    let class = (usize::BITS - 1 - capacity.leading_zeros()) as usize;
    // NOTE: during thread teardown the pool may be gone; `v` is then freed.
    let _ = POOL.try_with(|pools| {
        let mut pool = S::pool(pools);
        let size = bytes::<S>(capacity);
        if POOLED_BYTES.fetch_add(size, Ordering::Relaxed) + size > MAX_POOLED_BYTES {
            POOLED_BYTES.fetch_sub(size, Ordering::Relaxed);
            return;
        }
        if pool.classes.len() <= class {
            pool.classes.resize_with(class + 1, Vec::new);
        }
        pool.bytes += size;
        pool.classes[class].push(v);
    });
}

/// Frees the buffers this thread keeps for reuse (left from earlier
/// gradient and curvature calls; all threads together keep at most
/// 256 MiB). Later calls allocate afresh and refill the pool.
///
/// ```
/// let x = autodiff::Tensor::ones(&[512, 512]);
/// let g = autodiff::grad(|v| v[0].square().sum(), &[x]);
/// assert_eq!(g[0].data()[0], 2.0);
/// autodiff::release_buffers();
/// ```
pub fn release_buffers() {
    let _ = POOL.try_with(|pools| *pools.borrow_mut() = Pools::default());
}

/// A tensor's values; on drop the allocation goes back to the pool.
#[derive(Debug, PartialEq)]
pub(crate) struct Buffer<S: Scalar>(Vec<S>);

impl<S: Scalar> Buffer<S> {
    pub(crate) fn new(values: Vec<S>) -> Buffer<S> {
        Buffer(values)
    }

    /// The values as a vector, taken out of the buffer.
    pub(crate) fn into_vec(mut self) -> Vec<S> {
        std::mem::take(&mut self.0)
    }
}

impl<S: Scalar> Deref for Buffer<S> {
    type Target = [S];
    fn deref(&self) -> &[S] {
        &self.0
    }
}

impl<S: Scalar> Drop for Buffer<S> {
    fn drop(&mut self) {
        give_back(std::mem::take(&mut self.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_buffer_serves_the_next_request_of_its_class() {
        release_buffers();
        let v = collect(3000, (0..3000).map(|i| i as f64));
        let address = v.as_ptr();
        drop(Buffer::new(v));
        let again = with_capacity::<f64>(2500);
        assert_eq!(again.as_ptr(), address);
        assert!(again.is_empty() && again.capacity() >= 2500);
        // A request of a larger class does not get it.
        drop(Buffer::new(again));
        assert!(with_capacity::<f64>(5000).capacity() >= 5000);
    }

    #[test]
    fn small_buffers_are_not_pooled_and_the_pool_is_bounded() {
        release_buffers();
        drop(Buffer::new(vec![1.0; 10]));
        let big = MAX_POOLED_BYTES / 8 / 2 + 1;
        // Capacity only: these pages are never touched.
        drop(Buffer::new(with_capacity::<f64>(big)));
        drop(Buffer::new(with_capacity::<f64>(big)));
        POOL.with(|p| {
            let p = &p.borrow().f64;
            assert!(p.bytes <= MAX_POOLED_BYTES);
            assert!(POOLED_BYTES.load(Ordering::Relaxed) <= MAX_POOLED_BYTES);
            assert!(p.classes.iter().map(Vec::len).sum::<usize>() <= 1);
        });
        release_buffers();
        POOL.with(|p| assert_eq!(p.borrow().f64.bytes, 0));
    }
}
