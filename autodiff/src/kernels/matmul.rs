//! Matrix products through the `matrixmultiply` kernel (blocked, SIMD), large
//! ones split in two across threads.

use crate::buffer;
use crate::scalar::Scalar;
use crate::tensor::TensorOf;

/// `batch` products `Cᵢ = op(Aᵢ) op(Bᵢ)` of row-major `m×k` and `k×n` blocks,
/// `Aᵢ` starting at `i · a_step` in `a` and `Bᵢ` at `i · b_step` in `b` (a step
/// of 0 shares one operand), stacked into a fresh `batch·m·n` buffer. A
/// transposed operand is read through its strides instead of being copied,
/// and the buffer is not zero-filled first: the kernel writes every entry.
fn products<S: Scalar>(
    (m, k, n): (usize, usize, usize),
    batch: usize,
    (a, a_step, ta): (&[S], usize, bool),
    (b, b_step, tb): (&[S], usize, bool),
) -> Vec<S> {
    let len = batch * m * n;
    if len == 0 || k == 0 {
        return buffer::zeros(len);
    }
    assert!(a.len() >= (batch - 1) * a_step + m * k && b.len() >= (batch - 1) * b_step + k * n);
    let (rsa, csa) = if ta { (1, m as isize) } else { (k as isize, 1) };
    let (rsb, csb) = if tb { (1, k as isize) } else { (n as isize, 1) };
    let mut c = buffer::with_capacity::<S>(len);
    for i in 0..batch {
        // SAFETY: the assertion above keeps every index the kernel reads (rows
        // < m or k, columns < k or n, with the strides of a dense row-major
        // block of that size) inside `a` and `b`; block `i` of `c` lies inside
        // its capacity and is written, not read, since β = 0.
        unsafe {
            gemm(
                (m, k, n),
                (Ptr(a.as_ptr().add(i * a_step).cast_mut()), rsa, csa),
                (Ptr(b.as_ptr().add(i * b_step).cast_mut()), rsb, csb),
                (Ptr(c.as_mut_ptr().add(i * m * n)), n as isize),
            );
        }
    }
    // SAFETY: the products above wrote all `len` entries.
    unsafe { c.set_len(len) };
    c
}

/// A raw pointer into an operand or output of [`gemm`], sent to the thread
/// that multiplies one half.
struct Ptr<S>(*mut S);

impl<S> Clone for Ptr<S> {
    fn clone(&self) -> Ptr<S> {
        *self
    }
}

impl<S> Copy for Ptr<S> {}

// SAFETY: a `Ptr` only crosses threads inside `gemm`, whose halves read the
// shared operands and write disjoint blocks of the output, and `join`
// returns only after both halves have finished.
unsafe impl<S> Send for Ptr<S> {}

impl<S> Ptr<S> {
    /// The pointer `rows` rows of stride `rs` and `cols` columns of stride
    /// `cs` further on.
    unsafe fn at(self, rows: usize, rs: isize, cols: usize, cs: isize) -> Ptr<S> {
        Ptr(self.0.offset(rows as isize * rs + cols as isize * cs))
    }
}

/// Multiply-adds from which a product is cut in two and the halves run on
/// two threads (when a helper thread is free): below it, waking the helper
/// costs more than it saves.
const SPLIT_PRODUCT: usize = 1 << 20;

/// The kernel's register tile is 8 rows or columns: halves are cut on a
/// multiple of it.
const TILE: usize = 8;

/// The shortest side that is cut: each half then does at least 64
/// multiply-adds for every element of the operand both halves pack. A
/// product long only in its inner dimension (a Gram matrix `xᵀx` of a tall
/// `x`, as K-FAC forms) is left whole, since its halves would spend about
/// as long packing as multiplying. Measured: cut (at the former `2·TILE`),
/// the `32 × 1199 × 32` Gram products of K-FAC on the 11-32-6 wine MLP made
/// its 20-step run about 9% longer than with `dgemm` called directly (median
/// of four interleaved runs); left whole, as long as before.
const SHORTEST_CUT: usize = 128;

/// `C = op(A) op(B)` for an `m×k` by `k×n` product given by pointers and
/// strides (`C` with row stride `rsc`, unit column stride), written with
/// β = 0. A large product is cut in two — along the rows of `C` when `A`
/// has at least as many rows as `B` has columns (each half then packs all
/// of `B`, the smaller operand), else along its columns — and the halves run
/// through [`crate::parallel::join`]; a half is not cut again unless the
/// tree below has a free thread for it.
///
/// # Safety
/// `a`, `b` and `c` with their strides must address valid `m×k`, `k×n` and
/// `m×n` blocks; `c` is written only, and must not overlap `a` or `b`.
unsafe fn gemm<S: Scalar>(
    (m, k, n): (usize, usize, usize),
    (a, rsa, csa): (Ptr<S>, isize, isize),
    (b, rsb, csb): (Ptr<S>, isize, isize),
    (c, rsc): (Ptr<S>, isize),
) {
    if m * k * n >= SPLIT_PRODUCT && m.max(n) >= SHORTEST_CUT && crate::parallel::forks() {
        // SAFETY (both cuts): the dimension cut is at least SHORTEST_CUT ≥ 2·TILE, so the
        // cut lies strictly inside it; each half addresses a sub-block of
        // the caller's blocks (rows `top..m` of `A` and `C`, or columns
        // `left..n` of `B` and `C`), and the halves write disjoint parts of `C`.
        if m >= n {
            let top = (m / 2).next_multiple_of(TILE);
            let (a2, c2) = (a.at(top, rsa, 0, csa), c.at(top, rsc, 0, 1));
            crate::parallel::join(
                move || gemm((top, k, n), (a, rsa, csa), (b, rsb, csb), (c, rsc)),
                move || gemm((m - top, k, n), (a2, rsa, csa), (b, rsb, csb), (c2, rsc)),
            );
        } else {
            let left = (n / 2).next_multiple_of(TILE);
            let (b2, c2) = (b.at(0, rsb, left, csb), c.at(0, rsc, left, 1));
            crate::parallel::join(
                move || gemm((m, k, left), (a, rsa, csa), (b, rsb, csb), (c, rsc)),
                move || gemm((m, k, n - left), (a, rsa, csa), (b2, rsb, csb), (c2, rsc)),
            );
        }
        return;
    }
    S::gemm(m, k, n, a.0, rsa, csa, b.0, rsb, csb, c.0, rsc);
}

/// Multiply-adds per product below which copying a stack to multiply it in
/// one call beats one call per product (8-lane H·V of the benchmark MLPs:
/// their products are either at most 128·64·64 or at least 256³).
const SMALL_PRODUCT: usize = 1 << 22;

/// A stack of `batch` row-major `rows × cols` blocks laid side by side as
/// one `rows × (batch·cols)` matrix.
fn side_by_side<S: Scalar>(stack: &[S], batch: usize, rows: usize, cols: usize) -> Vec<S> {
    let mut wide = buffer::with_capacity(batch * rows * cols);
    for r in 0..rows {
        for block in stack.chunks_exact((rows * cols).max(1)).take(batch) {
            wide.extend_from_slice(&block[r * cols..(r + 1) * cols]);
        }
    }
    wide
}

/// The inverse of [`side_by_side`]: a `rows × (batch·cols)` matrix cut into
/// a stack of `batch` blocks of `rows × cols`.
fn stacked<S: Scalar>(wide: &[S], batch: usize, rows: usize, cols: usize) -> Vec<S> {
    let mut stack = buffer::with_capacity(batch * rows * cols);
    for i in 0..batch {
        for r in 0..rows {
            let row = r * batch * cols + i * cols;
            stack.extend_from_slice(&wide[row..row + cols]);
        }
    }
    stack
}

/// Shape of a matrix operand as used: rows and columns after the optional transpose.
fn dims<S: Scalar>(t: &TensorOf<S>, transposed: bool) -> (usize, usize) {
    let s = t.shape();
    let (r, c) = (s[s.len() - 2], s[s.len() - 1]);
    if transposed {
        (c, r)
    } else {
        (r, c)
    }
}

/// Matrix product of 2-D or batched 3-D operands, each optionally transposed
/// in its last two axes; a 2-D operand is shared by every batch entry.
///
/// # Panics
/// When an operand is not 2-D or 3-D, the inner dimensions differ, or the
/// batch sizes differ; the message names both shapes.
pub(crate) fn matmul<S: Scalar>(
    a: &TensorOf<S>,
    ta: bool,
    b: &TensorOf<S>,
    tb: bool,
) -> TensorOf<S> {
    matmul_copying_below(a, ta, b, tb, SMALL_PRODUCT)
}

/// [`matmul`], with stacks copied for one call when a product has fewer
/// than `small_product` multiply-adds.
fn matmul_copying_below<S: Scalar>(
    a: &TensorOf<S>,
    ta: bool,
    b: &TensorOf<S>,
    tb: bool,
    small_product: usize,
) -> TensorOf<S> {
    let bad = || -> ! {
        panic!(
            "matmul: shapes {:?}{} and {:?}{} cannot be multiplied",
            a.shape(),
            if ta { "ᵀ" } else { "" },
            b.shape(),
            if tb { "ᵀ" } else { "" }
        )
    };
    if !(2..=3).contains(&a.rank()) || !(2..=3).contains(&b.rank()) {
        bad();
    }
    let (m, k) = dims(a, ta);
    let (k2, n) = dims(b, tb);
    if k != k2 {
        bad();
    }
    let batch_a = if a.rank() == 3 { a.shape()[0] } else { 1 };
    let batch_b = if b.rank() == 3 { b.shape()[0] } else { 1 };
    if a.rank() == 3 && b.rank() == 3 && batch_a != batch_b {
        bad();
    }
    let batch = batch_a.max(batch_b);
    // A stack times a shared operand is one product. A stacked, untransposed
    // left operand is already one tall matrix. Otherwise the stack must be
    // copied side by side (a transposed right stack is read as one tall
    // matrix instead, but the result is then restacked), which pays only
    // when the products are too small to run well one by one (and never for
    // a stack of one, which is its own matrix: a single lane of tangents).
    let copy_pays = batch > 1 && m * k * n < small_product;
    if a.rank() == 3 && b.rank() == 2 && (!ta || copy_pays) {
        let c = if ta {
            let wide = side_by_side(a.data(), batch, k, m);
            products((batch * m, k, n), 1, (&wide, 0, true), (b.data(), 0, tb))
        } else {
            products(
                (batch * m, k, n),
                1,
                (a.data(), 0, false),
                (b.data(), 0, tb),
            )
        };
        return TensorOf::new(&[batch, m, n], c);
    }
    if a.rank() == 2 && b.rank() == 3 && copy_pays {
        let c_wide = if tb {
            products((m, k, batch * n), 1, (a.data(), 0, ta), (b.data(), 0, true))
        } else {
            let wide = side_by_side(b.data(), batch, k, n);
            products((m, k, batch * n), 1, (a.data(), 0, ta), (&wide, 0, false))
        };
        return TensorOf::new(&[batch, m, n], stacked(&c_wide, batch, m, n));
    }
    let c = products(
        (m, k, n),
        batch,
        (a.data(), if a.rank() == 3 { m * k } else { 0 }, ta),
        (b.data(), if b.rank() == 3 { k * n } else { 0 }, tb),
    );
    if a.rank() == 2 && b.rank() == 2 {
        TensorOf::new(&[m, n], c)
    } else {
        TensorOf::new(&[batch, m, n], c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tensor;

    fn naive(a: &Tensor, b: &Tensor) -> Tensor {
        let (m, k, n) = (a.shape()[0], a.shape()[1], b.shape()[1]);
        Tensor::from_fn(&[m, n], |f| {
            let (i, j) = (f / n, f % n);
            (0..k)
                .map(|p| a.data()[i * k + p] * b.data()[p * n + j])
                .sum()
        })
    }

    fn transpose(t: &Tensor) -> Tensor {
        crate::kernels::transpose_last2(t)
    }

    #[test]
    fn products_match_the_definition_with_any_transposes() {
        let a = Tensor::randn(&[5, 3], 1);
        let b = Tensor::randn(&[3, 4], 2);
        let want = naive(&a, &b);
        for (x, tx) in [(a.clone(), false), (transpose(&a), true)] {
            for (y, ty) in [(b.clone(), false), (transpose(&b), true)] {
                let got = matmul(&x, tx, &y, ty);
                assert_eq!(got.shape(), &[5, 4]);
                for (g, w) in got.data().iter().zip(want.data()) {
                    assert!((g - w).abs() < 1e-12);
                }
            }
        }
    }

    #[test]
    fn large_products_cut_in_halves_match_the_definition() {
        // Above SPLIT_PRODUCT, with odd sizes: cut along the rows (m ≥ n)
        // and along the columns (m < n), with any transposes.
        for (m, k, n) in [(203, 97, 61), (37, 211, 139)] {
            assert!(m * k * n >= SPLIT_PRODUCT && m.max(n) >= SHORTEST_CUT);
            let a = Tensor::randn(&[m, k], 9);
            let b = Tensor::randn(&[k, n], 10);
            let want = naive(&a, &b);
            for (x, tx) in [(a.clone(), false), (transpose(&a), true)] {
                for (y, ty) in [(b.clone(), false), (transpose(&b), true)] {
                    let got = matmul(&x, tx, &y, ty);
                    assert_eq!(got.shape(), &[m, n]);
                    for (g, w) in got.data().iter().zip(want.data()) {
                        assert!((g - w).abs() < 1e-12 * (1.0 + w.abs()));
                    }
                }
            }
        }
    }

    #[test]
    fn batched_products_match_each_slice() {
        let a = Tensor::randn(&[2, 5, 3], 3);
        let b = Tensor::randn(&[3, 4], 4);
        let got = matmul(&a, false, &b, false);
        let first = naive(&a.reshape(&[10, 3]), &b);
        for (g, w) in got.data().iter().zip(first.data()) {
            assert!((g - w).abs() < 1e-12);
        }
        let bb = Tensor::randn(&[2, 3, 4], 5);
        let got = matmul(&a, false, &bb, false);
        let second = naive(
            &Tensor::vector(a.data()[15..].to_vec()).reshape(&[5, 3]),
            &Tensor::vector(bb.data()[12..].to_vec()).reshape(&[3, 4]),
        );
        for (g, w) in got.data()[20..].iter().zip(second.data()) {
            assert!((g - w).abs() < 1e-12);
        }
    }

    /// Block `i` of a `[batch, r, c]` stack, as a matrix.
    fn block(stack: &Tensor, i: usize) -> Tensor {
        let (r, c) = (stack.shape()[1], stack.shape()[2]);
        Tensor::vector(stack.data()[i * r * c..(i + 1) * r * c].to_vec()).reshape(&[r, c])
    }

    /// Transposes every block of a `[batch, r, c]` stack.
    fn transpose_blocks(stack: &Tensor) -> Tensor {
        crate::kernels::transpose_last2(stack)
    }

    #[test]
    fn a_shared_operand_times_a_stack_matches_each_slice_with_any_transposes() {
        // Copied for one product, and one product per slice.
        for small_product in [usize::MAX, 0] {
            shared_times_stack(|x, tx, y, ty| matmul_copying_below(x, tx, y, ty, small_product));
        }
    }

    fn shared_times_stack(matmul: impl Fn(&Tensor, bool, &Tensor, bool) -> Tensor) {
        // A stack of one (a single lane of tangents) as well as of several.
        for batch in [1, 4] {
            let shared = Tensor::randn(&[5, 3], 6);
            let stack = Tensor::randn(&[batch, 3, 2], 7);
            for (x, tx) in [(shared.clone(), false), (transpose(&shared), true)] {
                for (y, ty) in [(stack.clone(), false), (transpose_blocks(&stack), true)] {
                    let got = matmul(&x, tx, &y, ty);
                    assert_eq!(got.shape(), &[batch, 5, 2]);
                    for i in 0..batch {
                        let want = naive(&shared, &block(&stack, i));
                        let got = block(&got, i);
                        for (g, w) in got.data().iter().zip(want.data()) {
                            assert!((g - w).abs() < 1e-12);
                        }
                    }
                }
            }
            let right = Tensor::randn(&[2, 5], 8);
            for (x, tx) in [(stack.clone(), false), (transpose_blocks(&stack), true)] {
                for (y, ty) in [(right.clone(), false), (transpose(&right), true)] {
                    let got = matmul(&x, tx, &y, ty);
                    assert_eq!(got.shape(), &[batch, 3, 5]);
                    for i in 0..batch {
                        let want = naive(&block(&stack, i), &right);
                        let got = block(&got, i);
                        for (g, w) in got.data().iter().zip(want.data()) {
                            assert!((g - w).abs() < 1e-12);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn an_empty_inner_dimension_gives_zeros() {
        let got = matmul(
            &Tensor::zeros(&[3, 0]),
            false,
            &Tensor::zeros(&[2, 0, 4]),
            false,
        );
        assert_eq!(got.shape(), &[2, 3, 4]);
        assert!(got.data().iter().all(|v| *v == 0.0));
    }

    #[test]
    #[should_panic(expected = "matmul: shapes [2, 3] and [2, 3] cannot be multiplied")]
    fn mismatched_inner_dimensions_panic_with_shapes() {
        matmul(
            &Tensor::zeros(&[2, 3]),
            false,
            &Tensor::zeros(&[2, 3]),
            false,
        );
    }
}
