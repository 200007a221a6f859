//! Matrix products through the `matrixmultiply` kernel (blocked, SIMD, threaded).

use crate::tensor::Tensor;

/// `batch` products `Cᵢ = op(Aᵢ) op(Bᵢ)` of row-major `m×k` and `k×n` blocks,
/// `Aᵢ` starting at `i · a_step` in `a` and `Bᵢ` at `i · b_step` in `b` (a step
/// of 0 shares one operand), stacked into a fresh `batch·m·n` buffer. A
/// transposed operand is read through its strides instead of being copied,
/// and the buffer is not zero-filled first: the kernel writes every entry.
fn products(
    (m, k, n): (usize, usize, usize),
    batch: usize,
    (a, a_step, ta): (&[f64], usize, bool),
    (b, b_step, tb): (&[f64], usize, bool),
) -> Vec<f64> {
    let len = batch * m * n;
    if len == 0 || k == 0 {
        return vec![0.0; len];
    }
    assert!(a.len() >= (batch - 1) * a_step + m * k && b.len() >= (batch - 1) * b_step + k * n);
    let (rsa, csa) = if ta { (1, m as isize) } else { (k as isize, 1) };
    let (rsb, csb) = if tb { (1, k as isize) } else { (n as isize, 1) };
    let mut c: Vec<f64> = Vec::with_capacity(len);
    for i in 0..batch {
        // SAFETY: the assertion above keeps every index the kernel reads (rows
        // < m or k, columns < k or n, with the strides of a dense row-major
        // block of that size) inside `a` and `b`; block `i` of `c` lies inside
        // its capacity and is written, not read, since β = 0.
        unsafe {
            matrixmultiply::dgemm(
                m,
                k,
                n,
                1.0,
                a.as_ptr().add(i * a_step),
                rsa,
                csa,
                b.as_ptr().add(i * b_step),
                rsb,
                csb,
                0.0,
                c.as_mut_ptr().add(i * m * n),
                n as isize,
                1,
            );
        }
    }
    // SAFETY: the products above wrote all `len` entries.
    unsafe { c.set_len(len) };
    c
}

/// Shape of a matrix operand as used: rows and columns after the optional transpose.
fn dims(t: &Tensor, transposed: bool) -> (usize, usize) {
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
pub(crate) fn matmul(a: &Tensor, ta: bool, b: &Tensor, tb: bool) -> Tensor {
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
    // A stacked, untransposed left operand times a shared right operand is one tall product.
    if a.rank() == 3 && !ta && b.rank() == 2 {
        let c = products(
            (batch * m, k, n),
            1,
            (a.data(), 0, false),
            (b.data(), 0, tb),
        );
        return Tensor::new(&[batch, m, n], c);
    }
    // A shared left operand times a stacked, untransposed right operand is
    // one wide product: lay the stack side by side as `[k, batch·n]`, multiply
    // once, and restack the `[m, batch·n]` result.
    if a.rank() == 2 && b.rank() == 3 && !tb {
        let mut wide = Vec::with_capacity(k * batch * n);
        for p in 0..k {
            for block in b.data().chunks_exact((k * n).max(1)).take(batch) {
                wide.extend_from_slice(&block[p * n..(p + 1) * n]);
            }
        }
        let c_wide = products((m, k, batch * n), 1, (a.data(), 0, ta), (&wide, 0, false));
        let mut c = Vec::with_capacity(batch * m * n);
        for i in 0..batch {
            for r in 0..m {
                c.extend_from_slice(&c_wide[r * batch * n + i * n..r * batch * n + (i + 1) * n]);
            }
        }
        return Tensor::new(&[batch, m, n], c);
    }
    let c = products(
        (m, k, n),
        batch,
        (a.data(), if a.rank() == 3 { m * k } else { 0 }, ta),
        (b.data(), if b.rank() == 3 { k * n } else { 0 }, tb),
    );
    if a.rank() == 2 && b.rank() == 2 {
        Tensor::new(&[m, n], c)
    } else {
        Tensor::new(&[batch, m, n], c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_shared_left_operand_times_a_stack_matches_each_slice() {
        let a = Tensor::randn(&[5, 3], 6);
        let stack = Tensor::randn(&[4, 3, 2], 7);
        for (x, tx) in [(a.clone(), false), (transpose(&a), true)] {
            let got = matmul(&x, tx, &stack, false);
            assert_eq!(got.shape(), &[4, 5, 2]);
            for i in 0..4 {
                let slice =
                    Tensor::vector(stack.data()[i * 6..(i + 1) * 6].to_vec()).reshape(&[3, 2]);
                let want = naive(&a, &slice);
                for (g, w) in got.data()[i * 10..(i + 1) * 10].iter().zip(want.data()) {
                    assert!((g - w).abs() < 1e-12);
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
