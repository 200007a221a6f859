//! Each optimizer's first two updates against its textbook recurrence,
//! worked by hand for θ₀ = 1 with gradients g₁ = 0.5, g₂ = -0.25 (a sign
//! change, so momentum and averaging matter). A second parameter with other
//! gradients is stepped alongside, so state shared across parameters would
//! show up in the first one's trajectory.

use autodiff::Tensor;
use models::{AdaGrad, Adam, Optimizer, RmsProp, Schedule, Sgd};

/// Runs two steps; returns θ after each for the first parameter.
fn two_steps(opt: &mut impl Optimizer) -> (f64, f64) {
    let mut p = [Tensor::scalar(1.0), Tensor::vector(vec![3.0, -3.0])];
    let g1 = [Tensor::scalar(0.5), Tensor::vector(vec![7.0, 0.0])];
    let g2 = [Tensor::scalar(-0.25), Tensor::vector(vec![-7.0, 1.0])];
    opt.update(&mut p, &g1);
    let first = p[0].item();
    opt.update(&mut p, &g2);
    (first, p[0].item())
}

fn assert_close(got: (f64, f64), want: (f64, f64), tol: f64) {
    assert!(
        (got.0 - want.0).abs() < tol && (got.1 - want.1).abs() < tol,
        "got {got:?}, want {want:?}"
    );
}

#[test]
fn sgd() {
    // θ₁ = 1 - 0.1·0.5 = 0.95; θ₂ = 0.95 + 0.1·0.25 = 0.975.
    assert_close(two_steps(&mut Sgd::new(0.1)), (0.95, 0.975), 1e-15);
}

#[test]
fn momentum() {
    // v₁ = 0.5, θ₁ = 1 - 0.05 = 0.95; v₂ = 0.9·0.5 - 0.25 = 0.2, θ₂ = 0.95 - 0.02 = 0.93.
    assert_close(
        two_steps(&mut Sgd::new(0.1).momentum(0.9)),
        (0.95, 0.93),
        1e-15,
    );
}

#[test]
fn nesterov() {
    // v₁ = 0.5, θ₁ = 1 - 0.1(0.5 + 0.9·0.5) = 0.905;
    // v₂ = 0.2, θ₂ = 0.905 - 0.1(-0.25 + 0.9·0.2) = 0.912.
    assert_close(
        two_steps(&mut Sgd::new(0.1).nesterov(0.9)),
        (0.905, 0.912),
        1e-15,
    );
}

#[test]
fn adagrad() {
    // G₁ = 0.25, θ₁ = 1 - 0.1·0.5/(0.5 + ε);
    // G₂ = 0.3125, θ₂ = θ₁ + 0.1·0.25/(√0.3125 + ε), with ε = 1e-10.
    let first = 1.0 - 0.05 / (0.5 + 1e-10);
    let want = (first, first + 0.025 / (0.3125f64.sqrt() + 1e-10));
    assert_close(two_steps(&mut AdaGrad::new().lr(0.1)), want, 1e-15);
}

#[test]
fn rmsprop() {
    // s₁ = 0.01·0.25 = 0.0025, θ₁ = 1 - 0.01·0.5/(0.05 + ε);
    // s₂ = 0.99·0.0025 + 0.01·0.0625 = 0.0031, θ₂ = θ₁ + 0.01·0.25/(√0.0031 + ε),
    // with ε = 1e-8.
    let first = 1.0 - 0.005 / (0.05 + 1e-8);
    let want = (first, first + 0.0025 / (0.0031f64.sqrt() + 1e-8));
    assert_close(two_steps(&mut RmsProp::new()), want, 1e-14);
}

/// Adam's second step: m₂ = 0.9·0.05 - 0.1·0.25 = 0.02, v₂ = 0.999·0.00025 +
/// 0.001·0.0625 = 0.00031225, m̂₂ = 0.02/0.19, v̂₂ = 0.00031225/0.001999.
fn adam_second_step() -> f64 {
    0.1 * (0.02 / 0.19) / ((0.00031225f64 / 0.001999).sqrt() + 1e-8)
}

/// Adam's first step: m̂₁ = 0.5, v̂₁ = 0.25.
fn adam_first_step() -> f64 {
    0.1 * 0.5 / (0.5 + 1e-8)
}

#[test]
fn adam() {
    // m₁ = 0.05, v₁ = 0.00025, m̂₁ = 0.5, v̂₁ = 0.25: θ₁ = 1 - 0.1·0.5/(0.5 + ε).
    let first = 1.0 - adam_first_step();
    let want = (first, first - adam_second_step());
    assert_close(two_steps(&mut Adam::new().lr(0.1)), want, 1e-14);
}

#[test]
fn adamw() {
    // Decay first: θ ← θ(1 - 0.1·0.01), then the Adam step.
    let first = 1.0 * (1.0 - 0.001) - adam_first_step();
    let want = (first, first * (1.0 - 0.001) - adam_second_step());
    assert_close(two_steps(&mut Adam::adamw().lr(0.1)), want, 1e-14);
}

#[test]
fn defaults_are_the_usual_ones() {
    assert_eq!(Adam::new().learning_rate(), 1e-3);
    assert_eq!(AdaGrad::new().learning_rate(), 1e-2);
    assert_eq!(RmsProp::new().learning_rate(), 1e-2);
    // Adam's default β = (0.9, 0.999), ε = 1e-8 give a first step of lr·g/(|g| + ε).
    let mut p = [Tensor::scalar(0.0)];
    Adam::new().update(&mut p, &[Tensor::scalar(1.0)]);
    assert!((p[0].item() + 1e-3 / (1.0 + 1e-8)).abs() < 1e-18);
}

#[test]
fn schedules() {
    let step = Schedule::Step {
        every: 3,
        factor: 0.1,
    };
    let rates: Vec<f64> = (0..7).map(|e| step.rate(2.0, e)).collect();
    let want = [2.0, 2.0, 2.0, 0.2, 0.2, 0.2, 0.02];
    assert!(
        rates.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-15),
        "{rates:?}"
    );
    let cos = Schedule::Cosine {
        epochs: 4,
        min_lr: 0.1,
    };
    // min + (base - min)(1 + cos(π t/4))/2 at t = 0, 2, 4, 6.
    assert_eq!(cos.rate(1.1, 0), 1.1);
    assert!((cos.rate(1.1, 2) - 0.6).abs() < 1e-15);
    assert!((cos.rate(1.1, 4) - 0.1).abs() < 1e-15);
    assert!((cos.rate(1.1, 6) - 0.1).abs() < 1e-15);
    assert_eq!(Schedule::Constant.rate(0.3, 100), 0.3);
}
