//! One call that verifies every derivative mode of a function against a
//! truth that does not come from the mode being checked.

use std::fmt;

use crate::functional::{
    flatten, hessian, hvp, hvp_batch, hvp_batch_only, hvp_only, jvp, jvp_batch, total_len,
    unflatten, value, value_and_grad, vjp,
};
use crate::linearize::linearize;
use crate::scalar::Scalar;
use crate::tensor::TensorOf;
use crate::var::VarOf;

/// Directions in the batched products that [`all`] compares with single ones.
const LANES: usize = 3;

/// A tolerance for quantities that agree up to rounding in `S`: `2¹⁰ ε`
/// relative to the size of what was summed (summation order differs
/// between the paths compared, and sums of many terms round more); with
/// `f64`, 2.3e-13, with `f32`, 1.2e-4.
fn rounding<S: Scalar>() -> f64 {
    1024.0 * S::epsilon().as_f64()
}

/// A derivative mode checked by [`all`], and the truth it is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The gradient (reverse sweep, the vjp rules) against central
    /// differences of the function's values, coordinate by coordinate.
    Gradient,
    /// The jvp (forward tangents, the tangent rules) against central
    /// differences of the function's values along a direction.
    Jvp,
    /// The inner-product identity `⟨vjp(c), t⟩ = ⟨c, jvp(t)⟩`, which ties the
    /// vjp rules to the tangent rules.
    VjpIdentity,
    /// `H·v` (forward-over-reverse) against central differences of the
    /// gradient along `v` (the gradient itself checked by [`Mode::Gradient`]).
    Hvp,
    /// Symmetry of the Hessian, `⟨u, H v⟩ = ⟨H u, v⟩`.
    Symmetry,
    /// [`hvp_only`](crate::hvp_only) (the tangent-only sweep) against the full sweep.
    HvpOnly,
    /// [`hvp_batch`](crate::hvp_batch), `K` lanes in one sweep, against `K` single products.
    HvpBatch,
    /// [`hvp_batch_only`](crate::hvp_batch_only) against `K` single products.
    HvpBatchOnly,
    /// [`linearize`](crate::linearize)'s replayed products against fresh sweeps.
    Linearize,
    /// [`hessian`](crate::hessian) times `v` against `H·v`.
    Hessian,
    /// [`jvp_batch`](crate::jvp_batch), `K` lanes, against `K` single jvps.
    JvpBatch,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Mode::Gradient => "gradient vs central differences",
            Mode::Jvp => "jvp vs central differences",
            Mode::VjpIdentity => "vjp vs jvp (inner-product identity)",
            Mode::Hvp => "H·v vs differences of the gradient",
            Mode::Symmetry => "Hessian symmetry",
            Mode::HvpOnly => "hvp_only vs full sweep",
            Mode::HvpBatch => "hvp_batch vs single products",
            Mode::HvpBatchOnly => "hvp_batch_only vs single products",
            Mode::Linearize => "linearize vs fresh sweeps",
            Mode::Hessian => "hessian · v vs H·v",
            Mode::JvpBatch => "jvp_batch vs single jvps",
        };
        f.write_str(name)
    }
}

/// The result of checking one mode: the component with the largest error
/// relative to its tolerance, and that error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModeCheck {
    /// What was checked against what.
    pub mode: Mode,
    /// Index of the worst component (inputs flattened in order; for a
    /// batched mode, lane-major).
    pub worst: usize,
    /// The engine's value there.
    pub exact: f64,
    /// The independent value there.
    pub reference: f64,
    /// `|exact - reference|`.
    pub error: f64,
    /// The largest error that rounding and the differences' own noise
    /// explain at that component.
    pub tolerance: f64,
}

impl ModeCheck {
    /// Whether the error is within the tolerance (NaN fails).
    pub fn passed(&self) -> bool {
        self.error <= self.tolerance
    }

    /// Compares `exact` with `reference`, component by component, each
    /// within its own tolerance.
    fn compare(mode: Mode, exact: &[f64], reference: &[f64], tolerance: &[f64]) -> ModeCheck {
        let ratio = |i: usize| {
            let error = (exact[i] - reference[i]).abs();
            if error.is_nan() {
                f64::INFINITY
            } else {
                error / tolerance[i].max(f64::MIN_POSITIVE)
            }
        };
        let worst = (0..exact.len())
            .max_by(|&i, &j| ratio(i).total_cmp(&ratio(j)))
            .unwrap_or(0);
        let at = |v: &[f64]| v.get(worst).copied().unwrap_or(0.0);
        ModeCheck {
            mode,
            worst,
            exact: at(exact),
            reference: at(reference),
            error: (at(exact) - at(reference)).abs(),
            tolerance: at(tolerance),
        }
    }

    /// Compares two computations that should agree up to rounding,
    /// relative to the size of `reference`.
    fn rounding(mode: Mode, exact: &[f64], reference: &[f64], unit: f64) -> ModeCheck {
        let scale = reference.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        let tolerance = vec![unit * scale; reference.len()];
        ModeCheck::compare(mode, exact, reference, &tolerance)
    }
}

/// Every mode [`all`] checked, and the precision it checked them in.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The element type the function was evaluated in (`"f64"`, `"f32"`).
    pub precision: &'static str,
    /// The relative tolerance for quantities that agree up to rounding,
    /// `2¹⁰ ε` of that type; finite differences get ten times their swept
    /// noise floor on top of it.
    pub rounding: f64,
    /// The smallest step of the finite-difference sweeps, relative to the
    /// point's scale (they start at 0.1 and go down by half-decades to just
    /// below `√ε` of the type).
    pub smallest_step: f64,
    /// One entry per mode, in the order checked.
    pub checks: Vec<ModeCheck>,
}

impl Report {
    /// Whether every mode passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(ModeCheck::passed)
    }

    /// The modes that failed.
    pub fn failures(&self) -> impl Iterator<Item = &ModeCheck> {
        self.checks.iter().filter(|c| !c.passed())
    }

    /// The check of `mode`, if it ran.
    pub fn get(&self, mode: Mode) -> Option<&ModeCheck> {
        self.checks.iter().find(|c| c.mode == mode)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "in {}: rounding tolerance {:.1e} relative (2^10 eps); difference steps from 1e-1 to {:.1e}",
            self.precision, self.rounding, self.smallest_step
        )?;
        for c in &self.checks {
            writeln!(
                f,
                "{:<6} {:<40} worst component {:>4}: error {:.2e} (tolerance {:.2e}; engine {:.6e}, reference {:.6e})",
                if c.passed() { "ok" } else { "FAILED" },
                c.mode.to_string(),
                c.worst,
                c.error,
                c.tolerance,
                c.exact,
                c.reference
            )?;
        }
        Ok(())
    }
}

/// The last half-decade `J` of the steps `10^(-j/2)` the sweeps use: the
/// one just below `√ε` of `S` (16, a step of 1e-8, for `f64`; 7, 3e-4, for
/// `f32`). Smaller steps are below rounding in `S` — `x ± h` rounds back
/// to `x`, and the differences vanish identically, which three neighbours
/// would take for a converged estimate of 0.
fn last_half_decade<S: Scalar>() -> i32 {
    (-2.0 * S::epsilon().as_f64().sqrt().log10()).floor() as i32 + 1
}

/// Central differences of `line(t)` (a vector function of the step along
/// one direction) at `t = 0`, over the steps `scale · 10^(-j/2)` for
/// `j = 2, …, last`. Per component: the estimate at the step where it agrees
/// best with the two steps on either side (two decades of steps), and that
/// disagreement — the noise floor of the sweep, which covers truncation and
/// rounding there. (Two neighbours on one side each are too few: three
/// noisy estimates agree by chance often enough to fake a low floor.)
fn swept_differences(
    line: impl Fn(f64) -> Vec<f64>,
    scale: f64,
    last: i32,
) -> (Vec<f64>, Vec<f64>) {
    const REACH: usize = 2;
    let rows: Vec<Vec<f64>> = (2..=last)
        .map(|j| {
            let h = scale * 10f64.powf(-f64::from(j) / 2.0);
            let (plus, minus) = (line(h), line(-h));
            plus.iter()
                .zip(&minus)
                .map(|(p, m)| (p - m) / (2.0 * h))
                .collect()
        })
        .collect();
    let width = rows[0].len();
    (0..width)
        .map(|i| {
            let noise = |j: usize| {
                let spread = (j - REACH..=j + REACH).map(|k| (rows[k][i] - rows[j][i]).abs());
                if spread.clone().any(f64::is_nan) {
                    f64::INFINITY
                } else {
                    spread.fold(0.0, f64::max)
                }
            };
            let best = (REACH..rows.len() - REACH)
                .min_by(|&a, &b| noise(a).total_cmp(&noise(b)))
                .expect("the sweep has enough steps");
            (rows[best][i], noise(best))
        })
        .unzip()
}

/// The tolerance for a difference estimate with noise floor `noise`: ten
/// times the noise, and never below rounding of the values compared.
fn difference_tolerance(noise: &[f64], exact: &[f64], estimate: &[f64], unit: f64) -> Vec<f64> {
    noise
        .iter()
        .zip(exact.iter().zip(estimate))
        .map(|(n, (e, d))| 10.0 * n + unit * e.abs().max(d.abs()))
        .collect()
}

/// The values of `ts`, flattened and widened to `f64` for the comparisons.
fn wide<S: Scalar>(ts: &[TensorOf<S>]) -> Vec<f64> {
    flatten(ts).into_iter().map(S::as_f64).collect()
}

fn along(x: &[f64], d: &[f64], t: f64) -> Vec<f64> {
    x.iter().zip(d).map(|(a, b)| a + t * b).collect()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0_f64, |m, x| m.max(x.abs()))
}

/// The step scale for differences along `d` from `x`: `max(1, ‖x‖∞) / ‖d‖∞`.
fn step_scale(x: &[f64], d: &[f64]) -> f64 {
    max_abs(x).max(1.0) / max_abs(d).max(f64::MIN_POSITIVE)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn abs_dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x * y).abs()).sum()
}

/// Random directions shaped like `xs`, one tensor per input.
fn directions<S: Scalar>(xs: &[TensorOf<S>], seed: u64) -> Vec<TensorOf<S>> {
    xs.iter()
        .enumerate()
        .map(|(i, x)| TensorOf::randn(x.shape(), seed + i as u64))
        .collect()
}

/// `K` directions stacked as lanes `[K, ...shape]` per input, and the single directions.
#[allow(clippy::type_complexity)]
fn lanes<S: Scalar>(xs: &[TensorOf<S>], seed: u64) -> (Vec<TensorOf<S>>, Vec<Vec<TensorOf<S>>>) {
    let singles: Vec<Vec<TensorOf<S>>> = (0..LANES as u64)
        .map(|k| directions(xs, seed + 100 * k))
        .collect();
    let stacked = xs
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut shape = vec![LANES];
            shape.extend_from_slice(x.shape());
            let data = singles.iter().flat_map(|d| d[i].data().to_vec()).collect();
            TensorOf::new(&shape, data)
        })
        .collect();
    (stacked, singles)
}

/// Flattens lane-major results `[K, ...]` of several inputs into `K` blocks,
/// each holding every input's lane in order: comparable with single products.
fn by_lane<S: Scalar>(results: &[TensorOf<S>]) -> Vec<f64> {
    (0..LANES)
        .flat_map(|k| {
            results.iter().flat_map(move |r| {
                let m = r.len() / LANES;
                r.data()[k * m..(k + 1) * m].iter().map(|x| x.as_f64())
            })
        })
        .collect()
}

/// Checks every derivative mode of `f` at `xs` against a truth independent
/// of that mode, and reports, per mode, the worst component and its error.
///
/// - the gradient against central differences of `f` coordinate by
///   coordinate, and the jvp against central differences along a random
///   direction, each with its step chosen by an ε-sweep and its tolerance
///   derived from the sweep's own noise floor (no fixed threshold: a rule
///   wrong by 1e-6 relative fails where correct rules agree to ~1e-10);
/// - the vjp by the inner-product identity with the jvp;
/// - `H·v` against central differences of the gradient, and the Hessian's
///   symmetry;
/// - the tangent-only and `K`-lane paths ([`hvp_only`](crate::hvp_only),
///   [`hvp_batch`](crate::hvp_batch), [`hvp_batch_only`](crate::hvp_batch_only),
///   [`linearize`](crate::linearize), [`hessian`](crate::hessian),
///   [`jvp_batch`](crate::jvp_batch)) against single full sweeps, to rounding.
///
/// The modes that need a scalar output (gradient, `H·v` and everything
/// built on it) are checked only when `f` returns one value. The cost is
/// about `30 n` evaluations of `f` for `n` inputs, plus the Hessian.
///
/// The function is evaluated in the precision of `xs`, and every tolerance
/// follows from that type's `ε` ([`Report::rounding`], and the noise floor
/// the sweep measures): in `f32` the differences are noisier and the
/// tolerances about 10⁴ times wider than in `f64`, so a rule has to be
/// wrong by about 1e-3 relative before `f32` can tell.
///
/// ```
/// use autodiff::{check, func, Tensor};
/// let f = func(|x| (x[0].matmul(x[1]).tanh().square().sum()));
/// let xs = [Tensor::randn(&[3, 2], 0), Tensor::randn(&[2, 2], 1)];
/// let report = check::all(f, &xs);
/// assert!(report.passed(), "{report}");
/// ```
pub fn all<S: Scalar, F>(f: F, xs: &[TensorOf<S>]) -> Report
where
    F: for<'t> Fn(&[VarOf<'t, S>]) -> VarOf<'t, S>,
{
    let unit = rounding::<S>();
    let last = last_half_decade::<S>();
    let x = wide(xs);
    let at = |p: &[f64]| {
        let narrowed: Vec<S> = p.iter().map(|&v| S::of(v)).collect();
        unflatten(&narrowed, xs)
    };
    let t = directions(xs, 7001);
    let t_flat = wide(&t);
    let mut checks = Vec::new();
    let report = |checks| Report {
        precision: S::NAME,
        rounding: unit,
        smallest_step: 10f64.powf(-f64::from(last) / 2.0),
        checks,
    };

    // Forward mode: the tangent rules against values of f.
    let (y, pushed) = jvp(&f, xs, &t);
    let pushed = wide(&[pushed]);
    let (estimate, noise) = swept_differences(
        |s| wide(&[value(&f, &at(&along(&x, &t_flat, s)))]),
        step_scale(&x, &t_flat),
        last,
    );
    let tolerance = difference_tolerance(&noise, &pushed, &estimate, unit);
    checks.push(ModeCheck::compare(
        Mode::Jvp,
        &pushed,
        &estimate,
        &tolerance,
    ));

    // Reverse mode: the vjp rules tied to the tangent rules.
    let c = TensorOf::randn(y.shape(), 7002);
    let (_, pulled) = vjp(&f, xs, &c);
    let pulled = wide(&pulled);
    let c = wide(&[c]);
    let lhs = dot(&pulled, &t_flat);
    let rhs = dot(&c, &pushed);
    let scale = abs_dot(&pulled, &t_flat) + abs_dot(&c, &pushed);
    checks.push(ModeCheck::compare(
        Mode::VjpIdentity,
        &[lhs],
        &[rhs],
        &[unit * scale],
    ));

    let (_, lanes_pushed) = jvp_batch(&f, xs, &lanes(xs, 7100).0);
    let singles: Vec<f64> = lanes(xs, 7100)
        .1
        .iter()
        .flat_map(|d| wide(&[jvp(&f, xs, d).1]))
        .collect();
    checks.push(ModeCheck::rounding(
        Mode::JvpBatch,
        &wide(&[lanes_pushed]),
        &singles,
        unit,
    ));

    if y.len() != 1 {
        return report(checks);
    }

    // The gradient against values of f, one coordinate at a time.
    let (_, g) = value_and_grad(&f, xs);
    let g = wide(&g);
    let mut estimate = Vec::with_capacity(x.len());
    let mut noise = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        let (e, n) = swept_differences(
            |s| {
                let mut p = x.clone();
                p[i] += s;
                wide(&[value(&f, &at(&p))])
            },
            x[i].abs().max(1.0),
            last,
        );
        estimate.push(e[0]);
        noise.push(n[0]);
    }
    let tolerance = difference_tolerance(&noise, &g, &estimate, unit);
    checks.push(ModeCheck::compare(
        Mode::Gradient,
        &g,
        &estimate,
        &tolerance,
    ));

    // H·v against differences of the gradient along v.
    let v = directions(xs, 7003);
    let v_flat = wide(&v);
    let hv = wide(&hvp(&f, xs, &v).hvp);
    let (estimate, noise) = swept_differences(
        |s| wide(&value_and_grad(&f, &at(&along(&x, &v_flat, s))).1),
        step_scale(&x, &v_flat),
        last,
    );
    let tolerance = difference_tolerance(&noise, &hv, &estimate, unit);
    checks.push(ModeCheck::compare(Mode::Hvp, &hv, &estimate, &tolerance));

    let u = directions(xs, 7004);
    let u_flat = wide(&u);
    let hu = wide(&hvp(&f, xs, &u).hvp);
    let scale = abs_dot(&u_flat, &hv) + abs_dot(&hu, &v_flat);
    checks.push(ModeCheck::compare(
        Mode::Symmetry,
        &[dot(&u_flat, &hv)],
        &[dot(&hu, &v_flat)],
        &[unit * scale],
    ));

    // The tangent-only and K-lane paths against single full sweeps.
    checks.push(ModeCheck::rounding(
        Mode::HvpOnly,
        &wide(&hvp_only(&f, xs, &v)),
        &hv,
        unit,
    ));
    let (stacked, singles) = lanes(xs, 7200);
    let single_products: Vec<f64> = singles
        .iter()
        .flat_map(|d| wide(&hvp(&f, xs, d).hvp))
        .collect();
    checks.push(ModeCheck::rounding(
        Mode::HvpBatch,
        &by_lane(&hvp_batch(&f, xs, &stacked).hvp),
        &single_products,
        unit,
    ));
    checks.push(ModeCheck::rounding(
        Mode::HvpBatchOnly,
        &by_lane(&hvp_batch_only(&f, xs, &stacked)),
        &single_products,
        unit,
    ));
    checks.push(ModeCheck::rounding(
        Mode::Linearize,
        &wide(&linearize(&f, xs).hvp(&v)),
        &hv,
        unit,
    ));

    let n = total_len(xs);
    let h = wide(&[hessian(&f, xs)]);
    let rows = h.chunks(n.max(1));
    let h_v: Vec<f64> = rows.clone().map(|row| dot(row, &v_flat)).collect();
    let hv_scale = max_abs(&hv);
    let tolerance: Vec<f64> = rows
        .map(|row| unit * (abs_dot(row, &v_flat) + hv_scale))
        .collect();
    checks.push(ModeCheck::compare(Mode::Hessian, &h_v, &hv, &tolerance));

    report(checks)
}
