//! Hessian-free: its Gauss-Newton products against a dense Jᵀ H J, and a
//! monotone descent on a small problem where the damping must adapt.

use autodiff::{hessian, jacobian, Tensor};
use models::curvature::Curvature;
use models::second_order::{HessianFree, HessianFreeConfig};
use models::{
    Activation, Dataset, Loss, Mlp, Model, Mse, Params, SoftmaxCrossEntropy, Supervised, Targets,
    TrainingMethod,
};
use nalgebra::DMatrix;
use optim::linop::DenseMatrix;

/// `Jᵀ H J` with `J` the dense Jacobian of the outputs and `H` the engine's
/// dense Hessian of the loss in the outputs.
fn dense_ggn<L: Loss>(mlp: &Mlp, params: &[Tensor], data: &Dataset, loss: &L) -> DMatrix<f64> {
    let x = data.features().clone();
    let net = autodiff::func(|p| mlp.forward(p, p[0].tape().constant(x.clone())));
    let j = jacobian(net, params);
    let (m, n) = (j.shape()[0], j.shape()[1]);
    let j = DMatrix::from_row_slice(m, n, j.data());
    let outputs = autodiff::value(net, params);
    let h = hessian(
        |o| loss.loss(o[0], data.targets()),
        std::slice::from_ref(&outputs),
    );
    let h = DMatrix::from_row_slice(m, m, h.data());
    j.transpose() * h * j
}

fn ggn_operator<L: Loss + Clone>(
    mlp: &Mlp,
    params: &[Tensor],
    data: &Dataset,
    loss: &L,
) -> DMatrix<f64> {
    let problem = Supervised::new(mlp.clone(), loss.clone(), data.clone()).unwrap();
    let named = params
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("p{i}"), t.clone()))
        .collect();
    let op = problem
        .curvature(&Params::new(named).unwrap(), data, Curvature::GaussNewton)
        .expect("valid");
    let n = params.iter().map(Tensor::len).sum();
    DMatrix::from_row_slice(n, n, DenseMatrix::from_operator(&op).data())
}

#[test]
fn gauss_newton_products_match_the_dense_ggn() {
    let x = Tensor::randn(&[7, 3], 2);
    let mlp = Mlp::new(3)
        .dense(4, Activation::Tanh)
        .dense(2, Activation::Identity);
    let params = mlp.init(1);
    let regression =
        Dataset::new(x.clone(), Targets::Values(Tensor::randn(&[7, 2], 3))).expect("ok");
    let dense = dense_ggn(&mlp, params.tensors(), &regression, &Mse);
    let op = ggn_operator(&mlp, params.tensors(), &regression, &Mse);
    assert!((&dense - &op).abs().max() < 1e-12 * dense.abs().max());

    let mlp = Mlp::new(3)
        .dense(4, Activation::Tanh)
        .dense(3, Activation::Identity);
    let params = mlp.init(1);
    let labels = (0..7).map(|i| i % 3).collect();
    let classes = Dataset::new(x, Targets::Classes { labels, classes: 3 }).expect("ok");
    let dense = dense_ggn(&mlp, params.tensors(), &classes, &SoftmaxCrossEntropy);
    let op = ggn_operator(&mlp, params.tensors(), &classes, &SoftmaxCrossEntropy);
    assert!((&dense - &op).abs().max() < 1e-12 * dense.abs().max());
}

/// y = sin(2 x₀) + x₁², fitted by a 2-10-1 tanh network.
fn curve() -> models::Supervised<Mlp, Mse> {
    let x = Tensor::rand_uniform(&[60, 2], -1.5, 1.5, 9);
    let y = Tensor::from_fn(&[60, 1], |i| {
        (2.0 * x.data()[2 * i]).sin() + x.data()[2 * i + 1].powi(2)
    });
    let data = Dataset::new(x, Targets::Values(y)).expect("ok");
    let mlp = Mlp::new(2)
        .dense(10, Activation::Tanh)
        .dense(1, Activation::Identity);
    models::Supervised::new(mlp, Mse, data).unwrap()
}

#[test]
fn hessian_free_descends_monotonically_while_the_damping_adapts() {
    let problem = curve();
    // Start far too small (steps overshoot) and far too large (steps crawl):
    // the damping has to move towards the middle either way.
    for (start, must_rise) in [(1e-6, true), (1e3, false)] {
        let mut params = problem.model().init(4);
        let initial = problem.value_and_grad(params.tensors()).0;
        let mut hf = HessianFree::new(HessianFreeConfig {
            damping: start,
            ..HessianFreeConfig::default()
        });
        let mut last = initial;
        let mut dampings = vec![start];
        for _ in 0..25 {
            let s = hf
                .step(&problem, &mut params, problem.data())
                .expect("step");
            let now = problem.value_and_grad(params.tensors()).0;
            assert!(now <= last, "the objective rose: {last} → {now}");
            assert_eq!(s.loss, last);
            assert_eq!(s.accepted, now < last);
            last = now;
            dampings.push(s.damping.expect("HF adapts its damping"));
        }
        let moved = if must_rise {
            dampings.iter().cloned().fold(0.0, f64::max) > 10.0 * start
        } else {
            dampings.iter().cloned().fold(f64::INFINITY, f64::min) < start / 10.0
        };
        println!("λ from {start:e}: {dampings:?}; loss {initial} → {last}");
        assert!(moved, "the damping did not adapt: {dampings:?}");
        assert!(last < 0.1 * initial, "loss {initial} → {last}");
    }
}

#[test]
fn every_preconditioner_descends() {
    use models::second_order::Preconditioner;
    let problem = curve();
    for preconditioner in [
        Preconditioner::Identity,
        Preconditioner::EmpiricalFisherDiagonal { exponent: 0.75 },
        Preconditioner::Nystrom { rank: 12 },
    ] {
        let mut params = problem.model().init(4);
        let initial = problem.value_and_grad(params.tensors()).0;
        let mut hf = HessianFree::new(HessianFreeConfig {
            preconditioner,
            ..HessianFreeConfig::default()
        });
        let mut products = 0;
        for _ in 0..10 {
            let s = hf
                .step(&problem, &mut params, problem.data())
                .expect("step");
            products += s.curvature_products;
        }
        let last = problem.value_and_grad(params.tensors()).0;
        println!("{preconditioner:?}: {initial} → {last}, {products} curvature products");
        assert!(
            last < 0.5 * initial,
            "{preconditioner:?}: {initial} → {last}"
        );
    }
}
