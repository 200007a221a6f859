//! Far starts (Moré, Garbow & Hillstrom's 10× and 100× the standard start)
//! where the second-order solvers once stalled or failed: Newton-CG on the
//! Rosenbrock valley, whose Hessian is indefinite along the floor; Newton
//! on Box 3-D (a long step into a flat region); Newton-CG on the plateaus
//! of Box 3-D and Biggs EXP6, where CG's direction of tiny negative
//! curvature is as short as the gradient (20 000 crawling steps before it
//! was stretched to its natural length).
//! Each run must end at the gradient tolerance at a published minimum.

use optim::problems::{self, Problem};
use optim::solvers::{Minimizer, Newton, NewtonCg, Options, Status};

fn solves(solver: &dyn Minimizer, problem: &Problem, factor: f64) {
    let x0: Vec<f64> = problem.x0.iter().map(|v| v * factor).collect();
    let options = Options {
        max_iter: 2000,
        ..Options::default()
    };
    let r = solver.minimize(&problem.objective(), &x0, &options);
    let what = format!("{} from {factor}× x0: {r:?}", problem.name);
    assert_eq!(r.status, Status::GradientTolerance, "{what}");
    assert!(problem.is_known_minimum(r.f, 1e-5, 1e-8), "{what}");
    // A minimum: no negative curvature where it stopped.
    assert!(r.lambda_min.unwrap() > -1e-6, "{what}");
}

#[test]
fn newton_cg_follows_negative_curvature_down_the_rosenbrock_valley() {
    for problem in [problems::rosenbrock(), problems::extended_rosenbrock(10)] {
        solves(&NewtonCg::default(), &problem, 100.0);
    }
    solves(&NewtonCg::default(), &problems::beale(), 100.0);
}

#[test]
fn newton_solves_box_3d_from_ten_times_the_start() {
    solves(&Newton::default(), &problems::box_3d(), 10.0);
}

#[test]
fn newton_cg_stretches_tiny_negative_curvature_off_a_plateau() {
    solves(&NewtonCg::default(), &problems::box_3d(), 10.0);
    solves(&NewtonCg::default(), &problems::biggs_exp6(), 100.0);
}
