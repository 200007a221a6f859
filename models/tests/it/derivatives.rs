//! MLP gradients and H·v against finite differences for every activation and
//! every loss; output-space curvature against the engine's exact Hessian;
//! the layer statistics K-FAC reads.

use autodiff::{check, func, Tape, Tensor};
use models::curvature::Curvature;
use models::{
    dense_layers, Activation, BceWithLogits, Dataset, GaussianHead, Loss, Mlp, Model, Mse, Params,
    SoftmaxCrossEntropy, Supervised, Targets,
};
use optim::linop::LinearOperator;

const GRAD_TOL: f64 = 1e-6;
const HVP_TOL: f64 = 1e-5;

fn features(n: usize, d: usize, seed: u64) -> Tensor {
    Tensor::randn(&[n, d], seed)
}

/// One target set per loss, for 5 examples and `outputs` network outputs.
fn problems(outputs: usize) -> Vec<(&'static str, Targets)> {
    let n = 5;
    vec![
        ("mse", Targets::Values(Tensor::randn(&[n, outputs], 11))),
        (
            "bce",
            Targets::Values(Tensor::rand_uniform(&[n, outputs], 0.0, 1.0, 12)),
        ),
        (
            "softmax",
            Targets::Classes {
                labels: vec![0, 2, 1, 2, 0],
                classes: outputs,
            },
        ),
        (
            "gaussian",
            Targets::Values(Tensor::randn(&[n, outputs / 2], 13)),
        ),
    ]
}

fn directions(params: &Params, seed: u64) -> Vec<Tensor> {
    params
        .tensors()
        .iter()
        .enumerate()
        .map(|(i, t)| Tensor::randn(t.shape(), seed + i as u64))
        .collect()
}

fn check_problem<L: Loss>(mlp: &Mlp, loss: L, targets: Targets, label: &str) {
    let data = Dataset::new(features(5, 3, 1), targets).unwrap();
    // Random biases too, so no layer sits at a special point.
    let params = mlp.init(3);
    let params = params
        .with_flat(
            &Tensor::randn(&[params.num_values()], 4)
                .map(|x| 0.7 * x)
                .into_vec(),
        )
        .unwrap();
    let problem = Supervised::new(mlp.clone(), loss, data)
        .unwrap()
        .with_l2(0.1);
    let f = problem.closure();
    let v = directions(&params, 20);
    let g = check::gradient(&f, params.tensors());
    let h = check::hvp(&f, params.tensors(), &v);
    assert!(g.max_rel < GRAD_TOL, "{label}: gradient {g:?}");
    assert!(h.max_rel < HVP_TOL, "{label}: H·v {h:?}");
}

#[test]
fn every_activation_with_every_loss_matches_finite_differences() {
    for act in Activation::ALL {
        // ReLU's kink: with these seeded inputs no pre-activation lies within a
        // finite-difference step of 0 (the check would fail there).
        let mlp = Mlp::new(3)
            .dense(4, act)
            .dense(3, act)
            .dense(4, Activation::Identity);
        for (name, targets) in problems(4) {
            let targets = match (name, targets) {
                ("softmax", Targets::Classes { labels, .. }) => {
                    Targets::Classes { labels, classes: 4 }
                }
                (_, t) => t,
            };
            let label = format!("{act:?} + {name}");
            match name {
                "mse" => check_problem(&mlp, Mse, targets, &label),
                "bce" => check_problem(&mlp, BceWithLogits, targets, &label),
                "softmax" => check_problem(&mlp, SoftmaxCrossEntropy, targets, &label),
                _ => check_problem(&mlp, GaussianHead, targets, &label),
            }
        }
    }
}

/// The closed-form output Hessians against the engine's exact output-space H·v.
fn output_hessian_matches<L: Loss>(loss: L, targets: &Targets, k: usize) {
    let outputs = Tensor::randn(&[5, k], 30);
    let v = Tensor::randn(&[5, k], 31);
    let f = func(|o| loss.loss(o[0], targets));
    let exact = autodiff::hvp(f, std::slice::from_ref(&outputs), std::slice::from_ref(&v));
    let ours = loss.hessian(&outputs, targets).apply(&v);
    let d = check::Discrepancy::between(exact.hvp[0].data(), ours.data());
    assert!(d.max_rel < 1e-12, "{d:?}");
}

#[test]
fn canonical_output_curvature_is_the_exact_hessian() {
    let p = problems(3);
    output_hessian_matches(Mse, &p[0].1, 3);
    output_hessian_matches(BceWithLogits, &p[1].1, 3);
    output_hessian_matches(SoftmaxCrossEntropy, &p[2].1, 3);
}

/// For the Gaussian head the curvature is the Fisher, the Hessian averaged
/// over `y ~ N(μ, σ²)`. The NLL is quadratic in `y`, so that average is
/// exact over the two points `y = μ ± σ` (they have the right mean and variance).
#[test]
fn gaussian_head_curvature_is_the_expected_hessian() {
    let outputs = Tensor::randn(&[4, 2], 40);
    let v = Tensor::randn(&[4, 2], 41);
    let f = outputs.data();
    let at = |sign: f64| {
        let y = Targets::Values(Tensor::from_fn(&[4, 1], |i| {
            f[2 * i] + sign * f[2 * i + 1].exp()
        }));
        autodiff::hvp(
            |o| GaussianHead.loss(o[0], &y),
            std::slice::from_ref(&outputs),
            std::slice::from_ref(&v),
        )
        .hvp[0]
            .clone()
    };
    let (plus, minus) = (at(1.0), at(-1.0));
    let expected: Vec<f64> = plus
        .data()
        .iter()
        .zip(minus.data())
        .map(|(a, b)| (a + b) / 2.0)
        .collect();
    let d = check::Discrepancy::between(
        &expected,
        GaussianHead
            .fisher(&outputs)
            .expect("closed form")
            .apply(&v)
            .data(),
    );
    assert!(d.max_rel < 1e-12, "{d:?}");
}

/// `(JᵀHJ + l2 I) v` from the problem's Gauss-Newton operator.
fn gauss_newton_vp<M: Model, L: Loss>(
    problem: &Supervised<M, L>,
    params: &Params,
    v: &[Tensor],
) -> Vec<Tensor> {
    let op = problem
        .curvature(params, problem.data(), Curvature::GaussNewton)
        .expect("the loss fits");
    let flat = autodiff::flatten(v);
    let mut out = op.apply(&flat);
    optim::linop::axpy(problem.l2(), &flat, &mut out);
    autodiff::unflatten(&out, v)
}

/// For a linear model the outputs are linear in the parameters, so the
/// Gauss-Newton matrix of a canonical loss is the exact Hessian.
#[test]
fn gauss_newton_equals_hessian_for_a_linear_model() {
    let linear = Mlp::new(3).dense(3, Activation::Identity);
    let params = linear.init(5);
    let v = directions(&params, 50);
    let x = features(5, 3, 6);
    let check_one = |gn: Vec<Tensor>, h: Vec<Tensor>| {
        let d = check::Discrepancy::between(&autodiff::flatten(&h), &autodiff::flatten(&gn));
        assert!(d.max_rel < 1e-12, "{d:?}");
    };
    let p = problems(3);
    let mse = Supervised::new(
        linear.clone(),
        Mse,
        Dataset::new(x.clone(), p[0].1.clone()).unwrap(),
    )
    .unwrap()
    .with_l2(0.3);
    check_one(
        gauss_newton_vp(&mse, &params, &v),
        autodiff::hvp(mse.closure(), params.tensors(), &v).hvp,
    );
    let ce = Supervised::new(
        linear.clone(),
        SoftmaxCrossEntropy,
        Dataset::new(x.clone(), p[2].1.clone()).unwrap(),
    )
    .unwrap();
    check_one(
        gauss_newton_vp(&ce, &params, &v),
        autodiff::hvp(ce.closure(), params.tensors(), &v).hvp,
    );
    let bce = Supervised::new(
        linear,
        BceWithLogits,
        Dataset::new(x, p[1].1.clone()).unwrap(),
    )
    .unwrap();
    check_one(
        gauss_newton_vp(&bce, &params, &v),
        autodiff::hvp(bce.closure(), params.tensors(), &v).hvp,
    );
}

/// Gauss-Newton on a nonlinear network is symmetric and positive semi-definite.
#[test]
fn gauss_newton_is_symmetric_positive_semidefinite() {
    let mlp = Mlp::new(3)
        .dense(4, Activation::Tanh)
        .dense(3, Activation::Identity);
    let params = mlp.init(7);
    let p = problems(3);
    let problem = Supervised::new(
        mlp,
        SoftmaxCrossEntropy,
        Dataset::new(features(5, 3, 8), p[2].1.clone()).unwrap(),
    )
    .unwrap();
    let (u, v) = (directions(&params, 60), directions(&params, 70));
    let dot = |a: &[Tensor], b: &[Tensor]| {
        autodiff::flatten(a)
            .iter()
            .zip(autodiff::flatten(b))
            .map(|(x, y)| x * y)
            .sum::<f64>()
    };
    let (gu, gv) = (
        gauss_newton_vp(&problem, &params, &u),
        gauss_newton_vp(&problem, &params, &v),
    );
    assert!((dot(&u, &gv) - dot(&gu, &v)).abs() < 1e-12 * dot(&u, &gu).abs().max(1.0));
    assert!(dot(&u, &gu) >= 0.0 && dot(&v, &gv) >= 0.0);
}

/// What K-FAC relies on: each layer's weight gradient is `aᵀ g` and its bias
/// gradient `Σ_rows g`, with `a` the layer input and `g` the gradient with
/// respect to its pre-activation, both read from the layers registered on the tape.
#[test]
fn traced_statistics_reproduce_the_parameter_gradients() {
    let mlp = Mlp::new(3)
        .dense(5, Activation::Gelu)
        .dense(4, Activation::Softplus)
        .dense(2, Activation::Identity);
    let params = mlp.init(9);
    let tape = Tape::new();
    let vars = params.vars(&tape);
    let x = tape.constant(features(6, 3, 10));
    let output = mlp.forward(&vars, x);
    let layers = dense_layers(&tape);
    assert_eq!(layers.len(), 3);
    assert_eq!(
        output.value(),
        autodiff::value(
            |p| mlp.forward(p, p[0].tape().constant(features(6, 3, 10))),
            params.tensors()
        )
    );
    let loss = Mse.loss(output, &Targets::Values(Tensor::randn(&[6, 2], 11)));
    let adj = tape.backward(loss);
    for (i, layer) in layers.iter().enumerate() {
        assert_eq!(layer.weight.id(), vars[Mlp::weight_index(i)].id());
        let a = layer.input.value();
        let g = adj.grad(layer.pre_activation);
        let (n, fan_in, fan_out) = (a.shape()[0], a.shape()[1], g.shape()[1]);
        let w_grad = adj.grad(layer.weight);
        let b_grad = adj.grad(layer.bias.expect("an Mlp layer has a bias"));
        for r in 0..fan_in {
            for c in 0..fan_out {
                let outer: f64 = (0..n)
                    .map(|k| a.data()[k * fan_in + r] * g.data()[k * fan_out + c])
                    .sum();
                assert!((outer - w_grad.data()[r * fan_out + c]).abs() < 1e-14);
            }
        }
        for c in 0..fan_out {
            let s: f64 = (0..n).map(|k| g.data()[k * fan_out + c]).sum();
            assert!((s - b_grad.data()[c]).abs() < 1e-14);
        }
    }
}
