//! Adam (Kingma & Ba 2015) from `models`, run as an `optim` [`Minimizer`]
//! so the arena treats it like every other optimizer: same options, same
//! observer, same report. The one use of `models`' optimizers in the arena
//! is the `Adam::new().lr(…)` and `step` call here.

use autodiff::Tensor;
use models::{Adam, Optimizer};
use optim::linop::norm_inf;
use optim::objective::{Counted, Objective, Point};
use optim::solvers::{Control, IterState, Minimizer, Observer, Options, Report, Status};

/// Full-batch Adam with step `lr` and the default moments (β₁ 0.9, β₂ 0.999).
#[derive(Clone, Copy, Debug)]
pub struct AdamSteps {
    /// The learning rate.
    pub lr: f64,
}

impl Minimizer for AdamSteps {
    fn minimize_observed(
        &self,
        objective: &dyn Objective,
        x0: &[f64],
        options: &Options,
        observer: &mut dyn Observer,
    ) -> Report {
        let f = Counted::new(objective);
        let mut adam = Adam::new().lr(self.lr);
        let mut params = [Tensor::vector(x0.to_vec())];
        let mut point = Point::at(&f, x0.to_vec());
        let mut best = point.clone();
        let mut trajectory = vec![x0.to_vec()];
        let mut iterations = 0;
        let status = loop {
            if !point.is_finite() {
                break Status::NonFinite;
            }
            if point.f < best.f {
                best = point.clone();
            }
            let state = IterState {
                iteration: iterations,
                x: &point.x,
                f: point.f,
                g: &point.g,
                counts: f.counts(),
            };
            if observer.observe(&state) == Control::Stop {
                break Status::StoppedByObserver;
            }
            if norm_inf(&point.g) <= options.gtol {
                break Status::GradientTolerance;
            }
            if iterations >= options.max_iter {
                break Status::MaxIterations;
            }
            adam.update(&mut params, &[Tensor::vector(point.g.clone())]);
            point = Point::at(&f, params[0].data().to_vec());
            trajectory.push(point.x.clone());
            iterations += 1;
        };
        // As the solvers do: a run that did not converge reports its lowest point.
        let keep = status.is_converged() || status == Status::StoppedByObserver;
        let end = if keep { point } else { best };
        Report {
            grad_norm_inf: norm_inf(&end.g),
            f: end.f,
            x: end.x,
            iterations,
            counts: f.counts(),
            status,
            // A first-order method measures no curvature.
            lambda_min: None,
            trajectory: options.record_trajectory.then_some(trajectory),
            invalid: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use optim::objective::AutodiffObjective;

    #[test]
    fn each_step_is_the_bias_corrected_adam_step_and_the_run_converges() {
        // On ½‖x‖² the first Adam step is lr · g/|g| (elementwise, up to ε).
        let f = AutodiffObjective::new(2, |x| (x.square() * 0.5).sum());
        let options = Options {
            max_iter: 1,
            record_trajectory: true,
            ..Options::default()
        };
        let one = AdamSteps { lr: 0.1 }.minimize(&f, &[2.0, -0.5], &options);
        let path = one.trajectory.expect("recorded");
        assert!((path[1][0] - 1.9).abs() < 1e-7 && (path[1][1] + 0.4).abs() < 1e-7);
        assert_eq!(one.status, Status::MaxIterations);
        let run = AdamSteps { lr: 0.05 }.minimize(
            &f,
            &[2.0, -0.5],
            &Options {
                gtol: 1e-6,
                max_iter: 5000,
                ..Options::default()
            },
        );
        assert_eq!(run.status, Status::GradientTolerance);
        assert!(run.x.iter().all(|v| v.abs() <= 1e-6));
        assert_eq!(run.counts.grad, run.iterations + 1);
    }

    #[test]
    fn a_non_finite_value_ends_the_run_with_its_status() {
        // ln x is NaN once a step crosses 0.
        let f = AutodiffObjective::new(2, |x| x.ln().sum() * -1.0 + x.sum() * 10.0);
        let run = AdamSteps { lr: 0.5 }.minimize(&f, &[0.3, 0.3], &Options::default());
        assert_eq!(run.status, Status::NonFinite);
        assert!(run.f.is_finite());
    }
}
