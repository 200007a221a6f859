//! The randomized Nyström sketch against dense eigendecompositions and
//! Lanczos, and Nyström-preconditioned CG against plain CG on damped systems.

use crate::curvature_support;

use curvature_support::{to_nalgebra, with_spectrum, ReflectedDiagonal};
use optim::cg::{conjugate_gradient, CgParams, CgStatus};
use optim::curvature::{
    extreme_eigenpairs, HessianOperator, LanczosParams, NystromError, NystromParams, NystromSketch,
    SpectrumEnd,
};
use optim::linop::{norm, Damped, DenseMatrix, LinearOperator};

fn params(rank: usize) -> NystromParams {
    NystromParams {
        rank,
        ..NystromParams::default()
    }
}

/// `λᵢ = i^(−p)` for `i = 1..n`, with `p` chosen so that `λ₁/λₙ = κ`.
fn polynomial_decay(n: usize, kappa: f64) -> Vec<f64> {
    let p = kappa.ln() / (n as f64).ln();
    (1..=n).map(|i| (i as f64).powf(-p)).collect()
}

#[test]
fn a_low_rank_operator_is_recovered_exactly() {
    let mut spectrum = vec![0.0; 30];
    spectrum[..6].copy_from_slice(&[50.0, 20.0, 7.0, 3.0, 1.0, 0.5]);
    let a = with_spectrum(&spectrum, 3);
    let sketch = NystromSketch::new(&a, &params(10)).unwrap();
    let recovered = to_nalgebra(&sketch);
    let truth = to_nalgebra(&a);
    assert!((&recovered - &truth).amax() < 1e-10 * truth.amax());
    for (got, want) in sketch.eigenvalues().iter().zip(&spectrum) {
        assert!((got - want).abs() < 1e-10 * 50.0, "{got} against {want}");
    }
    // The eigenvectors are orthonormal and are eigenvectors of A.
    for (u, lambda) in sketch.eigenvectors().iter().zip(sketch.eigenvalues()) {
        assert!((norm(u) - 1.0).abs() < 1e-12);
        let au = a.apply(u);
        let r: Vec<f64> = au.iter().zip(u).map(|(x, y)| x - lambda * y).collect();
        assert!(norm(&r) < 1e-9 * 50.0);
    }
    assert!(sketch.error() < 1e-9 * 50.0);
}

#[test]
fn the_sketch_lies_below_the_operator_within_its_reported_error() {
    let spectrum = polynomial_decay(200, 1e4);
    let a = with_spectrum(&spectrum, 5);
    let sketch = NystromSketch::new(&a, &params(20)).unwrap();
    assert_eq!((sketch.products(), sketch.sweeps()), (30, 1));
    // A − Â is positive semi-definite; its norm is what the estimate estimates.
    let gap = to_nalgebra(&a) - to_nalgebra(&sketch);
    let gap_eigen = gap.symmetric_eigen().eigenvalues;
    let true_error = gap_eigen.max();
    assert!(
        gap_eigen.min() > -1e-12,
        "A − Â has eigenvalue {}",
        gap_eigen.min()
    );
    assert!(
        sketch.error() >= 0.99 * true_error && sketch.error() <= 1.5 * true_error,
        "estimate {} against ‖A − Â‖ = {true_error}",
        sketch.error()
    );
    // λᵢ(Â) ≤ λᵢ(A) ≤ λᵢ(Â) + ‖A − Â‖, with λᵢ(A) known exactly.
    for (got, want) in sketch.eigenvalues().iter().zip(&spectrum) {
        assert!(*got <= want + 1e-12 && want - got <= sketch.error());
    }
}

#[test]
fn top_eigenvalues_agree_with_lanczos_to_the_reported_tolerance() {
    let a = ReflectedDiagonal::new(polynomial_decay(600, 1e5), 8);
    let sketch = NystromSketch::new(&a, &params(40)).unwrap();
    let lanczos = extreme_eigenpairs(
        &a,
        10,
        &LanczosParams {
            max_steps: 120,
            target: SpectrumEnd::Largest,
            ..LanczosParams::default()
        },
    );
    for (ritz, got) in lanczos.largest.iter().zip(sketch.eigenvalues()) {
        let gap = ritz.value - got;
        assert!(
            gap >= -ritz.residual - 1e-12 && gap <= sketch.error() + ritz.residual,
            "Lanczos {} ± {}, sketch {got} (error {})",
            ritz.value,
            ritz.residual,
            sketch.error()
        );
    }
}

#[test]
fn one_sweep_through_hessian_lanes_gives_the_dense_sketch() {
    // A convex function: f(x) = Σ exp(wᵢ·x) + ½‖x‖², Hessian positive definite.
    let w = autodiff::Tensor::randn(&[8, 12], 1).map(|x| 0.3 * x);
    let f = autodiff::func(|x: &[autodiff::Var]| {
        let tape = x[0].tape();
        let z = tape.constant(w.clone()).matmul(x[0].reshape(&[12, 1]));
        z.exp().sum() + x[0].square().sum() * 0.5
    });
    let h = HessianOperator::new(f, vec![autodiff::Tensor::randn(&[12], 2)]);
    let dense = DenseMatrix::from_operator(&h);
    let through_lanes = NystromSketch::new(&h, &params(6)).unwrap();
    let from_dense = NystromSketch::new(&dense, &params(6)).unwrap();
    assert_eq!(through_lanes.sweeps(), 1);
    for (a, b) in through_lanes
        .eigenvalues()
        .iter()
        .zip(from_dense.eigenvalues())
    {
        assert!((a - b).abs() < 1e-10 * b.abs().max(1.0));
    }
}

#[test]
fn nystrom_pcg_solves_a_damped_system_in_far_fewer_iterations() {
    // λᵢ = i⁻³ damped by 10⁻⁶: κ ≈ 10⁶, the top of the spectrum spread out.
    let n = 400;
    let a = Damped {
        inner: ReflectedDiagonal::new((1..=n).map(|i| (i as f64).powi(-3)).collect(), 11),
        lambda: 1e-6,
    };
    let b: Vec<f64> = autodiff::Tensor::randn(&[n], 12).into_vec();
    let sketch = NystromSketch::new(&a.inner, &params(50)).unwrap();
    let preconditioner = sketch.preconditioner(a.lambda).unwrap();
    let cg = CgParams {
        rel_tol: 1e-8,
        ..CgParams::default()
    };
    let plain = conjugate_gradient(&a, &b, None, None::<&DenseMatrix>, &cg);
    let pcg = conjugate_gradient(&a, &b, None, Some(&preconditioner), &cg);
    assert_eq!(pcg.status, CgStatus::Converged);
    // The residual, recomputed from the operator rather than the recurrence.
    let r: Vec<f64> = a.apply(&pcg.x).iter().zip(&b).map(|(x, y)| y - x).collect();
    assert!(
        norm(&r) <= 2e-8 * norm(&b),
        "true residual {}",
        norm(&r) / norm(&b)
    );
    assert!(
        5 * pcg.iterations <= plain.iterations,
        "PCG {} iterations, CG {} ({:?})",
        pcg.iterations,
        plain.iterations,
        plain.status
    );
}

#[test]
fn bad_input_is_an_error_that_names_it() {
    let a = DenseMatrix::diagonal(&[3.0, 2.0, 1.0, 0.5]);
    assert_eq!(
        NystromSketch::new(&a, &params(0)).err(),
        Some(NystromError::Empty { rank: 0, dim: 4 })
    );
    let indefinite = DenseMatrix::diagonal(&[3.0, -2.0, 1.0, 0.5]);
    assert_eq!(
        NystromSketch::new(&indefinite, &params(4)).err(),
        Some(NystromError::NotPositiveSemiDefinite)
    );
    let sketch = NystromSketch::new(&a, &params(2)).unwrap();
    assert_eq!(
        sketch.preconditioner(-1.0).err(),
        Some(NystromError::Damping(-1.0))
    );
    assert!(sketch.preconditioner(f64::NAN).is_err());
    let nan = DenseMatrix::diagonal(&[f64::NAN, 1.0]);
    assert_eq!(
        NystromSketch::new(&nan, &params(2)).err(),
        Some(NystromError::NonFinite)
    );
}

#[test]
fn newton_cg_preconditioned_by_a_sketch_needs_fewer_products() {
    use optim::objective::Counted;
    use optim::problems::quadratic;
    use optim::solvers::{Minimizer, NewtonCg, Options, Status};
    // n = 150, λᵢ = i⁻³: κ ≈ 3.4·10⁶ with a few large eigenvalues.
    let spectrum: Vec<f64> = (1..=150).map(|i| (i as f64).powi(-3)).collect();
    let problem = quadratic("decaying", &spectrum, 5);
    let options = Options {
        gtol: 1e-10,
        ..Options::default()
    };
    let run = |solver: NewtonCg| {
        let objective = Counted::new(problem.objective());
        let report = solver.minimize(&objective, &problem.x0, &options);
        assert_eq!(report.status, Status::GradientTolerance, "{report:?}");
        report.counts.hvp
    };
    let plain = run(NewtonCg::default());
    let sketched = run(NewtonCg {
        nystrom: Some(params(30)),
        ..NewtonCg::default()
    });
    println!("H·v products: plain CG {plain}, Nyström PCG {sketched} (sketch included)");
    assert!(sketched < plain, "plain {plain}, Nyström {sketched}");
}
