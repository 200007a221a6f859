//! The engine in `f32`: the derivative table's checks in single precision
//! (tolerances from `f32`'s ε), its derivatives against the `f64` engine's
//! at the same points, and an MLP's H·v in both precisions.

use autodiff::{
    check, func32, hvp, value_and_grad, DualOf, Primitive, Scalar, Tensor, Tensor32, TensorOf,
    Var32, VarOf, Wanted,
};

use crate::derivatives::{directions, inputs, scalarize, table, table32, table_failures};

/// Errors relative to the largest component of the `f64` result (or 1):
/// how far an `f32` computation lands from the `f64` one.
fn relative_gap(single: &[Tensor32], double: &[Tensor]) -> f64 {
    let widened: Vec<f64> = single
        .iter()
        .flat_map(|t| t.cast::<f64>().data().to_vec())
        .collect();
    let reference: Vec<f64> = double.iter().flat_map(|t| t.data().to_vec()).collect();
    check::Discrepancy::between(&reference, &widened).max_rel
}

#[test]
fn every_op_passes_every_check_in_f32() {
    assert_eq!(
        check::all(func32(|x| x[0].sum()), &[Tensor32::zeros(&[2])]).rounding,
        1024.0 * f64::from(f32::EPSILON)
    );
    let failures = table_failures(table32());
    assert!(
        failures.is_empty(),
        "f32 derivative checks failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn f32_derivatives_agree_with_f64_ones_at_the_same_points() {
    // Both engines at the same points (the f32 inputs, widened exactly): the
    // gap is the f32 computation's rounding, a few hundred ε at most for
    // these short programs (2⁸ ε = 3.1e-5 relative to the largest component).
    let bound = 256.0 * f64::from(f32::EPSILON);
    let (singles, doubles) = (table32(), table());
    assert_eq!(singles.len(), doubles.len());
    let mut worst = (0.0, "");
    for (c32, c64) in singles.iter().zip(&doubles) {
        assert_eq!(c32.name, c64.name);
        let (op32, op64) = (c32.op, c64.op);
        let loss32 = func32(move |x| scalarize(op32(x)));
        let loss64 = autodiff::func(move |x| scalarize(op64(x)));
        let xs32 = inputs(c32, 11);
        let vs32 = directions(c32, 60);
        let xs64: Vec<Tensor> = xs32.iter().map(TensorOf::cast).collect();
        let vs64: Vec<Tensor> = vs32.iter().map(TensorOf::cast).collect();
        let (_, g32) = value_and_grad(loss32, &xs32);
        let (_, g64) = value_and_grad(loss64, &xs64);
        let h32 = hvp(loss32, &xs32, &vs32).hvp;
        let h64 = hvp(loss64, &xs64, &vs64).hvp;
        for (what, gap) in [
            ("gradient", relative_gap(&g32, &g64)),
            ("H·v", relative_gap(&h32, &h64)),
        ] {
            assert!(
                gap <= bound,
                "{} {what}: f32 is {gap:.1e} from f64 (bound {bound:.1e})",
                c32.name
            );
            if gap > worst.0 {
                worst = (gap, c32.name);
            }
        }
    }
    println!("largest f32/f64 gap: {:.1e} ({})", worst.0, worst.1);
}

/// A two-hidden-layer tanh MLP with a softmax cross-entropy loss, in any
/// precision: the parameters are `[w1, b1, w2, b2, w3, b3]`.
fn mlp_loss<'t, S: Scalar>(p: &[VarOf<'t, S>], x: &TensorOf<S>, labels: &[usize]) -> VarOf<'t, S> {
    let x = p[0].tape().constant(x.clone());
    let h = (x.matmul(p[0]) + p[1]).tanh();
    let h = (h.matmul(p[2]) + p[3]).tanh();
    (h.matmul(p[4]) + p[5]).softmax_cross_entropy(labels)
}

#[test]
fn an_mlps_hvp_in_f32_is_the_f64_one_to_about_a_millionth() {
    let widths = [64, 32, 32, 10];
    let batch = 128;
    let mut params: Vec<Tensor> = Vec::new();
    for (i, w) in widths.windows(2).enumerate() {
        let scale = (1.0 / w[0] as f64).sqrt();
        params.push(Tensor::randn(&[w[0], w[1]], 10 + i as u64).map(|v| v * scale));
        params.push(Tensor::randn(&[w[1]], 20 + i as u64).map(|v| 0.1 * v));
    }
    let x = Tensor::randn(&[batch, widths[0]], 1);
    let labels: Vec<usize> = (0..batch).map(|i| (i * 7) % widths[3]).collect();
    let dirs: Vec<Tensor> = params
        .iter()
        .enumerate()
        .map(|(i, p)| Tensor::randn(p.shape(), 40 + i as u64))
        .collect();
    // The same point in both precisions: the f64 run takes the f32 values.
    let (p32, x32, d32): (Vec<Tensor32>, Tensor32, Vec<Tensor32>) = (
        params.iter().map(TensorOf::cast).collect(),
        x.cast(),
        dirs.iter().map(TensorOf::cast).collect(),
    );
    let (p64, x64, d64): (Vec<Tensor>, Tensor, Vec<Tensor>) = (
        p32.iter().map(TensorOf::cast).collect(),
        x32.cast(),
        d32.iter().map(TensorOf::cast).collect(),
    );
    let single = hvp(|p| mlp_loss(p, &x32, &labels), &p32, &d32);
    let double = hvp(|p| mlp_loss(p, &x64, &labels), &p64, &d64);
    let value_gap = (f64::from(single.value) - double.value).abs() / double.value.abs();
    let grad_gap = relative_gap(&single.grad, &double.grad);
    let hvp_gap = relative_gap(&single.hvp, &double.hvp);
    println!("f32 vs f64: value {value_gap:.1e}, gradient {grad_gap:.1e}, H·v {hvp_gap:.1e}");
    // Sums of 64–128 products per entry, each rounded at 2⁻²⁴ ≈ 6e-8:
    // about 1e-6 relative is what f32 can give; 1e-5 leaves room for the
    // accumulation order, and nothing wrong in a rule hides below it.
    for (what, gap) in [
        ("value", value_gap),
        ("gradient", grad_gap),
        ("H·v", hvp_gap),
    ] {
        assert!(gap < 1e-5, "{what}: f32 is {gap:.1e} from f64");
    }
}

/// `exp` whose derivative rules are off by `factor` (a user's primitive
/// with a bug), written once for both precisions.
struct SkewedExp(f64);

impl<S: Scalar> Primitive<S> for SkewedExp {
    fn name(&self) -> &'static str {
        "skewed_exp"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, x: &[&TensorOf<S>]) -> TensorOf<S> {
        x[0].map(S::exp)
    }
    fn tangent(&self, x: &[&DualOf<S>], y: &TensorOf<S>) -> Option<TensorOf<S>> {
        x[0].tangent_times(&y.map(|y| y * S::of(self.0)))
    }
    fn vjp(
        &self,
        _: &[&DualOf<S>],
        y: &DualOf<S>,
        c: &DualOf<S>,
        _: &[Wanted],
    ) -> Vec<Option<DualOf<S>>> {
        vec![Some(c * &(y * S::of(self.0)))]
    }
}

#[test]
fn the_f32_check_passes_a_correct_rule_and_fails_one_wrong_by_a_percent() {
    let x = [Tensor32::vector(vec![0.3, -0.8, 1.1, 0.05])];
    let with = |factor: f64| {
        check::all(
            move |v: &[Var32<'_>]| v[0].tape().apply(SkewedExp(factor), &[v[0]]).square().sum(),
            &x,
        )
    };
    let right = with(1.0);
    assert!(right.passed(), "{right}");
    let wrong = with(1.01);
    for mode in [check::Mode::Gradient, check::Mode::Jvp, check::Mode::Hvp] {
        assert!(
            !wrong.get(mode).expect("checked").passed(),
            "{mode} missed a rule wrong by 1%:\n{wrong}"
        );
    }
}
