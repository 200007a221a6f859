//! Gaussian likelihoods: the analytic Fisher against the Hessian of the
//! expected negative log-likelihood, the NLL against the density written
//! out, and sampling against the distribution's moments.

use autodiff::{check, func, Tensor};
use models::likelihood::{MultivariateGaussian, UnivariateGaussian};

/// The NLL is quadratic in the observation, so its average over any set of
/// points with the distribution's mean and covariance is its expectation.
/// For `N(μ, LLᵀ)` in `d` dimensions, the `2d` points `μ ± √d L e_i` qualify.
fn sigma_points(mean: &Tensor, l: &Tensor) -> Tensor {
    let d = mean.len();
    let s = (d as f64).sqrt();
    Tensor::from_fn(&[2 * d, d], |k| {
        let (p, r) = (k / d, k % d);
        let (i, sign) = (p / 2, if p % 2 == 0 { 1.0 } else { -1.0 });
        mean.data()[r] + sign * s * l.data()[r * d + i]
    })
}

#[test]
fn univariate_fisher_is_the_expected_hessian() {
    for (mu, log_sigma) in [(0.0, 0.0), (1.5, -0.7), (-3.0, 1.2)] {
        let g = UnivariateGaussian::new(mu, log_sigma);
        let sigma = f64::exp(log_sigma);
        let x = Tensor::vector(vec![mu + sigma, mu - sigma]);
        let h = autodiff::hessian(
            |p| UnivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x.clone())),
            &g.params(),
        );
        let d = check::Discrepancy::between(h.data(), g.fisher().data());
        assert!(d.max_rel < 1e-12, "{d:?}");
        // The analytic form diag(1/σ², 2), written out.
        assert!((g.fisher().data()[0] - 1.0 / (sigma * sigma)).abs() < 1e-12 / (sigma * sigma));
        assert_eq!(g.fisher().data()[3], 2.0);
    }
}

#[test]
fn univariate_nll_derivatives_match_finite_differences() {
    let g = UnivariateGaussian::new(0.4, -0.3);
    let x = g.sample(11, 8);
    let f = func(|p| UnivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x.clone())));
    let v = [Tensor::scalar(0.7), Tensor::scalar(-1.3)];
    assert!(check::gradient(f, &g.params()).max_rel < 1e-6);
    assert!(check::hvp(f, &g.params(), &v).max_rel < 1e-5);
}

#[test]
fn univariate_sampling_and_fit_recover_the_parameters() {
    let truth = UnivariateGaussian::new(-1.0, 0.3);
    let n = 20_000;
    let fit = UnivariateGaussian::fit(&truth.sample(n, 3));
    // Standard errors: σ/√n for the mean, 1/√(2n) for log σ; allow 5 of them.
    let sigma = truth.log_sigma.exp();
    assert!((fit.mean - truth.mean).abs() < 5.0 * sigma / (n as f64).sqrt());
    assert!((fit.log_sigma - truth.log_sigma).abs() < 5.0 / (2.0 * n as f64).sqrt());
}

fn example() -> MultivariateGaussian {
    let l = Tensor::from_rows(&[
        vec![1.2, 0.0, 0.0],
        vec![-0.4, 0.7, 0.0],
        vec![0.3, 0.5, 1.5],
    ])
    .unwrap();
    MultivariateGaussian::new(Tensor::vector(vec![0.5, -1.0, 2.0]), &l).unwrap()
}

#[test]
fn multivariate_nll_is_the_density_written_out() {
    // d = 2, where Σ⁻¹ and det Σ have closed forms.
    let (a, b, c) = (1.3, 0.4, 0.8); // L = [[a, 0], [b, c]]
    let l = Tensor::from_rows(&[vec![a, 0.0], vec![b, c]]).unwrap();
    let mu = [0.2, -0.5];
    let g = MultivariateGaussian::new(Tensor::vector(mu.to_vec()), &l).unwrap();
    let (s11, s12, s22) = (a * a, a * b, b * b + c * c);
    let det = s11 * s22 - s12 * s12;
    let x = Tensor::randn(&[7, 2], 5);
    let by_hand: f64 = x
        .data()
        .chunks(2)
        .map(|r| {
            let (u, v) = (r[0] - mu[0], r[1] - mu[1]);
            let quad = (s22 * u * u - 2.0 * s12 * u * v + s11 * v * v) / det;
            0.5 * quad + 0.5 * det.ln() + (2.0 * std::f64::consts::PI).ln()
        })
        .sum::<f64>()
        / 7.0;
    let nll = autodiff::value(
        |p| MultivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x.clone())),
        &g.params(),
    );
    assert!((nll.item() - by_hand).abs() < 1e-12 * by_hand.abs().max(1.0));
}

#[test]
fn multivariate_nll_derivatives_match_finite_differences() {
    let g = example();
    let x = g.sample(9, 1);
    let f = func(|p| MultivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x.clone())));
    let v = [Tensor::randn(&[3], 2), Tensor::randn(&[3, 3], 3)];
    assert!(check::gradient(f, &g.params()).max_rel < 1e-6);
    assert!(check::hvp(f, &g.params(), &v).max_rel < 1e-5);
}

#[test]
fn multivariate_fisher_is_the_expected_hessian() {
    let g = example();
    let x = sigma_points(g.mean(), &g.scale_tril_value());
    let f = func(|p| MultivariateGaussian::nll(p[0], p[1], p[0].tape().constant(x.clone())));
    for seed in 0..3 {
        let v = [
            Tensor::randn(&[3], 10 + seed),
            Tensor::randn(&[3, 3], 20 + seed),
        ];
        let expected = autodiff::hvp(f, &g.params(), &v).hvp;
        let ours = g.fisher_vp(&v);
        let d =
            check::Discrepancy::between(&autodiff::flatten(&expected), &autodiff::flatten(&ours));
        assert!(d.max_rel < 1e-10, "{d:?}");
    }
}

#[test]
fn multivariate_samples_have_the_right_moments() {
    let g = example();
    let n = 40_000;
    let x = g.sample(n, 7);
    let l = g.scale_tril_value();
    let d = 3;
    let sigma = |i: usize, j: usize| {
        (0..d)
            .map(|k| l.data()[i * d + k] * l.data()[j * d + k])
            .sum::<f64>()
    };
    let col = |j: usize| {
        x.data()
            .iter()
            .skip(j)
            .step_by(d)
            .copied()
            .collect::<Vec<_>>()
    };
    for i in 0..d {
        let xi = col(i);
        let mean_i = xi.iter().sum::<f64>() / n as f64;
        // Five standard errors of the mean.
        assert!((mean_i - g.mean().data()[i]).abs() < 5.0 * (sigma(i, i) / n as f64).sqrt());
        for j in 0..d {
            let xj = col(j);
            let mean_j = xj.iter().sum::<f64>() / n as f64;
            let cov = xi
                .iter()
                .zip(&xj)
                .map(|(a, b)| (a - mean_i) * (b - mean_j))
                .sum::<f64>()
                / n as f64;
            // Standard error of a Gaussian covariance: √((σᵢᵢσⱼⱼ + σᵢⱼ²)/n).
            let se = ((sigma(i, i) * sigma(j, j) + sigma(i, j).powi(2)) / n as f64).sqrt();
            assert!(
                (cov - sigma(i, j)).abs() < 5.0 * se,
                "cov({i},{j}) = {cov} vs {}",
                sigma(i, j)
            );
        }
    }
}

#[test]
fn invalid_cholesky_factors_are_rejected() {
    let mean = Tensor::vector(vec![0.0, 0.0]);
    let upper = Tensor::from_rows(&[vec![1.0, 0.5], vec![0.0, 1.0]]).unwrap();
    let negative = Tensor::from_rows(&[vec![1.0, 0.0], vec![0.5, -1.0]]).unwrap();
    assert!(MultivariateGaussian::new(mean.clone(), &upper).is_err());
    assert!(MultivariateGaussian::new(mean.clone(), &negative).is_err());
    assert!(MultivariateGaussian::new(mean, &Tensor::eye(3)).is_err());
}

#[test]
fn parameters_round_trip_through_from_params() {
    let g = example();
    let back = MultivariateGaussian::from_params(&g.params()).unwrap();
    let d = check::Discrepancy::between(back.params()[1].data(), g.params()[1].data());
    assert!(d.max_abs < 1e-15);
}
