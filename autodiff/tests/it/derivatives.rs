//! One table, every primitive and composite: gradient, jvp, vjp and H·v
//! against finite differences or exact identities, Hessian symmetry, and
//! batched H·V against single products, on seeded inputs over several shapes.

use autodiff::{
    check, func_of, hessian, hvp, hvp_batch, hvp_batch_only, hvp_only, linearize, KeepDims, Scalar,
    Tensor, TensorOf, Var, VarOf,
};

/// Where an op's inputs are drawn from.
#[derive(Clone, Copy)]
pub(crate) enum Domain {
    /// Standard normal.
    Any,
    /// |N(0,1)| + 0.5: for log, sqrt, fractional powers, denominators.
    Positive,
    /// Standard normal pushed at least 0.2 away from zero (kinks of abs, relu).
    AwayFromZero,
}

/// A function of the op's inputs, as stored in the table.
type OpFn = for<'t> fn(&[Var<'t>]) -> Var<'t>;

pub(crate) struct Case<S: Scalar = f64> {
    pub(crate) name: &'static str,
    pub(crate) shapes: Vec<Vec<usize>>,
    pub(crate) domain: Domain,
    pub(crate) op: for<'t> fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
}

fn case<S: Scalar>(
    name: &'static str,
    shapes: &[&[usize]],
    domain: Domain,
    op: for<'t> fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
) -> Case<S> {
    Case {
        name,
        shapes: shapes.iter().map(|s| s.to_vec()).collect(),
        domain,
        op,
    }
}

/// Inputs drawn in `f64` and rounded to `S`, so that both precisions see
/// the same points (up to the rounding to `f32`).
pub(crate) fn sample<S: Scalar>(shape: &[usize], domain: Domain, seed: u64) -> TensorOf<S> {
    let t = Tensor::randn(shape, seed);
    let t = match domain {
        Domain::Any => t,
        Domain::Positive => t.map(|x| x.abs() + 0.5),
        Domain::AwayFromZero => t.map(|x| x + 0.2 * x.signum()),
    };
    t.cast()
}

/// Turns any output into a scalar with a non-trivial Hessian: `Σ w∘y + ½ Σ u∘y²`
/// with fixed random weights, so both JᵀJ and the op's own second derivative count.
pub(crate) fn scalarize<'t, S: Scalar>(y: VarOf<'t, S>) -> VarOf<'t, S> {
    let shape = y.shape();
    let w = y.tape().constant(TensorOf::randn(&shape, 1001));
    let u = y.tape().constant(TensorOf::randn(&shape, 1002));
    (y * w).sum() + (y.square() * u).sum() * S::of(0.5)
}

/// Every primitive and composite, in `f64`.
pub(crate) fn table() -> Vec<Case> {
    op_table!(f64)
}

/// The same table in `f32`: the same code, the literals read as `f32`.
pub(crate) fn table32() -> Vec<Case<f32>> {
    op_table!(f32)
}

/// The table's cases with their scalars of type `$s`.
macro_rules! op_table {
    ($s:ty) => {{
        use Domain::*;
        let case = case::<$s>;
        type T = TensorOf<$s>;
        vec![
            case("add", &[&[3, 4], &[4]], Any, |x| x[0] + x[1]),
            case("add broadcast both", &[&[2, 1], &[1, 3]], Any, |x| {
                x[0] + x[1]
            }),
            case("add scalar", &[&[5]], Any, |x| x[0] + 2.0),
            case("sub", &[&[3], &[2, 3]], Any, |x| x[0] - x[1]),
            case("sub from scalar", &[&[1]], Any, |x| 1.5 - x[0]),
            case("mul", &[&[2, 3], &[2, 1]], Any, |x| x[0] * x[1]),
            case("mul self", &[&[7]], Any, |x| x[0] * x[0]),
            case("div", &[&[2, 3], &[3]], Positive, |x| x[0] / x[1]),
            case("div scalar by", &[&[4]], Positive, |x| 2.0 / x[0]),
            case("neg", &[&[2, 2]], Any, |x| -x[0]),
            case("matmul", &[&[3, 4], &[4, 2]], Any, |x| x[0].matmul(x[1])),
            case("matmul 1x1", &[&[1, 1], &[1, 5]], Any, |x| {
                x[0].matmul(x[1])
            }),
            case("matmul self gram", &[&[3, 2]], Any, |x| {
                x[0].t().matmul(x[0])
            }),
            case("transpose", &[&[2, 3]], Any, |x| x[0].t()),
            case("reshape", &[&[2, 3]], Any, |x| x[0].reshape(&[3, 2])),
            case("broadcast_to", &[&[3]], Any, |x| x[0].broadcast_to(&[2, 3])),
            case("sum all", &[&[2, 3]], Any, |x| x[0].sum()),
            case("sum axis 0", &[&[3, 4]], Any, |x| {
                x[0].sum_axis(0, KeepDims::No)
            }),
            case("sum axis 1 keepdim", &[&[3, 4]], Any, |x| {
                x[0].sum_axis(1, KeepDims::Yes)
            }),
            case("mean", &[&[7]], Any, |x| x[0].mean()),
            case("mean axis", &[&[2, 5]], Any, |x| {
                x[0].mean_axis(1, KeepDims::No)
            }),
            case("max axis 1", &[&[3, 4]], Any, |x| {
                x[0].max_axis(1, KeepDims::No)
            }),
            case("max axis 0 keepdim", &[&[3, 2]], Any, |x| {
                x[0].max_axis(0, KeepDims::Yes)
            }),
            case("exp", &[&[2, 3]], Any, |x| x[0].exp()),
            case("log", &[&[7]], Positive, |x| x[0].ln()),
            case("tanh", &[&[31]], Any, |x| x[0].tanh()),
            case("sin", &[&[2, 3]], Any, |x| x[0].sin()),
            case("cos", &[&[2, 3]], Any, |x| x[0].cos()),
            case("atan", &[&[7]], Any, |x| x[0].atan()),
            case("pow 3", &[&[5]], Any, |x| x[0].powf(3.0)),
            case("pow -1.5", &[&[5]], Positive, |x| x[0].powf(-1.5)),
            case("sqrt", &[&[4]], Positive, |x| x[0].sqrt()),
            case("log1p", &[&[7]], Positive, |x| x[0].log1p()),
            case("expm1", &[&[2, 3]], Any, |x| x[0].expm1()),
            case("erf", &[&[9]], Any, |x| x[0].erf()),
            case("maximum", &[&[2, 3], &[2, 3]], Any, |x| x[0].maximum(x[1])),
            case("minimum broadcast", &[&[2, 3], &[3]], Any, |x| {
                x[0].minimum(x[1])
            }),
            case("select", &[&[2, 3], &[3]], Any, |x| {
                let mask = T::vector(vec![1.0, 0.0, 1.0]);
                VarOf::select(&mask, x[0], x[1])
            }),
            case("clamp", &[&[9]], Any, |x| x[0].clamp(-0.5, 0.7)),
            case("abs", &[&[6]], AwayFromZero, |x| x[0].abs()),
            case("relu", &[&[6]], AwayFromZero, |x| x[0].relu()),
            case("index_select", &[&[3, 4]], Any, |x| {
                x[0].index_select(1, &[2, 0, 2])
            }),
            case("slice", &[&[3, 5]], Any, |x| x[0].slice(1, 1, 4)),
            case("concat", &[&[2, 3], &[1, 3]], Any, |x| {
                VarOf::concat(&[x[0], x[1]], 0)
            }),
            case("sigmoid", &[&[2, 3]], Any, |x| x[0].sigmoid()),
            case("softplus", &[&[7]], Any, |x| x[0].softplus()),
            case("logsumexp", &[&[3, 4]], Any, |x| {
                x[0].logsumexp(1, KeepDims::No)
            }),
            case("log_softmax", &[&[3, 4]], Any, |x| x[0].log_softmax(1)),
            case("softmax axis 0", &[&[3, 2]], Any, |x| x[0].softmax(0)),
            case("softmax cross-entropy", &[&[4, 3]], Any, |x| {
                x[0].softmax_cross_entropy(&[0, 2, 1, 2])
            }),
            case("bce with logits", &[&[5]], Any, |x| {
                let y = x[0]
                    .tape()
                    .constant(T::vector(vec![1.0, 0.0, 0.3, 1.0, 0.0]));
                x[0].binary_cross_entropy_with_logits(y)
            }),
            case("mse", &[&[2, 3], &[2, 3]], Any, |x| x[0].mse(x[1])),
            case("gaussian nll", &[&[6], &[6], &[6]], Any, |x| {
                x[0].gaussian_nll(x[1], x[2])
            }),
            case("mlp layer", &[&[5, 3], &[3, 4], &[4]], Any, |x| {
                (x[0].matmul(x[1]) + x[2]).tanh()
            }),
        ]
    }};
}
use op_table;

pub(crate) fn inputs<S: Scalar>(c: &Case<S>, seed: u64) -> Vec<TensorOf<S>> {
    c.shapes
        .iter()
        .enumerate()
        .map(|(i, s)| sample(s, c.domain, seed + i as u64))
        .collect()
}

pub(crate) fn directions<S: Scalar>(c: &Case<S>, seed: u64) -> Vec<TensorOf<S>> {
    c.shapes
        .iter()
        .enumerate()
        .map(|(i, s)| TensorOf::randn(s, seed + 100 + i as u64))
        .collect()
}

/// Every mode of each case's scalar loss, and the forward and reverse rules
/// of the op's own (vector) output, by `check::all` in the precision `S`
/// (its tolerances follow from `S`'s ε): the checks that failed.
pub(crate) fn table_failures<S: Scalar>(cases: Vec<Case<S>>) -> Vec<String> {
    let mut failures = Vec::new();
    for c in cases {
        let op = c.op;
        let loss = func_of::<S, _>(move |x| scalarize(op(x)));
        let xs = inputs(&c, 11);
        for report in [check::all(loss, &xs), check::all(op, &xs)] {
            assert_eq!(report.precision, S::NAME);
            for failed in report.failures() {
                failures.push(format!("{}: {failed:?}", c.name));
            }
        }
    }
    failures
}

#[test]
fn every_op_passes_every_check() {
    let failures = table_failures(table());
    assert!(
        failures.is_empty(),
        "derivative checks failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn batched_products_equal_single_products() {
    for c in table() {
        let op = c.op;
        let loss = autodiff::func(move |x| scalarize(op(x)));
        let xs = inputs(&c, 5);
        let k = 3;
        let dirs: Vec<Vec<Tensor>> = (0..k).map(|j| directions(&c, 50 + 10 * j)).collect();
        let lanes: Vec<Tensor> = (0..xs.len())
            .map(|i| {
                let mut shape = vec![k as usize];
                shape.extend_from_slice(xs[i].shape());
                let data = dirs.iter().flat_map(|d| d[i].data().to_vec()).collect();
                Tensor::from_vec(&shape, data).unwrap()
            })
            .collect();
        let batched = hvp_batch(loss, &xs, &lanes);
        for (j, d) in dirs.iter().enumerate() {
            let single = hvp(loss, &xs, d);
            assert_eq!(single.value, batched.value);
            for (i, h) in single.hvp.iter().enumerate() {
                let n = h.len();
                let lane = &batched.hvp[i].data()[j * n..(j + 1) * n];
                for (a, b) in h.data().iter().zip(lane) {
                    assert!(
                        (a - b).abs() <= 1e-12 * (1.0 + a.abs()),
                        "{}: lane {j} differs",
                        c.name
                    );
                }
            }
        }
    }
}

#[test]
fn linearized_products_equal_fresh_sweeps() {
    for c in table() {
        let op = c.op;
        let loss = autodiff::func(move |x| scalarize(op(x)));
        let xs = inputs(&c, 7);
        let lin = linearize(loss, &xs);
        let (value, grad) = autodiff::value_and_grad(loss, &xs);
        assert_eq!(lin.value(), value, "{}", c.name);
        assert_eq!(lin.grad(), grad.as_slice(), "{}", c.name);
        for seed in [60, 70] {
            let vs = directions(&c, seed);
            let fresh = hvp(loss, &xs, &vs).hvp;
            for (a, b) in lin.hvp(&vs).iter().zip(&fresh) {
                let err = check::Discrepancy::between(b.data(), a.data());
                assert!(
                    err.max_rel <= 1e-13,
                    "{}: linearized H·v differs by {:.1e}",
                    c.name,
                    err.max_rel
                );
            }
        }
    }
}

#[test]
fn products_without_the_gradient_equal_full_sweeps() {
    // Every op of the table (leaves as direct matmul operands among them),
    // and a two-layer model whose weight is used twice, transposed once.
    for c in table() {
        let op = c.op;
        let loss = autodiff::func(move |x| scalarize(op(x)));
        let xs = inputs(&c, 11);
        let vs = directions(&c, 80);
        assert_eq!(
            hvp_only(loss, &xs, &vs),
            hvp(loss, &xs, &vs).hvp,
            "{}",
            c.name
        );
    }
    let model = autodiff::func(|p| {
        let h = p[0].matmul(p[1]).tanh();
        (h.matmul(p[1].t()).tanh().matmul(p[1]) + p[2])
            .square()
            .sum()
    });
    let xs = [
        Tensor::randn(&[5, 4], 1),
        Tensor::randn(&[4, 4], 2),
        Tensor::randn(&[4], 3),
    ];
    let lanes: Vec<Tensor> = xs
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut shape = vec![3];
            shape.extend_from_slice(x.shape());
            Tensor::randn(&shape, 10 + i as u64)
        })
        .collect();
    assert_eq!(
        hvp_batch_only(model, &xs, &lanes),
        hvp_batch(model, &xs, &lanes).hvp
    );
}

#[test]
fn elementwise_ops_hold_over_sizes_one_to_thirty_one() {
    let ops: [(&str, Domain, OpFn); 5] = [
        ("tanh", Domain::Any, |x| x[0].tanh()),
        ("exp", Domain::Any, |x| x[0].exp()),
        ("log", Domain::Positive, |x| x[0].ln()),
        ("softplus", Domain::Any, |x| x[0].softplus()),
        ("mul broadcast", Domain::Any, |x| {
            x[0] * x[0].sum_axis(1, KeepDims::Yes)
        }),
    ];
    for n in [1, 2, 7, 31] {
        for (name, domain, op) in ops {
            let loss = autodiff::func(move |x| scalarize(op(x)));
            let xs = [sample(&[n, 2], domain, n as u64)];
            let vs = [Tensor::randn(&[n, 2], 99)];
            let g = check::gradient(loss, &xs).max_rel;
            let h = check::hvp(loss, &xs, &vs).max_rel;
            assert!(
                g < 1e-6 && h < 1e-5,
                "{name} at n={n}: gradient {g:.1e}, hvp {h:.1e}"
            );
        }
    }
}

#[test]
fn hessian_of_quadratic_is_its_matrix() {
    // f(x) = ½ xᵀ A x + bᵀ x with symmetric A: H = A exactly.
    let n = 7;
    let m = Tensor::randn(&[n, n], 3);
    let a = Tensor::from_fn(&[n, n], |k| {
        let (i, j) = (k / n, k % n);
        m.data()[i * n + j] + m.data()[j * n + i]
    });
    let b = Tensor::randn(&[n], 4);
    let (a2, b2) = (a.clone(), b.clone());
    let f = autodiff::func(move |x| {
        let t = x[0].tape();
        let col = x[0].reshape(&[n, 1]);
        let quad = col.t().matmul(t.constant(a2.clone()).matmul(col)).sum() * 0.5;
        quad + (x[0] * t.constant(b2.clone())).sum()
    });
    let h = hessian(f, &[Tensor::randn(&[n], 5)]);
    for (x, y) in h.data().iter().zip(a.data()) {
        assert!((x - y).abs() <= 1e-10 * y.abs().max(1.0), "{x} vs {y}");
    }
}

#[test]
fn hessian_of_rosenbrock_matches_the_analytic_one() {
    // f = (1 - x)² + 100 (y - x²)²
    let f = autodiff::func(|v| {
        let (x, y) = (v[0].slice(0, 0, 1), v[0].slice(0, 1, 2));
        ((1.0 - x).square() + (y - x.square()).square() * 100.0).sum()
    });
    for (x, y) in [(-1.2, 1.0), (1.0, 1.0), (0.3, -0.7)] {
        let h = hessian(f, &[Tensor::vector(vec![x, y])]);
        let want = [
            1200.0 * x * x - 400.0 * y + 2.0,
            -400.0 * x,
            -400.0 * x,
            200.0,
        ];
        for (got, w) in h.data().iter().zip(want) {
            assert!(
                (got - w).abs() <= 1e-10 * w.abs().max(1.0),
                "at ({x}, {y}): {got} vs {w}"
            );
        }
    }
}

#[test]
fn hessians_over_several_inputs_are_symmetric() {
    let f = autodiff::func(|p| (p[0].matmul(p[1]).tanh() + p[2]).softplus().sum());
    let xs = [
        Tensor::randn(&[2, 3], 1),
        Tensor::randn(&[3, 2], 2),
        Tensor::randn(&[2], 3),
    ];
    let h = hessian(f, &xs);
    let n = 14;
    assert_eq!(h.shape(), &[n, n]);
    for i in 0..n {
        for j in 0..n {
            let (a, b) = (h.data()[i * n + j], h.data()[j * n + i]);
            assert!(
                (a - b).abs() <= 1e-12 * (1.0 + a.abs()),
                "H[{i},{j}]={a} vs H[{j},{i}]={b}"
            );
        }
    }
}

#[test]
fn jacobian_matches_finite_differences() {
    let f = autodiff::func(|x| x[0].matmul(x[1]).tanh().reshape(&[6]));
    let xs = [Tensor::randn(&[2, 3], 7), Tensor::randn(&[3, 3], 8)];
    let jac = autodiff::jacobian(f, &xs);
    assert_eq!(jac.shape(), &[6, 15]);
    let x = autodiff::flatten(&xs);
    let h = 1e-6;
    for j in 0..15 {
        let mut p = x.clone();
        let mut m = x.clone();
        p[j] += h;
        m[j] -= h;
        let fp = autodiff::value(f, &autodiff::unflatten(&p, &xs));
        let fm = autodiff::value(f, &autodiff::unflatten(&m, &xs));
        for i in 0..6 {
            let fd = (fp.data()[i] - fm.data()[i]) / (2.0 * h);
            assert!((jac.data()[i * 15 + j] - fd).abs() < 1e-8, "J[{i},{j}]");
        }
    }
}

#[test]
fn intermediate_adjoints_are_gradients_wrt_that_node() {
    // y = sum(tanh(z)), z = W x: the adjoint of z is 1 - tanh(z)².
    let tape = autodiff::Tape::new();
    let w = tape.var(Tensor::randn(&[3, 2], 1));
    let x = tape.constant(Tensor::randn(&[2, 4], 2));
    let z = w.matmul(x);
    let y = z.tanh().sum();
    let adj = tape.backward(y);
    let want = z.value().map(|v| 1.0 - v.tanh().powi(2));
    for (a, b) in adj.grad(z).data().iter().zip(want.data()) {
        assert!((a - b).abs() < 1e-14);
    }
    assert_eq!(
        adj.grad(x),
        Tensor::zeros(&[2, 4]),
        "constants receive no gradient"
    );
}

#[test]
fn anomaly_detection_names_the_op_and_the_place() {
    let tape = autodiff::Tape::new();
    tape.detect_anomaly(true);
    let x = tape.var(Tensor::vector(vec![1.0, 0.0]));
    let y = x.ln(); // log 0 = -∞ in the forward sweep
    let _ = (y * 2.0).sum();
    let a = tape.anomaly().expect("log(0) is recorded");
    assert_eq!((a.op, a.part), ("log", "value"));
    assert_eq!(a.input_shapes, vec![vec![2]]);
    assert!(a.location.contains("derivatives.rs"), "{}", a.location);

    // A reverse-sweep anomaly: sqrt is finite at 0, its derivative is not.
    let tape = autodiff::Tape::new();
    tape.detect_anomaly(true);
    let x = tape.var(Tensor::vector(vec![4.0, 0.0]));
    let y = x.sqrt().sum();
    assert!(tape.anomaly().is_none(), "the forward sweep is finite");
    let _ = tape.backward(y);
    let a = tape
        .anomaly()
        .expect("the cotangent of sqrt at 0 is infinite");
    assert_eq!((a.op, a.part), ("sqrt", "cotangent"));
}

#[test]
fn without_anomaly_detection_nothing_is_recorded() {
    let tape = autodiff::Tape::new();
    let x = tape.var(Tensor::vector(vec![0.0]));
    let _ = tape.backward(x.ln().sum());
    assert!(tape.anomaly().is_none());
}

#[test]
fn stop_at_anomaly_panics_inside_the_functional_api() {
    let result = std::thread::spawn(|| {
        autodiff::stop_at_anomaly(true);
        autodiff::grad(
            |x| (x[0] / x[1]).sum(),
            &[Tensor::scalar(1.0), Tensor::scalar(0.0)],
        )
    })
    .join();
    let message = *result
        .expect_err("division by zero stops")
        .downcast::<String>()
        .expect("a message");
    assert!(
        message.contains("div") && message.contains("derivatives.rs"),
        "{message}"
    );
}
