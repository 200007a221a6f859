//! K-FAC: exactness where the Kronecker factorisation is exact, and the
//! factors against statistics computed by hand.

use autodiff::Tensor;
use models::curvature::Curvature;
use models::second_order::{Kfac, KfacConfig, StepRule};
use models::{
    Activation, Dataset, Loss, Mlp, Mse, Params, SoftmaxCrossEntropy, Supervised, Targets,
    TrainingMethod,
};
use nalgebra::{DMatrix, DVector};

use crate::common;

#[test]
fn kfac_step_equals_the_dense_natural_gradient_step_on_a_linear_layer() {
    // A linear model with squared error: the Fisher is exactly A ⊗ (2/k) I.
    let (b, d, k) = (40, 3, 2);
    let data = Dataset::new(
        Tensor::randn(&[b, d], 11),
        Targets::Values(Tensor::randn(&[b, k], 12)),
    )
    .expect("well-formed");
    let mlp = Mlp::new(d).dense(k, Activation::Identity);
    let params = mlp.init(5);
    let problem = Supervised::new(mlp.clone(), Mse, data.clone()).unwrap();
    let mut kfac = Kfac::new(KfacConfig {
        curvature: Curvature::Fisher,
        rule: StepRule::Fixed {
            lr: 1.0,
            momentum: 0.0,
        },
        damping: 0.0,
        adapt_damping: false,
        ..KfacConfig::default()
    });
    let mut p = params.clone();
    kfac.step(&problem, &mut p, &data).expect("step");
    let step = DVector::from_vec(p.flatten()) - DVector::from_vec(params.flatten());

    // The dense Fisher, column by column from models' Gauss-Newton product.
    let (f, g) = common::dense_gauss_newton_and_gradient(&problem, &params);
    let natural = -f.lu().solve(&g).expect("the Fisher is invertible");
    let err = (&step - &natural).norm() / natural.norm();
    assert!(err < 1e-10, "relative difference {err:e}");
}

/// A 3-4-3 tanh network with softmax outputs, and everything by hand.
fn network() -> (Mlp, Params, Dataset) {
    let x = Tensor::randn(&[10, 3], 21);
    let labels = (0..10).map(|i| (i * 5 + 1) % 3).collect();
    let data = Dataset::new(x, Targets::Classes { labels, classes: 3 }).expect("well-formed");
    let mlp = Mlp::new(3)
        .dense(4, Activation::Tanh)
        .dense(3, Activation::Identity);
    let params = mlp.init(8);
    (mlp, params, data)
}

fn mat(t: &Tensor) -> DMatrix<f64> {
    DMatrix::from_row_slice(t.shape()[0], t.shape()[1], t.data())
}

/// Per-example pre-activation gradients of both layers for the given
/// labels, by the chain rule written out: output `p − e_y`, hidden
/// `(g W₁ᵀ) ⊙ (1 − h²)`. Also returns the inputs of both layers.
fn by_hand(
    params: &Params,
    x: &DMatrix<f64>,
    labels: &[usize],
) -> [(DMatrix<f64>, DMatrix<f64>); 2] {
    let t = params.tensors();
    let (w0, b0, w1, b1) = (mat(&t[0]), t[1].data(), mat(&t[2]), t[3].data());
    let mut h = x * &w0;
    for mut row in h.row_iter_mut() {
        for j in 0..row.len() {
            row[j] = (row[j] + b0[j]).tanh();
        }
    }
    let mut z = &h * &w1;
    let mut g1 = DMatrix::zeros(z.nrows(), z.ncols());
    for i in 0..z.nrows() {
        let row: Vec<f64> = (0..z.ncols()).map(|j| z[(i, j)] + b1[j]).collect();
        let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = row.iter().map(|v| (v - m).exp()).sum();
        for j in 0..z.ncols() {
            z[(i, j)] = row[j];
            g1[(i, j)] = (row[j] - m).exp() / total - if labels[i] == j { 1.0 } else { 0.0 };
        }
    }
    let g0 = (&g1 * w1.transpose()).component_mul(&h.map(|v| 1.0 - v * v));
    [(x.clone(), g0), (h, g1)]
}

fn second_moments(input: &DMatrix<f64>, g: &DMatrix<f64>) -> (DMatrix<f64>, DMatrix<f64>) {
    let b = input.nrows() as f64;
    let a = input.clone().insert_column(input.ncols(), 1.0);
    (a.transpose() * &a / b, g.transpose() * g / b)
}

fn close(a: &DMatrix<f64>, b: &DMatrix<f64>, tol: f64) -> bool {
    (a - b).abs().max() <= tol * b.abs().max().max(1e-300)
}

/// The factors `(A, G)` of one K-FAC step from `params` with no averaging.
fn factors(
    mlp: &Mlp,
    params: &Params,
    data: &Dataset,
    curvature: Curvature,
) -> Vec<(DMatrix<f64>, DMatrix<f64>)> {
    let problem = Supervised::new(mlp.clone(), SoftmaxCrossEntropy, data.clone()).unwrap();
    let mut kfac = Kfac::new(KfacConfig {
        curvature,
        ema: 0.0,
        ..KfacConfig::default()
    });
    kfac.step(&problem, &mut params.clone(), data)
        .expect("step");
    kfac.factors()
        .map(|(a, g)| (a.clone(), g.clone()))
        .collect()
}

#[test]
fn factors_match_statistics_computed_by_hand() {
    let (mlp, params, data) = network();
    let x = mat(data.features());
    let labels = data.targets().labels().expect("classes").to_vec();

    // Empirical Fisher: the observed labels.
    let empirical = factors(&mlp, &params, &data, Curvature::EmpiricalFisher);
    assert_eq!(empirical.len(), 2);
    for ((a, g), (input, by)) in empirical.iter().zip(by_hand(&params, &x, &labels)) {
        let (aa, gg) = second_moments(&input, &by);
        assert!(close(a, &aa, 1e-12) && close(g, &gg, 1e-12));
    }

    // Fisher: labels drawn from the model, reproduced from the same seed.
    let outputs = Supervised::new(mlp.clone(), SoftmaxCrossEntropy, data.clone())
        .unwrap()
        .outputs(params.tensors(), data.features());
    let sampled = SoftmaxCrossEntropy.sample(&outputs, 4).expect("a sampler");
    let drawn = factors(
        &mlp,
        &params,
        &data,
        Curvature::MonteCarloFisher {
            samples: 1,
            seed: 4,
        },
    );
    let sampled_labels = sampled.labels().expect("classes").to_vec();
    assert_ne!(
        sampled_labels, labels,
        "the draw should differ from the observed labels"
    );
    for ((a, g), (input, by)) in drawn.iter().zip(by_hand(&params, &x, &sampled_labels)) {
        let (aa, gg) = second_moments(&input, &by);
        assert!(close(a, &aa, 1e-12) && close(g, &gg, 1e-12));
    }
}

#[test]
fn sampled_factors_average_to_the_exact_expectation() {
    let (mlp, params, data) = network();
    let exact = factors(&mlp, &params, &data, Curvature::Fisher);
    // Independent of K-FAC: the output layer's G is E_b[diag(p) − ppᵀ].
    let outputs = Supervised::new(mlp.clone(), SoftmaxCrossEntropy, data.clone())
        .unwrap()
        .outputs(params.tensors(), data.features());
    let mut expected = DMatrix::zeros(3, 3);
    for row in outputs.data().chunks(3) {
        let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = row.iter().map(|v| (v - m).exp()).sum();
        let p = DVector::from_iterator(3, row.iter().map(|v| (v - m).exp() / total));
        expected += DMatrix::from_diagonal(&p) - &p * p.transpose();
    }
    expected /= 10.0;
    assert!(close(&exact[1].1, &expected, 1e-12));

    let draws = 400;
    let mean = factors(
        &mlp,
        &params,
        &data,
        Curvature::MonteCarloFisher {
            samples: draws,
            seed: 0,
        },
    );
    for ((_, m), (_, g)) in mean.iter().zip(&exact) {
        // Monte-Carlo error of 400 draws: a few percent of the largest entry.
        assert!(close(m, g, 0.08), "mean of draws {m} vs exact {g}");
    }
}
