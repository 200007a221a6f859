//! Natural gradient: the Gaussian fit against gradient descent, the two
//! solvers against each other, and the Fisher-metric step bound.

use autodiff::{value_and_grad, Tensor};
use models::curvature::Curvature;
use models::likelihood::UnivariateGaussian;
use models::second_order::{NaturalGradient, Solver};
use models::{
    Activation, Dataset, Mlp, Params, SoftmaxCrossEntropy, Supervised, Targets, TrainingMethod,
};
use nalgebra::{DMatrix, DVector};
use optim::linop::DenseMatrix;

use crate::common;

fn nll_grad(x: &Tensor, at: &UnivariateGaussian) -> Vec<f64> {
    let (_, g) = value_and_grad(
        |p| UnivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x.clone())),
        &at.params(),
    );
    vec![g[0].item(), g[1].item()]
}

#[test]
fn natural_gradient_reaches_the_gaussian_mle_while_gradient_descent_lags() {
    let x = UnivariateGaussian::new(2.0, 5.0f64.ln()).sample(400, 7);
    // The maximum-likelihood estimate, computed here by hand.
    let n = x.len() as f64;
    let mean = x.data().iter().sum::<f64>() / n;
    let std = (x.data().iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();

    let lr = 0.1;
    let ng = NaturalGradient::new()
        .lr(lr)
        .damping(0.0)
        .solver(Solver::Cholesky);
    let (mut natural, mut plain) = (
        UnivariateGaussian::new(0.0, 0.0),
        UnivariateGaussian::new(0.0, 0.0),
    );
    for _ in 0..100 {
        let fisher = natural.fisher();
        let fisher = DenseMatrix::new(2, fisher.data().to_vec()).expect("2 × 2");
        let s = ng
            .update(&fisher, &nll_grad(&x, &natural))
            .expect("the Fisher is positive definite");
        natural = UnivariateGaussian::new(natural.mean + s.step[0], natural.log_sigma + s.step[1]);

        let g = nll_grad(&x, &plain);
        plain = UnivariateGaussian::new(plain.mean - lr * g[0], plain.log_sigma - lr * g[1]);
    }
    let distance =
        |p: &UnivariateGaussian| (p.mean - mean).abs().max((p.log_sigma.exp() - std).abs());
    println!("natural gradient: {natural:?}, gradient descent: {plain:?}, MLE: ({mean}, {std})");
    assert!(
        distance(&natural) < 1e-3,
        "natural gradient {natural:?} vs MLE ({mean}, {std})"
    );
    assert!(
        distance(&plain) > 0.5,
        "gradient descent {plain:?} is already near the MLE"
    );
}

fn small_problem() -> (Supervised<Mlp, SoftmaxCrossEntropy>, Params) {
    let x = Tensor::randn(&[24, 3], 1);
    let labels = (0..24).map(|i| (i * 7) % 3).collect();
    let data = Dataset::new(x, Targets::Classes { labels, classes: 3 }).expect("well-formed");
    let mlp = Mlp::new(3)
        .dense(4, Activation::Tanh)
        .dense(3, Activation::Identity);
    let params = mlp.init(3);
    (
        Supervised::new(mlp, SoftmaxCrossEntropy, data).unwrap(),
        params,
    )
}

#[test]
fn cholesky_and_cg_take_the_same_step_and_it_solves_the_damped_system() {
    let (problem, params) = small_problem();
    let damping = 1e-2;
    let mut steps = Vec::new();
    for solver in [
        Solver::Cholesky,
        Solver::Cg {
            max_iter: 500,
            rel_tol: 1e-12,
        },
    ] {
        let mut p = params.clone();
        let mut ng = NaturalGradient::new()
            .lr(1.0)
            .damping(damping)
            .solver(solver);
        ng.step(&problem, &mut p, problem.data()).expect("step");
        steps.push(DVector::from_vec(p.flatten()) - DVector::from_vec(params.flatten()));
    }
    assert!((&steps[0] - &steps[1]).norm() < 1e-6 * steps[0].norm());

    // Independent truth: the exact Fisher of softmax outputs is the
    // Gauss-Newton matrix, built here from models' own product.
    let (f, g) = common::dense_gauss_newton_and_gradient(&problem, &params);
    let n = params.num_values();
    let residual = (&f + DMatrix::identity(n, n) * damping) * &steps[0] + &g;
    assert!(
        residual.norm() < 1e-8 * g.norm(),
        "residual {}",
        residual.norm()
    );
}

#[test]
fn fisher_bound_limits_the_step_and_other_fishers_step_downhill() {
    let (problem, params) = small_problem();
    let max_kl = 1e-3;
    let mut p = params.clone();
    let mut ng = NaturalGradient::new().lr(1.0).damping(1e-4).max_kl(max_kl);
    let report = ng.step(&problem, &mut p, problem.data()).expect("step");
    let s = DVector::from_vec(p.flatten()) - DVector::from_vec(params.flatten());
    let (f, _) = common::dense_gauss_newton_and_gradient(&problem, &params);
    let kl = 0.5 * s.dot(&(&f * &s));
    assert!((kl - max_kl).abs() < 1e-9, "½ sᵀFs = {kl}");

    let before = report.loss;
    for fisher in [
        Curvature::MonteCarloFisher {
            samples: 4,
            seed: 1,
        },
        Curvature::EmpiricalFisher,
        Curvature::GaussNewton,
    ] {
        let mut p = params.clone();
        let mut ng = NaturalGradient::new()
            .lr(0.5)
            .damping(1e-2)
            .curvature(fisher)
            .solver(Solver::Cg {
                max_iter: 100,
                rel_tol: 1e-8,
            });
        for _ in 0..5 {
            ng.step(&problem, &mut p, problem.data()).expect("step");
        }
        let after = problem.value_and_grad(p.tensors()).0;
        assert!(after < before, "{fisher:?}: {before} → {after}");
    }
}
