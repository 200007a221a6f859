//! Random differentiable graphs built from fuzzer bytes, checked against
//! finite differences: the gradient, H·v, Hessian symmetry, and the
//! linearized H·v and the H·v alone (`hvp_only`) against a fresh sweep.
//!
//! The bytes are read as a tiny program. The first bytes choose the input
//! shape and values (kept in [-2, 2]); each later byte applies one operation
//! to the value on top of a stack, chosen so that every op stays in its
//! smooth domain (logarithms of softplus, square roots of 1 + x², division by
//! 1 + x², ...) and values and slopes stay bounded: no towers of
//! exponentials, no chains of products that multiply the slope by ‖x‖² or
//! square the value at every step, where finite differences would be
//! meaningless. The program ends by reducing to a scalar.

use autodiff::{check, func, linearize, KeepDims, Tensor, Var};

/// A decoded program: input shape, input values, op codes.
#[derive(Debug)]
pub struct Program {
    rows: usize,
    cols: usize,
    values: Vec<f64>,
    ops: Vec<u8>,
}

impl Program {
    /// Decodes bytes; `None` when there are too few to describe an input.
    pub fn decode(data: &[u8]) -> Option<Program> {
        let (&shape, rest) = data.split_first()?;
        let (rows, cols) = (1 + (shape & 3) as usize, 1 + ((shape >> 2) & 3) as usize);
        if rest.len() < rows * cols {
            return None;
        }
        let (values, ops) = rest.split_at(rows * cols);
        Some(Program {
            rows,
            cols,
            values: values.iter().map(|&b| (b as f64 - 127.5) / 64.0).collect(),
            ops: ops.iter().take(12).copied().collect(),
        })
    }

    /// Applies the program to `x` (shape `[rows, cols]`) and reduces to a scalar.
    fn run<'t>(&self, x: Var<'t>) -> Var<'t> {
        let mut stack = vec![x];
        for &code in &self.ops {
            let top = *stack.last().expect("the stack never empties");
            let next = match code % 16 {
                0 => top.tanh(),
                1 => top.sigmoid(),
                2 => (top.softplus() + 0.1).ln(),
                3 => (top.square() + 1.0).sqrt(),
                4 => top / (top.square() + 1.0),
                5 => top * x,
                6 => top + x.t().matmul(x).sum() * 0.01,
                7 => top.exp().tanh(),
                // Divided by 1 + ‖x‖², so that a chain of these cannot
                // amplify by ‖x‖² per step.
                8 => top.matmul(x.t()).tanh().matmul(x) / (x.square().sum() + 1.0),
                9 => top.log_softmax(1),
                10 => top.softmax(0),
                11 => (top.tanh() * 2.0).powf(3.0) * 0.1,
                12 => top.logsumexp(1, KeepDims::Yes).broadcast_to(&[self.rows, self.cols]),
                13 => top.mean_axis(0, KeepDims::Yes) - top,
                14 => match stack.len() {
                    1 => top,
                    _ => {
                        // tanh keeps repeated products from squaring
                        // the value again and again.
                        let below = stack[stack.len() - 2];
                        top * below.tanh()
                    }
                },
                _ => {
                    stack.push(top.tanh() + x);
                    continue;
                }
            };
            let last = stack.len() - 1;
            stack[last] = next;
            if code >= 128 {
                stack.push(next);
            }
        }
        let top = *stack.last().expect("the stack never empties");
        (top.square() * 0.5 + top).sum()
    }
}

/// Checks every derivative of the program's function; returns a description
/// of the first disagreement. Programs whose values overflow are skipped.
pub fn check_program(p: &Program) -> Result<(), String> {
    let f = func(|v| p.run(v[0]));
    let x = [Tensor::from_vec(&[p.rows, p.cols], p.values.clone()).map_err(|e| e.to_string())?];
    let v = [Tensor::from_fn(&[p.rows, p.cols], |i| {
        ((i * 7 % 5) as f64 - 2.0) * 0.5
    })];
    let u = [Tensor::from_fn(&[p.rows, p.cols], |i| {
        ((i * 3 % 4) as f64 - 1.5) * 0.5
    })];
    let (value, grad) = autodiff::value_and_grad(f, &x);
    if !value.is_finite() || grad[0].data().iter().any(|g| !g.is_finite()) {
        return Ok(());
    }
    // Finite differences only mean something where the function is smooth at
    // the scale of the step: compare central differences at two steps and
    // skip programs (e.g. towers of exponentials) where they disagree.
    let along = |h: f64| {
        let at = |s: f64| {
            let shifted = x[0]
                .data()
                .iter()
                .zip(v[0].data())
                .map(|(a, b)| a + s * b)
                .collect();
            autodiff::value(
                f,
                &[Tensor::from_vec(x[0].shape(), shifted).expect("same shape")],
            )
            .item()
        };
        (at(h) - at(-h)) / (2.0 * h)
    };
    let (coarse, fine) = (along(1e-3), along(1e-4));
    if (coarse - fine).abs() > 1e-5 * fine.abs().max(1.0) {
        return Ok(());
    }
    let results = [
        ("gradient", check::gradient(f, &x), 1e-5),
        ("hvp", check::hvp(f, &x, &v), 1e-4),
        ("symmetry", check::symmetry(f, &x, &u, &v), 1e-9),
    ];
    for (what, d, tol) in results {
        if d.max_rel.is_nan() || d.max_rel > tol {
            return Err(format!(
                "{what}: relative error {:.2e} for {p:?}",
                d.max_rel
            ));
        }
    }
    let lin = linearize(f, &x);
    let fresh = autodiff::hvp(f, &x, &v).hvp;
    if autodiff::hvp_only(f, &x, &v) != fresh {
        return Err(format!("H·v alone differs from the full sweep's for {p:?}"));
    }
    let replayed = lin.hvp(&v);
    let d = check::Discrepancy::between(fresh[0].data(), replayed[0].data());
    if d.max_rel > 1e-12 {
        return Err(format!(
            "linearized H·v differs by {:.2e} for {p:?}",
            d.max_rel
        ));
    }
    Ok(())
}

/// The fuzz entry point: decode and check, panicking on a disagreement.
pub fn fuzz(data: &[u8]) {
    if let Some(p) = Program::decode(data) {
        if let Err(e) = check_program(&p) {
            panic!("{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_programs_pass() {
        let mut state = 0x9e3779b97f4a7c15u64;
        for _ in 0..300 {
            let bytes: Vec<u8> = (0..30)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            fuzz(&bytes);
        }
    }

    #[test]
    fn artifacts_found_by_fuzzing_pass() {
        // Once towers of exponentials (op 15 was exp), where finite
        // differences are meaningless; kept as regression inputs.
        fuzz(&[
            0x32, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x2a, 0x0e,
        ]);
        fuzz(&[
            0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x26, 0xac,
        ]);
        // Once eight products `tanh(top xᵀ) x` in a row, each multiplying
        // the slope by ‖x‖² ≈ 8: a function that changes over 1e-7, where
        // finite differences at 1e-4 measure only its saturated plateau.
        fuzz(&[1, 0, 0, 3, 61, 128, 216, 216, 216, 216, 216, 216, 216, 216]);
        // Once ten products of the top with the value below it in a row:
        // x^512, where the gradient underflows to nothing a difference can see.
        fuzz(&[
            0, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0x24, 0xee,
        ]);
    }
}
