//! Fisher and Gauss-Newton diagonals of a small MLP against dense truths
//! built from the per-example Jacobians and the softmax in closed form.

use autodiff::Tensor;
use models::{
    data, empirical_fisher_diagonal, sampled_fisher_diagonal, Activation, Dataset, Mlp, Model,
    SoftmaxCrossEntropy, Supervised,
};
use nalgebra::{DMatrix, DVector};
use optim::curvature::exact_diagonal;
use optim::linop::LinearOperator;

fn setup() -> (Mlp, Vec<Tensor>, Dataset) {
    let mlp = Mlp::new(4)
        .dense(5, Activation::Tanh)
        .dense(3, Activation::Identity);
    let params = mlp.init(3).tensors().to_vec();
    let rows: Vec<usize> = (0..12).map(|i| i * 12 + 1).collect();
    (mlp, params, data::iris().select(&rows))
}

/// For each example: the Jacobian `[3, n]` of its logits in the flattened
/// parameters, its softmax probabilities and its label.
fn per_example(
    mlp: &Mlp,
    params: &[Tensor],
    d: &Dataset,
) -> Vec<(DMatrix<f64>, DVector<f64>, usize)> {
    let labels = d.targets().labels().expect("classes").to_vec();
    (0..d.len())
        .map(|b| {
            let x = d.select(&[b]).features().clone();
            let j = autodiff::jacobian(|p| mlp.forward(p, p[0].tape().constant(x.clone())), params);
            let j = DMatrix::from_row_slice(j.shape()[0], j.shape()[1], j.data());
            let z = autodiff::value(|p| mlp.forward(p, p[0].tape().constant(x.clone())), params);
            let e: Vec<f64> = z.data().iter().map(|v| v.exp()).collect();
            let total: f64 = e.iter().sum();
            let p = DVector::from_iterator(e.len(), e.iter().map(|v| v / total));
            (j, p, labels[b])
        })
        .collect()
}

fn close(got: &[f64], want: &[f64], tol: f64) {
    let scale = want.iter().fold(0.0_f64, |s, x| s.max(x.abs()));
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= tol * scale, "entry {i}: {g} against {w}");
    }
}

#[test]
fn empirical_fisher_diagonal_is_the_mean_squared_per_example_gradient() {
    let (mlp, params, d) = setup();
    // ∇ℓ_b = J_bᵀ (p_b − e_{y_b}) for softmax cross-entropy.
    let examples = per_example(&mlp, &params, &d);
    let n = examples[0].0.ncols();
    let mut truth = vec![0.0; n];
    for (j, p, y) in &examples {
        let mut r = p.clone();
        r[*y] -= 1.0;
        let g = j.transpose() * r;
        for (t, gi) in truth.iter_mut().zip(g.iter()) {
            *t += gi * gi / d.len() as f64;
        }
    }
    let got = empirical_fisher_diagonal(&mlp, &SoftmaxCrossEntropy, &params, &d);
    assert_eq!(got.products, d.len());
    close(&got.diagonal, &truth, 1e-12);
}

#[test]
fn gauss_newton_diagonal_and_sampled_fisher_match_the_dense_fisher() {
    let (mlp, params, d) = setup();
    // F = (1/B) Σ J_bᵀ (diag p_b − p_b p_bᵀ) J_b, the Gauss-Newton matrix of softmax cross-entropy.
    let examples = per_example(&mlp, &params, &d);
    let n = examples[0].0.ncols();
    let mut fisher = DMatrix::zeros(n, n);
    for (j, p, _) in &examples {
        let q = DMatrix::from_diagonal(p) - p * p.transpose();
        fisher += j.transpose() * q * j / d.len() as f64;
    }
    let truth: Vec<f64> = fisher.diagonal().iter().copied().collect();

    // Exact: the diagonal of the Gauss-Newton operator, e_i in lanes.
    let problem = Supervised::new(mlp.clone(), SoftmaxCrossEntropy, d.clone()).unwrap();
    let named = params
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("p{i}"), t.clone()))
        .collect();
    let ggn = problem
        .curvature(
            &models::Params::new(named).unwrap(),
            &d,
            models::curvature::Curvature::GaussNewton,
        )
        .expect("the loss fits");
    assert_eq!(ggn.dim(), n);
    close(&exact_diagonal(&ggn, 8).diagonal, &truth, 1e-12);

    // Monte-Carlo: unbiased within its reported standard errors over seeds.
    let (mut z_sum, mut z_square_sum, mut count) = (0.0, 0.0, 0.0);
    for seed in 0..30 {
        let est = sampled_fisher_diagonal(&mlp, &SoftmaxCrossEntropy, &params, &d, 16, 100 * seed)
            .expect("a sampler");
        for ((g, se), t) in est.diagonal.iter().zip(&est.std_error).zip(&truth) {
            if *se > 0.0 {
                let z = (g - t) / se;
                z_sum += z;
                z_square_sum += z * z;
                count += 1.0;
            }
        }
    }
    assert!(count > 1000.0);
    let (z_mean, z_var) = (z_sum / count, z_square_sum / count);
    // A Student t with 15 degrees of freedom has variance 15/13; the mean of
    // correlated z-scores has a standard error well under 0.1 here.
    assert!(z_mean.abs() < 0.2, "mean z-score {z_mean}");
    assert!((0.7..1.8).contains(&z_var), "mean squared z-score {z_var}");
}
