//! The bounded fits against their closed-form answers: the Gaussian fit's
//! `μ` is the sample mean and its `σ` sits on the floor; the NNLS solutions
//! meet the KKT conditions.

use examples::bounded_fits::{gaussian_fit, nnls, SIGMA_MIN};
use optim::solvers::Status;

#[test]
fn gaussian_fit_holds_sigma_on_its_floor_at_the_sample_mean() {
    let fit = gaussian_fit();
    // The data alone would choose a smaller spread: the bound is active,
    // and its multiplier positive.
    assert!(fit.sigma_unconstrained < SIGMA_MIN);
    assert!(fit.multiplier > 0.0);
    for r in &fit.runs {
        assert_eq!(r.status, Status::GradientTolerance, "{}", r.solver);
        assert!(
            (r.x[0] - fit.mean).abs() <= 1e-9,
            "{}: μ = {}",
            r.solver,
            r.x[0]
        );
        assert_eq!(r.x[1], SIGMA_MIN, "{}", r.solver);
        assert!(r.projected_gradient <= 1e-10, "{}", r.solver);
    }
}

#[test]
fn nnls_solutions_meet_the_kkt_conditions() {
    let fit = nnls(30, 12, 7);
    for (r, (kkt, at_zero)) in fit.runs.iter().zip(&fit.kkt) {
        assert_eq!(r.status, Status::GradientTolerance, "{}", r.solver);
        // Feasible, no descent left along a free or bound variable, and
        // complementary: each xᵢ = 0 or gᵢ = 0.
        assert!(kkt[0] <= 0.0, "{}: x below 0 by {}", r.solver, kkt[0]);
        assert!(kkt[1] <= 1e-10, "{}: gradient {}", r.solver, kkt[1]);
        assert!(kkt[2] <= 1e-10, "{}: complementarity {}", r.solver, kkt[2]);
        // The bound matters: some variables rest on it.
        assert!(*at_zero > 0, "{}", r.solver);
    }
    // Both solvers find the same (unique: A has full column rank) solution.
    let (a, b) = (&fit.runs[0].x, &fit.runs[1].x);
    assert!(a.iter().zip(b).all(|(u, v)| (u - v).abs() <= 1e-8));
}
