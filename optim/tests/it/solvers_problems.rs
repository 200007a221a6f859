//! The test problems themselves: values at the standard start and at the
//! minimiser worked out by hand from Moré, Garbow & Hillstrom (1981), and
//! engine derivatives against finite differences.

use autodiff::{check, Tensor};
use nalgebra::DMatrix;
use optim::objective::Objective;
use optim::problems::{self, Problem};

fn by_name(name: &str) -> Problem {
    problems::all()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no problem {name}"))
}

#[test]
fn values_at_the_standard_start_match_hand_computation() {
    // Residuals at x0 by hand, e.g. Wood: r = (−100, 4, −10√90, 4, −4√10, 0).
    let expected = [
        ("rosenbrock", 24.2),
        ("freudenstein_roth", 400.5),
        ("beale", 14.203125),
        ("helical_valley", 2500.0),
        ("powell_singular", 215.0),
        ("wood", 19192.0),
        ("penalty_i", 1.4e-4 + 29.75 * 29.75),
        ("broyden_tridiagonal_10", 4.0 + 8.0 + 9.0),
        ("ext_rosenbrock_100", 24.2 * 50.0),
        ("ext_powell_8", 215.0 * 2.0),
        (
            "brown_badly_scaled",
            (1e6 - 1.0f64).powi(2) + (1.0 - 2e-6f64).powi(2) + 1.0,
        ),
    ];
    for (name, value) in expected {
        let p = by_name(name);
        let f = p.objective().value(&p.x0);
        assert!((f - value).abs() <= 1e-12 * value, "{name}: {f} vs {value}");
    }
}

#[test]
fn the_known_minimisers_are_stationary_with_the_known_value() {
    for p in problems::all().into_iter().filter(|p| p.dim <= 100) {
        let Some(x_min) = &p.x_min else { continue };
        let (f, g) = p.objective().value_grad(x_min);
        assert!((f - p.f_min).abs() <= 1e-20, "{}: f = {f}", p.name);
        assert!(g.iter().all(|v| v.abs() <= 1e-9), "{}: g = {g:?}", p.name);
    }
}

#[test]
fn engine_derivatives_match_finite_differences_on_every_problem() {
    for p in problems::all().into_iter().filter(|p| p.dim <= 100) {
        let f = p.function();
        let func = autodiff::func(|x| f(x[0]));
        // At the start and at a seeded nearby point (off any symmetry of x0).
        let shift = Tensor::rand_uniform(&[p.dim], -0.1, 0.1, 3);
        let near: Vec<f64> = p.x0.iter().zip(shift.data()).map(|(a, b)| a + b).collect();
        let v = [Tensor::randn(&[p.dim], 5)];
        for x in [p.x0.clone(), near] {
            let x = [Tensor::vector(x)];
            let g = check::gradient(func, &x);
            assert!(g.max_rel < 1e-4, "{}: gradient {g:?}", p.name);
            let h = check::hvp(func, &x, &v);
            assert!(h.max_rel < 1e-3, "{}: hvp {h:?}", p.name);
        }
    }
}

#[test]
fn the_quadratics_have_the_spectra_they_are_built_from() {
    for (p, mut expected) in [
        (problems::quadratic_kappa100(), vec![1.0, 100.0]),
        (
            problems::quadratic_kappa1000(),
            (0..10)
                .map(|i| 10f64.powf(i as f64 / 3.0))
                .collect::<Vec<f64>>(),
        ),
    ] {
        let n = p.dim;
        let h = p.objective().hessian(&p.x0);
        let mut eig: Vec<f64> = DMatrix::from_row_slice(n, n, h.data())
            .symmetric_eigen()
            .eigenvalues
            .iter()
            .copied()
            .collect();
        eig.sort_by(f64::total_cmp);
        expected.sort_by(f64::total_cmp);
        for (a, b) in eig.iter().zip(&expected) {
            assert!((a - b).abs() <= 1e-10 * b, "{}: {eig:?}", p.name);
        }
        // Not diagonal: the basis is rotated.
        assert!(h.get(0, 1).abs() > 1e-3, "{}", p.name);
    }
}
