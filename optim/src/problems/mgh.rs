//! The Moré–Garbow–Hillstrom (1981) problems: `f(x) = Σ r_i(x)²`, with the
//! residuals, start points and minima numbered as in the paper.

use autodiff::{Tensor, Var};

use super::Problem;

/// Component `i` of `x`, shape `[1]`.
fn at(x: Var<'_>, i: usize) -> Var<'_> {
    x.slice(0, i, i + 1)
}

/// `Σ r²` over residual blocks of any lengths.
fn sum_of_squares<'t>(residuals: &[Var<'t>]) -> Var<'t> {
    Var::concat(residuals, 0).square().sum()
}

fn constant<'t>(x: Var<'t>, values: Vec<f64>) -> Var<'t> {
    x.tape().constant(Tensor::vector(values))
}

/// (1) Rosenbrock, n = 2: `r = (10(x₂ − x₁²), 1 − x₁)`, start (−1.2, 1), minimum 0 at (1, 1).
pub fn rosenbrock() -> Problem {
    Problem::new(
        "rosenbrock",
        vec![-1.2, 1.0],
        0.0,
        Some(vec![1.0; 2]),
        |x| {
            let (a, b) = (at(x, 0), at(x, 1));
            sum_of_squares(&[(b - a.square()) * 10.0, 1.0 - a])
        },
    )
    .core()
}

/// (2) Freudenstein and Roth, n = 2: start (0.5, −2), minimum 0 at (5, 4);
/// a local minimum 48.9842… at (11.41…, −0.8968…).
pub fn freudenstein_roth() -> Problem {
    Problem::new("freudenstein_roth", vec![0.5, -2.0], 0.0, None, |x| {
        let (a, b) = (at(x, 0), at(x, 1));
        sum_of_squares(&[
            a - 13.0 + ((5.0 - b) * b - 2.0) * b,
            a - 29.0 + ((b + 1.0) * b - 14.0) * b,
        ])
    })
    .with_local_minima(&[48.9842])
    .core()
}

/// (3) Powell badly scaled, n = 2: `r = (10⁴ x₁x₂ − 1, e^{−x₁} + e^{−x₂} − 1.0001)`,
/// start (0, 1), minimum 0 at (1.098…e−5, 9.106…).
pub fn powell_badly_scaled() -> Problem {
    Problem::new("powell_badly_scaled", vec![0.0, 1.0], 0.0, None, |x| {
        let (a, b) = (at(x, 0), at(x, 1));
        sum_of_squares(&[a * b * 1e4 - 1.0, (-a).exp() + (-b).exp() - 1.0001])
    })
    .core()
}

/// (4) Brown badly scaled, n = 2: `r = (x₁ − 10⁶, x₂ − 2·10⁻⁶, x₁x₂ − 2)`,
/// start (1, 1), minimum 0 at (10⁶, 2·10⁻⁶).
pub fn brown_badly_scaled() -> Problem {
    Problem::new(
        "brown_badly_scaled",
        vec![1.0, 1.0],
        0.0,
        Some(vec![1e6, 2e-6]),
        |x| {
            let (a, b) = (at(x, 0), at(x, 1));
            sum_of_squares(&[a - 1e6, b - 2e-6, a * b - 2.0])
        },
    )
    .core()
}

/// (5) Beale, n = 2: `r_i = y_i − x₁(1 − x₂^i)`, y = (1.5, 2.25, 2.625),
/// start (1, 1), minimum 0 at (3, 0.5).
pub fn beale() -> Problem {
    Problem::new("beale", vec![1.0, 1.0], 0.0, Some(vec![3.0, 0.5]), |x| {
        let (a, b) = (at(x, 0), at(x, 1));
        let y = [1.5, 2.25, 2.625];
        let r: Vec<Var> = (1..=3)
            .map(|i| y[i - 1] - a * (1.0 - b.powf(i as f64)))
            .collect();
        sum_of_squares(&r)
    })
    .core()
}

/// (7) Helical valley, n = 3: `r = (10(x₃ − 10θ(x₁, x₂)), 10(√(x₁² + x₂²) − 1), x₃)`,
/// start (−1, 0, 0), minimum 0 at (1, 0, 0).
pub fn helical_valley() -> Problem {
    Problem::new(
        "helical_valley",
        vec![-1.0, 0.0, 0.0],
        0.0,
        Some(vec![1.0, 0.0, 0.0]),
        |x| {
            let (a, b, c) = (at(x, 0), at(x, 1), at(x, 2));
            // θ = atan(b/a) / 2π, plus ½ when a < 0 (a constant offset per branch).
            let branch = if a.item() < 0.0 { 0.5 } else { 0.0 };
            let theta = (b / a).atan() * (0.5 / std::f64::consts::PI) + branch;
            sum_of_squares(&[
                (c - theta * 10.0) * 10.0,
                ((a.square() + b.square()).sqrt() - 1.0) * 10.0,
                c,
            ])
        },
    )
    .core()
}

/// (9) Gaussian, n = 3, m = 15: `r_i = x₁ exp(−x₂(t_i − x₃)²/2) − y_i`,
/// `t_i = (8 − i)/2`, start (0.4, 1, 0), minimum 1.12793e−8.
pub fn gaussian() -> Problem {
    Problem::new("gaussian", vec![0.4, 1.0, 0.0], 1.12793e-8, None, |x| {
        let y = vec![
            0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989, 0.3521, 0.2420, 0.1295,
            0.0540, 0.0175, 0.0044, 0.0009,
        ];
        let t = constant(x, (1..=15).map(|i| (8.0 - i as f64) / 2.0).collect());
        let (a, b, c) = (at(x, 0), at(x, 1), at(x, 2));
        let r = a * (-(b * (t - c).square()) * 0.5).exp() - constant(x, y);
        r.square().sum()
    })
}

/// (12) Box three-dimensional, n = 3, m = 10:
/// `r_i = e^{−t_i x₁} − e^{−t_i x₂} − x₃(e^{−t_i} − e^{−10 t_i})`, `t_i = i/10`,
/// start (0, 10, 20), minimum 0 (at (1, 10, 1), (10, 1, −1) and wherever x₁ = x₂, x₃ = 0).
pub fn box_3d() -> Problem {
    Problem::new("box_3d", vec![0.0, 10.0, 20.0], 0.0, None, |x| {
        let ts: Vec<f64> = (1..=10).map(|i| 0.1 * i as f64).collect();
        let w = constant(
            x,
            ts.iter().map(|t| (-t).exp() - (-10.0 * t).exp()).collect(),
        );
        let t = constant(x, ts);
        let (a, b, c) = (at(x, 0), at(x, 1), at(x, 2));
        ((-(t * a)).exp() - (-(t * b)).exp() - c * w).square().sum()
    })
}

/// (13) Powell singular, n = 4: `r = (x₁ + 10x₂, √5(x₃ − x₄), (x₂ − 2x₃)², √10(x₁ − x₄)²)`,
/// start (3, −1, 0, 1), minimum 0 at the origin (singular Hessian there).
pub fn powell_singular() -> Problem {
    extended_powell_named("powell_singular", 4).core()
}

/// (14) Wood, n = 4: start (−3, −1, −3, −1), minimum 0 at (1, 1, 1, 1).
pub fn wood() -> Problem {
    Problem::new(
        "wood",
        vec![-3.0, -1.0, -3.0, -1.0],
        0.0,
        Some(vec![1.0; 4]),
        |x| {
            let (a, b, c, d) = (at(x, 0), at(x, 1), at(x, 2), at(x, 3));
            sum_of_squares(&[
                (b - a.square()) * 10.0,
                1.0 - a,
                (d - c.square()) * 90f64.sqrt(),
                1.0 - c,
                (b + d - 2.0) * 10f64.sqrt(),
                (b - d) * 0.1f64.sqrt(),
            ])
        },
    )
    .core()
}

/// (18) Biggs EXP6, n = 6, m = 13:
/// `r_i = x₃e^{−t_i x₁} − x₄e^{−t_i x₂} + x₆e^{−t_i x₅} − y_i`, `t_i = i/10`,
/// `y_i = e^{−t_i} − 5e^{−10t_i} + 3e^{−4t_i}`; start (1, 2, 1, 1, 1, 1);
/// minimum 0 at (1, 10, 1, 5, 4, 3), and a local minimum 5.65565e−3.
pub fn biggs_exp6() -> Problem {
    Problem::new(
        "biggs_exp6",
        vec![1.0, 2.0, 1.0, 1.0, 1.0, 1.0],
        0.0,
        None,
        |x| {
            let ts: Vec<f64> = (1..=13).map(|i| 0.1 * i as f64).collect();
            let y = ts
                .iter()
                .map(|t| (-t).exp() - 5.0 * (-10.0 * t).exp() + 3.0 * (-4.0 * t).exp())
                .collect();
            let t = constant(x, ts);
            let e = |k: usize| (-(t * at(x, k))).exp();
            let r = at(x, 2) * e(0) - at(x, 3) * e(1) + at(x, 5) * e(4) - constant(x, y);
            r.square().sum()
        },
    )
    .with_local_minima(&[5.65565e-3])
}

/// (20) Watson, n = 6, m = 31: for `t_i = i/29`, `i = 1..29`,
/// `r_i = Σ_{j≥2} (j−1) x_j t_i^{j−2} − (Σ_j x_j t_i^{j−1})² − 1`, and
/// `r₃₀ = x₁`, `r₃₁ = x₂ − x₁² − 1`; start 0, minimum 2.28767e−3.
pub fn watson() -> Problem {
    let n = 6;
    Problem::new("watson", vec![0.0; n], 2.28767e-3, None, move |x| {
        let rows = 29;
        let t = |i: usize| (i + 1) as f64 / 29.0;
        let derivative = Tensor::from_fn(&[rows, n], |k| {
            let (i, j) = (k / n, k % n);
            if j == 0 {
                0.0
            } else {
                j as f64 * t(i).powi(j as i32 - 1)
            }
        });
        let power = Tensor::from_fn(&[rows, n], |k| t(k / n).powi((k % n) as i32));
        let column = x.reshape(&[n, 1]);
        let tape = x.tape();
        let r = (tape.constant(derivative).matmul(column)
            - tape.constant(power).matmul(column).square()
            - 1.0)
            .reshape(&[rows]);
        let (a, b) = (at(x, 0), at(x, 1));
        sum_of_squares(&[r, a, b - a.square() - 1.0])
    })
}

/// (21) Extended Rosenbrock, any even n: Rosenbrock on each pair, start
/// (−1.2, 1, −1.2, 1, …), minimum 0 at (1, …, 1).
///
/// # Panics
/// When `n` is odd or zero.
pub fn extended_rosenbrock(n: usize) -> Problem {
    assert!(
        n > 0 && n % 2 == 0,
        "extended_rosenbrock: n = {n} is not even"
    );
    let x0 = (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect();
    Problem::new(
        format!("ext_rosenbrock_{n}"),
        x0,
        0.0,
        Some(vec![1.0; n]),
        move |x| {
            let pairs = x.reshape(&[n / 2, 2]);
            let (a, b) = (pairs.slice(1, 0, 1), pairs.slice(1, 1, 2));
            ((b - a.square()).square() * 100.0 + (1.0 - a).square()).sum()
        },
    )
    .core()
}

/// (22) Extended Powell singular, n = 4k: Powell singular on each block of
/// four, start (3, −1, 0, 1, …), minimum 0 at the origin.
///
/// # Panics
/// When `n` is not a positive multiple of 4.
pub fn extended_powell(n: usize) -> Problem {
    extended_powell_named(&format!("ext_powell_{n}"), n).core()
}

fn extended_powell_named(name: &str, n: usize) -> Problem {
    assert!(
        n > 0 && n % 4 == 0,
        "extended_powell: n = {n} is not a multiple of 4"
    );
    let x0 = (0..n).map(|i| [3.0, -1.0, 0.0, 1.0][i % 4]).collect();
    Problem::new(name, x0, 0.0, Some(vec![0.0; n]), move |x| {
        let blocks = x.reshape(&[n / 4, 4]);
        let c = |j: usize| blocks.slice(1, j, j + 1);
        ((c(0) + c(1) * 10.0).square()
            + (c(2) - c(3)).square() * 5.0
            + (c(1) - c(2) * 2.0).powf(4.0)
            + (c(0) - c(3)).powf(4.0) * 10.0)
            .sum()
    })
}

/// (23) Penalty function I, n = 4: `r_i = √a (x_i − 1)`, `a = 10⁻⁵`, and
/// `r_{n+1} = Σ x_j² − 1/4`; start `x_j = j`, minimum 2.24997e−5.
pub fn penalty_i() -> Problem {
    let x0 = (1..=4).map(f64::from).collect();
    Problem::new("penalty_i", x0, 2.24997e-5, None, |x| {
        ((x - 1.0).square() * 1e-5).sum() + (x.square().sum() - 0.25).square()
    })
}

/// (25) Variably dimensioned, any n: `r_i = x_i − 1`, `r_{n+1} = Σ j(x_j − 1)`,
/// `r_{n+2} = r_{n+1}²`; start `x_j = 1 − j/n`, minimum 0 at (1, …, 1).
pub fn variably_dimensioned(n: usize) -> Problem {
    let x0 = (1..=n).map(|j| 1.0 - j as f64 / n as f64).collect();
    Problem::new(
        format!("variably_dimensioned_{n}"),
        x0,
        0.0,
        Some(vec![1.0; n]),
        move |x| {
            let j = constant(x, (1..=n).map(|j| j as f64).collect());
            let s = ((x - 1.0) * j).sum();
            (x - 1.0).square().sum() + s.square() + s.powf(4.0)
        },
    )
    .core()
}

/// (26) Trigonometric, n = 10: `r_i = n − Σ cos x_j + i(1 − cos x_i) − sin x_i`,
/// start `x_j = 1/n`, minimum 0, and a local minimum 2.79506e−5.
pub fn trigonometric() -> Problem {
    let n = 10;
    Problem::new("trigonometric", vec![0.1; n], 0.0, None, move |x| {
        let (cos, sin) = (x.cos(), x.sin());
        let i = constant(x, (1..=n).map(|i| i as f64).collect());
        ((n as f64 - cos.sum()) + i * (1.0 - cos) - sin)
            .square()
            .sum()
    })
    .with_local_minima(&[2.79506e-5])
}

/// (30) Broyden tridiagonal, any n: `r_i = (3 − 2x_i)x_i − x_{i−1} − 2x_{i+1} + 1`
/// with `x₀ = x_{n+1} = 0`; start (−1, …, −1), minimum 0.
pub fn broyden_tridiagonal(n: usize) -> Problem {
    Problem::new(
        format!("broyden_tridiagonal_{n}"),
        vec![-1.0; n],
        0.0,
        None,
        move |x| {
            let zero = constant(x, vec![0.0]);
            let before = Var::concat(&[zero, x.slice(0, 0, n - 1)], 0);
            let after = Var::concat(&[x.slice(0, 1, n), zero], 0);
            ((3.0 - x * 2.0) * x - before - after * 2.0 + 1.0)
                .square()
                .sum()
        },
    )
}
