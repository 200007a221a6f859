//! Shared problem definitions for the criterion benches and for the
//! side-by-side comparison binary (`compare_ours`).
//!
//! Everything here is seeded, so that every run of a bench (and the JAX
//! script, which builds the same shapes) measures the same work.
//!
//! The MLPs are written as plain autodiff closures over the parameter
//! tensors `[W1, b1, W2, b2, ...]` (`W` of shape `[fan_in, fan_out]`, `b` of
//! shape `[fan_out]`), with `tanh` between layers and a loss head:
//!
//! - [`Head::Softmax`]: mean softmax cross-entropy against integer labels
//!   (64-64-64-10 and 784-256-256-10);
//! - [`Head::Binary`]: one output logit per example and mean binary
//!   cross-entropy with logits, `softplus(z) - y z`, against 0/1 targets
//!   (5-8-1: a softmax over one class would be identically zero).
//!
//! ```
//! use benches::{MlpProblem, MlpSpec};
//! let p = MlpProblem::new(&MlpSpec::small());
//! let loss = autodiff::value(|v| p.loss(v), &p.params).item();
//! assert!(loss.is_finite() && loss > 0.0);
//! ```

use autodiff::{Scalar, TapeOf, Tensor, TensorOf, Var, VarOf};

/// The loss at the top of an MLP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Head {
    /// One logit per example, mean binary cross-entropy with logits.
    Binary,
    /// `C` logits per example, mean softmax cross-entropy.
    Softmax,
}

impl Head {
    /// A short name, as printed in the JSON lines and bench ids.
    pub fn name(self) -> &'static str {
        match self {
            Head::Binary => "bce",
            Head::Softmax => "softmax-ce",
        }
    }
}

/// Layer widths, batch size and loss head of one benchmarked MLP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlpSpec {
    /// Widths from input to output, e.g. `[784, 256, 256, 10]`.
    pub sizes: Vec<usize>,
    /// Examples per batch.
    pub batch: usize,
    /// The loss head.
    pub head: Head,
}

impl MlpSpec {
    /// 5-8-1 at batch 100, binary cross-entropy with logits.
    pub fn small() -> MlpSpec {
        MlpSpec {
            sizes: vec![5, 8, 1],
            batch: 100,
            head: Head::Binary,
        }
    }

    /// 64-64-64-10 at batch 128, softmax cross-entropy.
    pub fn medium() -> MlpSpec {
        MlpSpec {
            sizes: vec![64, 64, 64, 10],
            batch: 128,
            head: Head::Softmax,
        }
    }

    /// 784-256-256-10 at batch 256, softmax cross-entropy.
    pub fn large() -> MlpSpec {
        MlpSpec {
            sizes: vec![784, 256, 256, 10],
            batch: 256,
            head: Head::Softmax,
        }
    }

    /// The three MLPs of issue 8, smallest first.
    pub fn all() -> Vec<MlpSpec> {
        vec![MlpSpec::small(), MlpSpec::medium(), MlpSpec::large()]
    }

    /// A name such as `784-256-256-10/b256`.
    pub fn name(&self) -> String {
        let widths: Vec<String> = self.sizes.iter().map(usize::to_string).collect();
        format!("{}/b{}", widths.join("-"), self.batch)
    }

    /// Number of parameters (weights and biases).
    pub fn n_params(&self) -> usize {
        self.sizes.windows(2).map(|w| w[0] * w[1] + w[1]).sum()
    }

    /// Floating-point operations of the forward matrix products alone
    /// (`2 · batch · fan_in · fan_out` per layer), the unit in which the
    /// other passes are multiples.
    pub fn forward_matmul_flops(&self) -> u64 {
        self.sizes
            .windows(2)
            .map(|w| 2 * (self.batch * w[0] * w[1]) as u64)
            .sum()
    }
}

/// An MLP with seeded data, parameters and directions, ready to time, in
/// `f64` ([`MlpProblem::new`]) or `f32` ([`MlpProblem::of`] with the same
/// values rounded).
#[derive(Clone, Debug)]
pub struct MlpProblem<S: Scalar = f64> {
    /// What is being measured.
    pub spec: MlpSpec,
    /// Inputs, `[batch, sizes[0]]`, standard normal.
    pub x: TensorOf<S>,
    /// Class labels (softmax head), one per example.
    pub labels: Vec<usize>,
    /// 0/1 targets (binary head), `[batch, 1]`.
    pub targets: TensorOf<S>,
    /// `[W1, b1, W2, b2, ...]`, weights `N(0, 1/fan_in)`, biases `N(0, 0.01)`.
    pub params: Vec<TensorOf<S>>,
    /// One direction per parameter tensor (standard normal), for `H·v`.
    pub dirs: Vec<TensorOf<S>>,
}

/// Seed offsets, so that data, parameters and directions differ.
const SEED_DATA: u64 = 1;
const SEED_LABELS: u64 = 2;
const SEED_PARAMS: u64 = 100;
const SEED_DIRS: u64 = 1000;
const SEED_LANES: u64 = 10_000;

impl MlpProblem {
    /// Seeded data, parameters and one direction for `spec`.
    pub fn new(spec: &MlpSpec) -> MlpProblem {
        MlpProblem::of(spec)
    }
}

impl<S: Scalar> MlpProblem<S> {
    /// [`MlpProblem::new`]'s problem in precision `S` (drawn in `f64`,
    /// then rounded).
    pub fn of(spec: &MlpSpec) -> MlpProblem<S> {
        let (inputs, outputs, batch) = (spec.sizes[0], *spec.sizes.last().unwrap(), spec.batch);
        let x = Tensor::randn(&[batch, inputs], SEED_DATA);
        let u = Tensor::rand_uniform(&[batch], 0.0, 1.0, SEED_LABELS);
        let classes = outputs.max(2);
        let labels: Vec<usize> = u
            .data()
            .iter()
            .map(|&r| ((r * classes as f64) as usize).min(classes - 1))
            .collect();
        let targets = Tensor::from_fn(&[batch, 1], |i| (labels[i] % 2) as f64);
        let mut params = Vec::new();
        for (l, w) in spec.sizes.windows(2).enumerate() {
            let scale = 1.0 / (w[0] as f64).sqrt();
            let seed = SEED_PARAMS + 2 * l as u64;
            params.push(Tensor::randn(&[w[0], w[1]], seed).map(|v| v * scale));
            params.push(Tensor::randn(&[w[1]], seed + 1).map(|v| v * 0.1));
        }
        let dirs = params
            .iter()
            .enumerate()
            .map(|(i, p)| Tensor::randn(p.shape(), SEED_DIRS + i as u64).cast())
            .collect();
        MlpProblem {
            spec: spec.clone(),
            x: x.cast(),
            labels,
            targets: targets.cast(),
            params: params.iter().map(TensorOf::cast).collect(),
            dirs,
        }
    }

    /// `k` directions per parameter tensor, each of shape `[k, ...param shape]`
    /// (the lanes of a batched `H·V`).
    pub fn lanes(&self, k: usize) -> Vec<TensorOf<S>> {
        self.params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut shape = vec![k];
                shape.extend_from_slice(p.shape());
                TensorOf::randn(&shape, SEED_LANES + i as u64)
            })
            .collect()
    }

    /// The `j`-th of the `k` lanes of [`MlpProblem::lanes`], as one direction
    /// per parameter tensor (for timing `k` separate `H·v`).
    pub fn lane(lanes: &[TensorOf<S>], j: usize) -> Vec<TensorOf<S>> {
        lanes
            .iter()
            .map(|l| {
                let k = l.shape()[0];
                let m = l.len() / k;
                TensorOf::from_vec(&l.shape()[1..], l.data()[j * m..(j + 1) * m].to_vec())
                    .expect("a lane has the parameter's shape")
            })
            .collect()
    }

    /// The mean loss of the MLP at parameters `p` (one var per tensor of
    /// [`MlpProblem::params`]).
    pub fn loss<'t>(&self, p: &[VarOf<'t, S>]) -> VarOf<'t, S> {
        let tape: &'t TapeOf<S> = p[0].tape();
        let mut h = tape.constant(self.x.clone());
        let layers = p.len() / 2;
        for l in 0..layers {
            h = h.matmul(p[2 * l]) + p[2 * l + 1];
            if l + 1 < layers {
                h = h.tanh();
            }
        }
        match self.spec.head {
            Head::Softmax => h.softmax_cross_entropy(&self.labels),
            Head::Binary => h.binary_cross_entropy_with_logits(tape.constant(self.targets.clone())),
        }
    }
}

/// The extended Rosenbrock function built from scalar vars, one recorded op
/// at a time: `Σ_i 100 (x_{i+1} - x_i²)² + (1 - x_i)²`. Returns the output;
/// the tape's length afterwards is the number of recorded nodes.
pub fn scalar_rosenbrock<'t>(xs: &[Var<'t>]) -> Var<'t> {
    let mut acc = (1.0 - xs[0]).square();
    for w in xs.windows(2) {
        let a = w[1] - w[0].square();
        acc = acc + 100.0 * a.square() + (1.0 - w[1]).square();
    }
    acc
}

/// A seeded starting point for [`scalar_rosenbrock`] with `n` scalar inputs.
pub fn rosenbrock_point(n: usize) -> Vec<Tensor> {
    let u = Tensor::rand_uniform(&[n], -1.5, 1.5, 7);
    u.data().iter().map(|&v| Tensor::scalar(v)).collect()
}

/// Floating-point operations of an `n × n` by `n × n` matrix product.
pub fn matmul_flops(n: usize) -> u64 {
    2 * (n as u64).pow(3)
}

/// The median of a set of timings (in any unit).
pub fn median(xs: &mut [f64]) -> f64 {
    assert!(!xs.is_empty(), "median of no timings");
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[m]
    } else {
        0.5 * (xs[m - 1] + xs[m])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_counts() {
        for spec in MlpSpec::all() {
            let p = MlpProblem::new(&spec);
            assert_eq!(autodiff::total_len(&p.params), spec.n_params());
            let g = autodiff::grad(|v| p.loss(v), &p.params);
            assert_eq!(g.len(), p.params.len());
            let lanes = p.lanes(3);
            let one = MlpProblem::lane(&lanes, 1);
            assert_eq!(one[0].shape(), p.params[0].shape());
        }
    }

    #[test]
    fn exact_hvp_matches_finite_differences() {
        let p = MlpProblem::new(&MlpSpec::small());
        let d = autodiff::check::hvp(|v| p.loss(v), &p.params, &p.dirs);
        assert!(d.max_rel < 1e-5, "{d:?}");
    }

    #[test]
    fn scalar_rosenbrock_minimum() {
        let xs = vec![Tensor::scalar(1.0); 5];
        let (v, g) = autodiff::value_and_grad(scalar_rosenbrock, &xs);
        assert_eq!(v, 0.0);
        assert!(g.iter().all(|t| t.item() == 0.0));
    }

    #[test]
    fn median_even_and_odd() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
