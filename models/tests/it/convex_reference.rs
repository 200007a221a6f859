//! Softmax regression with an L2 penalty on standardised iris and red-wine
//! data is strictly convex, so its minimiser is unique: L-BFGS (first-order
//! curvature estimates) and Newton's method (the exact Hessian from the
//! engine) are run through the flat parameter vector from the same start and
//! must reach the same objective value, each with a gradient at the
//! tolerance. The gradient is then re-evaluated through the model's own flat
//! interface, independently of the solvers' objective.

use models::{data, softmax_regression, Dataset, Standardizer};
use optim::objective::AutodiffObjective;
use optim::solvers::{Lbfgs, Minimizer, Newton, Options};

const L2: f64 = 1e-2;

fn same_optimum(name: &str, data: Dataset) {
    let data = Standardizer::fit(&data).apply(&data);
    let (problem, params) = softmax_regression(data, L2).unwrap();
    let objective = AutodiffObjective::new(params.num_values(), problem.flat_closure(&params));
    let x0 = params.flatten();
    let options = Options {
        gtol: 1e-8,
        max_iter: 5000,
        ..Options::default()
    };
    let lbfgs = Lbfgs::default().minimize(&objective, &x0, &options);
    let newton = Newton::default().minimize(&objective, &x0, &options);
    println!(
        "{name}: L-BFGS f = {:.15} ({:?}, {} iterations, ‖g‖∞ = {:.1e}); \
         Newton f = {:.15} ({:?}, {} iterations, ‖g‖∞ = {:.1e}); |Δf| = {:.1e}",
        lbfgs.f,
        lbfgs.status,
        lbfgs.iterations,
        lbfgs.grad_norm_inf,
        newton.f,
        newton.status,
        newton.iterations,
        newton.grad_norm_inf,
        (lbfgs.f - newton.f).abs()
    );
    for (solver, report) in [("L-BFGS", &lbfgs), ("Newton", &newton)] {
        assert!(
            report.status.is_converged(),
            "{name}, {solver}: {:?}",
            report.status
        );
        let (f, g) = problem.flat_value_and_grad(&params, &report.x).unwrap();
        let g_inf = g.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        assert!(g_inf <= 1e-8, "{name}, {solver}: ‖g‖∞ = {g_inf:e}");
        assert_eq!(
            f, report.f,
            "{name}, {solver}: the solver's value is the model's"
        );
    }
    assert!(
        (lbfgs.f - newton.f).abs() <= 1e-9,
        "{name}: L-BFGS {} vs Newton {}",
        lbfgs.f,
        newton.f
    );
}

#[test]
fn iris_lbfgs_and_newton_agree() {
    same_optimum("iris", data::iris());
}

#[test]
fn red_wine_lbfgs_and_newton_agree() {
    same_optimum("red wine", data::wine_quality());
}
