//! A primitive defined outside the engine, through the public `Primitive`
//! trait: it gets every derivative mode with no other code, and `check::all`
//! catches each way of breaking one of its rules (mutation testing).

use autodiff::check::{self, Mode};
use autodiff::{
    func, grad, hessian, hvp, hvp_batch, hvp_only, jacobian, jvp, linearize, vjp, Dual, Primitive,
    Tensor, Var, Wanted,
};

/// How the rules of [`Sine`] are broken on purpose.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mutation {
    /// The correct rules.
    None,
    /// The vjp's slope `cos x` off by 1e-6 relative — and its derivative
    /// with it, so `H·v` stays consistent with the (wrong) gradient.
    FirstDerivative,
    /// The slope's own tangent (the second derivative) off by 1e-6 relative.
    SecondDerivative,
    /// The second derivative off by 1e-6 relative in tangent-only sweeps alone.
    TangentOnlyPath,
    /// The tangent rule (forward mode) off by 1e-6 relative.
    TangentRule,
}

const OFF: f64 = 1.0 + 1e-6;

/// `sin(x)`, elementwise, defined by a user.
struct Sine(Mutation);

fn scale_lanes(d: Dual, by: f64) -> Dual {
    Dual {
        primal: d.primal,
        tangent: d.tangent.map(|t| t.map(|x| x * by)),
    }
}

// d sin(x) = cos(x) dx
impl Primitive for Sine {
    fn name(&self) -> &'static str {
        "sine"
    }
    fn arity(&self) -> usize {
        1
    }
    fn primal(&self, x: &[&Tensor]) -> Tensor {
        x[0].map(f64::sin)
    }
    fn tangent(&self, x: &[&Dual], _: &Tensor) -> Option<Tensor> {
        let off = if self.0 == Mutation::TangentRule {
            OFF
        } else {
            1.0
        };
        x[0].tangent_times(&x[0].primal.map(|x| x.cos() * off))
    }
    fn vjp(&self, x: &[&Dual], _: &Dual, c: &Dual, wanted: &[Wanted]) -> Vec<Option<Dual>> {
        let slope = x[0].cos();
        let slope = match self.0 {
            Mutation::FirstDerivative => &slope * OFF,
            Mutation::SecondDerivative => scale_lanes(slope, OFF),
            Mutation::TangentOnlyPath if wanted[0] == Wanted::TangentOnly => {
                scale_lanes(slope, OFF)
            }
            _ => slope,
        };
        vec![Some(c * &slope)]
    }
}

fn weights() -> Tensor {
    Tensor::randn(&[2, 3], 90)
}

/// `Σ w ∘ sine(x)`: its Hessian `diag(-w ∘ sin x)` comes from the
/// primitive's second derivative alone.
fn objective<'t>(mutation: Mutation, x: &[Var<'t>]) -> Var<'t> {
    let tape = x[0].tape();
    let w = tape.constant(weights());
    (tape.apply(Sine(mutation), &[x[0]]) * w).sum()
}

fn point() -> [Tensor; 1] {
    [Tensor::randn(&[2, 3], 91)]
}

fn close(a: &Tensor, b: &[f64]) -> bool {
    a.data()
        .iter()
        .zip(b)
        .all(|(x, y)| (x - y).abs() <= 1e-14 * (1.0 + y.abs()))
}

#[test]
fn a_user_primitive_gets_every_mode_with_its_analytic_values() {
    let f = func(|x| objective(Mutation::None, x));
    let x = point();
    let (xs, w) = (x[0].data().to_vec(), weights().data().to_vec());
    let n = xs.len();
    let cos: Vec<f64> = xs.iter().map(|x| x.cos()).collect();
    let curvature: Vec<f64> = xs.iter().zip(&w).map(|(x, w)| -w * x.sin()).collect();
    let v = [Tensor::randn(&[2, 3], 92)];
    let hv: Vec<f64> = curvature
        .iter()
        .zip(v[0].data())
        .map(|(h, v)| h * v)
        .collect();

    let g: Vec<f64> = cos.iter().zip(&w).map(|(c, w)| c * w).collect();
    assert!(close(&grad(f, &x)[0], &g));
    assert!(close(&hvp(f, &x, &v).hvp[0], &hv));
    assert!(close(&hvp_only(f, &x, &v)[0], &hv));
    assert!(close(&linearize(f, &x).hvp(&v)[0], &hv));
    let two_lanes = Tensor::from_vec(&[2, 2, 3], [v[0].data(), v[0].data()].concat()).unwrap();
    assert!(close(
        &hvp_batch(f, &x, &[two_lanes]).hvp[0],
        &[hv.clone(), hv].concat()
    ));
    let mut diagonal = vec![0.0; n * n];
    for i in 0..n {
        diagonal[i * n + i] = curvature[i];
    }
    assert!(close(&hessian(f, &x), &diagonal));

    // The primitive's own output: forward and reverse rules, and the Jacobian diag(cos x).
    let sine = func(|x| x[0].tape().apply(Sine(Mutation::None), &[x[0]]));
    let dv: Vec<f64> = cos.iter().zip(v[0].data()).map(|(c, v)| c * v).collect();
    assert!(close(&jvp(sine, &x, &v).1, &dv));
    assert!(close(&vjp(sine, &x, &v[0]).1[0], &dv));
    let mut jac = vec![0.0; n * n];
    for i in 0..n {
        jac[i * n + i] = cos[i];
    }
    assert!(close(&jacobian(sine, &x), &jac));
}

#[test]
fn check_passes_the_correct_rules() {
    let report = check::all(|x| objective(Mutation::None, x), &point());
    assert!(report.passed(), "{report}");
    let report = check::all(
        |x| x[0].tape().apply(Sine(Mutation::None), &[x[0]]),
        &point(),
    );
    assert!(report.passed(), "{report}");
}

/// The modes `check::all` flags for a mutation.
fn flagged(mutation: Mutation) -> Vec<Mode> {
    let report = check::all(move |x| objective(mutation, x), &point());
    println!("{mutation:?}:\n{report}");
    report.failures().map(|c| c.mode).collect()
}

#[test]
fn check_catches_a_first_derivative_off_by_one_in_a_million() {
    let flagged = flagged(Mutation::FirstDerivative);
    assert!(flagged.contains(&Mode::Gradient), "{flagged:?}");
    assert!(flagged.contains(&Mode::VjpIdentity), "{flagged:?}");
    // H·v is consistent with the wrong gradient: comparing it with
    // differences of the engine's own gradient cannot see the error, and the
    // fixed-step checks pass it at their documented thresholds.
    assert!(!flagged.contains(&Mode::Hvp), "{flagged:?}");
    let f = func(|x| objective(Mutation::FirstDerivative, x));
    let v = [Tensor::randn(&[2, 3], 93)];
    assert!(check::hvp(f, &point(), &v).max_rel < 1e-6);
    assert!(check::gradient(f, &point()).max_rel < 1e-5);
}

#[test]
fn check_catches_a_second_derivative_off_alone() {
    let flagged = flagged(Mutation::SecondDerivative);
    assert!(flagged.contains(&Mode::Hvp), "{flagged:?}");
    assert!(!flagged.contains(&Mode::Gradient), "{flagged:?}");
}

#[test]
fn check_catches_a_wrong_tangent_only_product() {
    let flagged = flagged(Mutation::TangentOnlyPath);
    for mode in [Mode::HvpOnly, Mode::HvpBatchOnly, Mode::Hessian] {
        assert!(flagged.contains(&mode), "{mode:?} not in {flagged:?}");
    }
    assert!(!flagged.contains(&Mode::Hvp), "{flagged:?}");
}

#[test]
fn check_catches_a_wrong_tangent_rule() {
    let flagged = flagged(Mutation::TangentRule);
    assert!(flagged.contains(&Mode::Jvp), "{flagged:?}");
    assert!(flagged.contains(&Mode::VjpIdentity), "{flagged:?}");
}
