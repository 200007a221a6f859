//! Gauss-Newton, Fisher and Hessian operators on a small tanh MLP with a
//! softmax cross-entropy loss, against dense matrices built independently.

// The fixtures of optim's curvature tests: one small MLP for both crates.
use crate::curvature_support;

use autodiff::{check, flatten, grad, hessian, jacobian, value, Tensor, Var};
use curvature_support::{rel_diff, to_nalgebra, Mlp};
use models::curvature::{Curvature, ModelCurvature};
use models::{BceWithLogits, Loss, Mse, SoftmaxCrossEntropy, StepError, Targets};
use nalgebra::{DMatrix, SymmetricEigen};
use optim::curvature::{
    extreme_eigenpairs, hutchinson, power_iteration, FiniteDifferenceHessian, HessianOperator,
    LanczosParams, PowerParams, TraceParams,
};
use optim::linop::LinearOperator;

/// Widths 4-6-3, batch 10: 51 parameters.
fn mlp() -> Mlp {
    Mlp::new(&[4, 6, 3], 10, 1)
}

fn labels(m: &Mlp) -> Targets {
    Targets::Classes {
        labels: m.labels.clone(),
        classes: 3,
    }
}

/// The operator `JᵀQJ` of `m` with `loss` at the chosen curvature.
fn operator(
    m: &Mlp,
    loss: &impl Loss,
    targets: &Targets,
    choice: Curvature,
) -> Result<ModelCurvature, StepError> {
    ModelCurvature::new(
        |p| m.forward(p),
        m.params.clone(),
        |z| choice.output_matrix(loss, z, targets),
    )
}

/// `Jᵀ H J` with `J` the model's Jacobian and `H` the Hessian of `loss` with
/// respect to the outputs, both from the engine's dense builders.
fn dense_sandwich(m: &Mlp, loss: &impl Loss, targets: &Targets) -> DMatrix<f64> {
    let z = value(|p| m.forward(p), &m.params);
    let n = autodiff::total_len(&m.params);
    let j = jacobian(|p| m.forward(p), &m.params);
    let h = hessian(|z| loss.loss(z[0], targets), std::slice::from_ref(&z));
    let j = DMatrix::from_row_slice(z.len(), n, j.data());
    let h = DMatrix::from_row_slice(z.len(), z.len(), h.data());
    j.transpose() * h * j
}

/// The gradient of `−log softmax(z)_{b,c}` (one example, one class).
fn example_gradient(m: &Mlp, b: usize, c: usize) -> DMatrix<f64> {
    let classes = 3;
    let g = grad(
        |p: &[Var]| {
            let logp = m.forward(p).log_softmax(1).reshape(&[10 * classes]);
            -logp.index_select(0, &[b * classes + c]).sum()
        },
        &m.params,
    );
    DMatrix::from_column_slice(autodiff::total_len(&m.params), 1, &flatten(&g))
}

#[test]
fn gauss_newton_equals_the_dense_jacobian_sandwich() {
    let m = mlp();
    let (loss, targets) = (SoftmaxCrossEntropy, labels(&m));
    let ggn = operator(&m, &loss, &targets, Curvature::GaussNewton).unwrap();
    let err = rel_diff(&dense_sandwich(&m, &loss, &targets), &to_nalgebra(&ggn));
    assert!(err < 1e-12, "{err:e}");
}

#[test]
fn exact_fisher_equals_the_expected_outer_product_of_per_example_gradients() {
    let m = mlp();
    let (loss, targets) = (SoftmaxCrossEntropy, labels(&m));
    let fisher = operator(&m, &loss, &targets, Curvature::Fisher).unwrap();
    let probs = value(|p| m.forward(p).softmax(1), &m.params);
    let n = autodiff::total_len(&m.params);
    // F = (1/B) Σ_b Σ_c p_{bc} g_{bc} g_{bc}ᵀ, with g_{bc} the gradient of −log p_c.
    let mut dense = DMatrix::zeros(n, n);
    for b in 0..10 {
        for c in 0..3 {
            let g = example_gradient(&m, b, c);
            dense += &g * g.transpose() * (probs.data()[b * 3 + c] / 10.0);
        }
    }
    let fisher = to_nalgebra(&fisher);
    assert!(rel_diff(&dense, &fisher) < 1e-12);
    // The softmax is a canonical link: Fisher and Gauss-Newton coincide.
    let ggn = operator(&m, &loss, &targets, Curvature::GaussNewton).unwrap();
    assert!(rel_diff(&to_nalgebra(&ggn), &fisher) < 1e-12);
}

#[test]
fn empirical_fisher_is_the_mean_outer_product_of_observed_gradients() {
    let m = mlp();
    let (loss, targets) = (SoftmaxCrossEntropy, labels(&m));
    let emp = operator(&m, &loss, &targets, Curvature::EmpiricalFisher).unwrap();
    let n = autodiff::total_len(&m.params);
    let mut dense = DMatrix::zeros(n, n);
    for (b, &y) in m.labels.iter().enumerate() {
        let g = example_gradient(&m, b, y);
        dense += &g * g.transpose() / 10.0;
    }
    assert!(rel_diff(&dense, &to_nalgebra(&emp)) < 1e-12);
}

#[test]
fn monte_carlo_fisher_converges_to_the_exact_fisher() {
    let m = mlp();
    let (loss, targets) = (SoftmaxCrossEntropy, labels(&m));
    let exact = to_nalgebra(&operator(&m, &loss, &targets, Curvature::Fisher).unwrap());
    let error = |samples| {
        let mc = operator(
            &m,
            &loss,
            &targets,
            Curvature::MonteCarloFisher { samples, seed: 5 },
        )
        .unwrap();
        let mc = to_nalgebra(&mc);
        assert!(SymmetricEigen::new(mc.clone()).eigenvalues.min() > -1e-12 * mc.amax());
        (mc - &exact).norm() / exact.norm()
    };
    let (few, many) = (error(1), error(400));
    // The error falls like 1/√S: 400 samples should cut it by about 20.
    assert!(
        many < 0.15 && many < few / 5.0,
        "1 sample: {few}, 400 samples: {many}"
    );
    assert_eq!(
        operator(
            &m,
            &loss,
            &targets,
            Curvature::MonteCarloFisher {
                samples: 0,
                seed: 5
            }
        )
        .err(),
        Some(StepError::Unsupported(
            "a Monte-Carlo Fisher needs at least one sample".into()
        ))
    );
}

#[test]
fn gauss_newton_is_psd_while_the_hessian_is_indefinite() {
    let m = mlp();
    let (loss, targets) = (SoftmaxCrossEntropy, labels(&m));
    let ggn = to_nalgebra(&operator(&m, &loss, &targets, Curvature::GaussNewton).unwrap());
    let h = HessianOperator::new(|p| m.loss(p), m.params.clone());
    let dense_h = to_nalgebra(&h);
    // The operator's columns are the engine's dense Hessian.
    let n = dense_h.nrows();
    let reference = DMatrix::from_row_slice(n, n, hessian(|p| m.loss(p), &m.params).data());
    assert!(rel_diff(&reference, &dense_h) < 1e-12);
    assert!(rel_diff(&dense_h, &dense_h.transpose()) < 1e-12);
    let g_eigs = SymmetricEigen::new(ggn.clone()).eigenvalues;
    let h_eigs = SymmetricEigen::new(dense_h).eigenvalues;
    assert!(g_eigs.min() > -1e-12 * g_eigs.amax(), "{}", g_eigs.min());
    assert!(h_eigs.min() < -1e-3 * h_eigs.amax(), "{}", h_eigs.min());
}

#[test]
fn batched_products_equal_one_at_a_time() {
    let m = mlp();
    let (loss, targets) = (SoftmaxCrossEntropy, labels(&m));
    let n = autodiff::total_len(&m.params);
    let vs: Vec<Vec<f64>> = (0..4)
        .map(|s| Tensor::randn(&[n], 30 + s).into_vec())
        .collect();
    let h = HessianOperator::new(|p| m.loss(p), m.params.clone());
    let ggn = operator(&m, &loss, &targets, Curvature::GaussNewton).unwrap();
    let ops: [&dyn LinearOperator; 2] = [&h, &ggn];
    for op in ops {
        let block = op.apply_block(&vs);
        for (v, bv) in vs.iter().zip(&block) {
            let one = op.apply(v);
            let diff = one
                .iter()
                .zip(bv)
                .fold(0.0_f64, |d, (a, b)| d.max((a - b).abs()));
            assert!(diff < 1e-12 * one.iter().fold(1.0_f64, |s, x| s.max(x.abs())));
        }
    }
}

#[test]
fn bernoulli_and_squared_error_on_several_outputs_agree_at_one_scale() {
    // Two outputs per example: BCE and MSE average over both, and the
    // Gauss-Newton matrix, the exact Fisher and the Monte-Carlo Fisher
    // agree at that scale (the likelihood weight c = 1/k and the variance
    // k/2 do it).
    let m = Mlp::new(&[3, 5, 2], 6, 2);
    let z = value(|p| m.forward(p), &m.params);
    let bernoulli = Targets::Values(Tensor::rand_uniform(z.shape(), 0.0, 1.0, 3));
    let gaussian = Targets::Values(Tensor::randn(z.shape(), 4));
    fn agree(m: &Mlp, loss: &impl Loss, targets: &Targets) {
        let ggn = to_nalgebra(&operator(m, loss, targets, Curvature::GaussNewton).unwrap());
        let fisher = to_nalgebra(&operator(m, loss, targets, Curvature::Fisher).unwrap());
        assert!(rel_diff(&dense_sandwich(m, loss, targets), &ggn) < 1e-12);
        assert!(rel_diff(&ggn, &fisher) < 1e-12);
        // Targets sampled from the model's Bernoulli / Gaussian predictive.
        let choice = Curvature::MonteCarloFisher {
            samples: 400,
            seed: 7,
        };
        let mc = to_nalgebra(&operator(m, loss, targets, choice).unwrap());
        let err = (mc - &fisher).norm() / fisher.norm();
        assert!(err < 0.15, "{err}");
    }
    agree(&m, &BceWithLogits, &bernoulli);
    agree(&m, &Mse, &gaussian);
}

#[test]
fn mismatched_loss_data_is_an_error() {
    let m = mlp();
    let wrong =
        |loss: &dyn Fn(&Targets) -> Result<ModelCurvature, StepError>, t: Targets| match loss(&t) {
            Err(StepError::Mismatch(message)) => message,
            other => panic!(
                "expected a mismatch, got {:?}",
                other.map(|_| "an operator")
            ),
        };
    let softmax = |t: &Targets| operator(&m, &SoftmaxCrossEntropy, t, Curvature::GaussNewton);
    let message = wrong(
        &softmax,
        Targets::Classes {
            labels: vec![3; 10],
            classes: 4,
        },
    );
    // Three outputs for labels of four classes: the outputs are what is wrong.
    assert!(
        message.contains("4 classes") && message.contains("expected outputs of shape [10, 4]"),
        "{message}"
    );
    let message = wrong(
        &softmax,
        Targets::Classes {
            labels: vec![3; 10],
            classes: 3,
        },
    );
    assert!(message.contains("label 3"), "{message}");
    let message = wrong(
        &softmax,
        Targets::Classes {
            labels: vec![0; 9],
            classes: 3,
        },
    );
    assert!(message.contains("9 labels"), "{message}");
    let bce = |t: &Targets| operator(&m, &BceWithLogits, t, Curvature::EmpiricalFisher);
    let message = wrong(&bce, Targets::Values(Tensor::zeros(&[10, 2])));
    assert!(
        message.contains("[10, 2]") && message.contains("[10, 3]"),
        "{message}"
    );
    let mse = |t: &Targets| operator(&m, &Mse, t, Curvature::Fisher);
    let message = wrong(&mse, Targets::Values(Tensor::zeros(&[10, 1])));
    assert!(message.contains("[10, 1]"), "{message}");
}

#[test]
fn exact_against_finite_difference_hvp_across_step_sizes() {
    // A wider MLP: 8-16-16-4, batch 32 (500 parameters).
    let m = Mlp::new(&[8, 16, 16, 4], 32, 6);
    let n = autodiff::total_len(&m.params);
    let v = autodiff::unflatten(&Tensor::randn(&[n], 40).into_vec(), &m.params);
    let sweep = check::hvp_step_sweep(|p| m.loss(p), &m.params, &v, &check::log_steps(-1, -12));
    println!("step     forward-diff rel. error   central-diff rel. error");
    for row in &sweep {
        println!(
            "{:.0e}    {:.2e}                  {:.2e}",
            row.step, row.forward.max_rel, row.central.max_rel
        );
    }
    let best = |f: fn(&check::StepError) -> f64| sweep.iter().map(f).fold(f64::INFINITY, f64::min);
    let best_central = best(|r| r.central.max_rel);
    let best_forward = best(|r| r.forward.max_rel);
    // The V shape: truncation error at large steps, rounding error at small.
    let first = sweep.first().expect("steps");
    let last = sweep.last().expect("steps");
    assert!(first.central.max_rel > 100.0 * best_central);
    assert!(last.central.max_rel > 100.0 * best_central);
    // Central differences beat forward differences and reach ~1e-8 at best.
    assert!(
        best_central < best_forward && best_central < 1e-7,
        "{best_central:e}"
    );

    // The operator with its default step agrees to about that accuracy.
    let exact = HessianOperator::new(|p| m.loss(p), m.params.clone());
    let fd = FiniteDifferenceHessian::with_default_step(|p| m.loss(p), m.params.clone());
    let flat_v = flatten(&v);
    let (hv, fd_hv) = (exact.apply(&flat_v), fd.apply(&flat_v));
    let scale = hv.iter().fold(0.0_f64, |s, x| s.max(x.abs()));
    let err = hv
        .iter()
        .zip(&fd_hv)
        .fold(0.0_f64, |e, (a, b)| e.max((a - b).abs()))
        / scale;
    assert!(err < 1e-6, "{err:e}");
}

#[test]
fn spectral_tools_on_the_mlp_agree_with_dense_eigenvalues() {
    let m = mlp();
    let (loss, targets) = (SoftmaxCrossEntropy, labels(&m));
    let h = HessianOperator::new(|p| m.loss(p), m.params.clone());
    let ggn = operator(&m, &loss, &targets, Curvature::GaussNewton).unwrap();
    let dense_h = to_nalgebra(&h);
    let dense_g = to_nalgebra(&ggn);
    let h_eigs = SymmetricEigen::new(dense_h.clone()).eigenvalues;
    let lanczos = extreme_eigenpairs(&h, 2, &LanczosParams::default());
    assert!((lanczos.largest[0].value - h_eigs.max()).abs() < 1e-8 * h_eigs.amax());
    assert!((lanczos.smallest[0].value - h_eigs.min()).abs() < 1e-8 * h_eigs.amax());
    let power = power_iteration(
        &h,
        &PowerParams {
            rel_tol: 1e-12,
            max_iter: 2000,
            seed: 1,
        },
    );
    let dominant = if h_eigs.max() >= -h_eigs.min() {
        h_eigs.max()
    } else {
        h_eigs.min()
    };
    assert!(
        (power.eigenvalue - dominant).abs() < 1e-6 * dominant.abs(),
        "{} vs {dominant}",
        power.eigenvalue
    );
    // Hutchinson through batched Gauss-Newton products, against the dense trace.
    let est = hutchinson(&ggn, &TraceParams::default());
    assert!((est.trace - dense_g.trace()).abs() < 4.0 * est.std_error);
}
