//! Standard test problems with known minima, written with the autodiff engine.
//!
//! The Moré–Garbow–Hillstrom set (Moré, Garbow & Hillstrom, "Testing
//! unconstrained optimization software", ACM TOMS 7, 1981), each as a sum of
//! squared residuals with its standard start point and the minimum reported
//! there, plus ill-conditioned quadratics. Every derivative a solver asks
//! for comes from the engine.
//!
//! ```
//! use optim::objective::Objective;
//! use optim::problems;
//! let p = problems::rosenbrock();
//! let f = p.objective();
//! assert!((f.value(&p.x0) - 24.2).abs() < 1e-12);
//! assert_eq!(f.value(p.x_min.as_ref().unwrap()), p.f_min);
//! ```

mod mgh;
mod quadratic;

pub use mgh::{
    beale, biggs_exp6, box_3d, brown_badly_scaled, broyden_tridiagonal, extended_powell,
    extended_rosenbrock, freudenstein_roth, gaussian, helical_valley, penalty_i,
    powell_badly_scaled, powell_singular, rosenbrock, trigonometric, variably_dimensioned, watson,
    wood,
};
pub use quadratic::{
    quadratic, quadratic_kappa100, quadratic_kappa1000, quadratic_kappa1000_in_basis,
};

use autodiff::Var;

use crate::objective::AutodiffObjective;

/// A test function of one vector `x` of shape `[n]`.
pub type ProblemFn = dyn for<'t> Fn(Var<'t>) -> Var<'t> + Send + Sync;

/// A test problem: the function, its standard start and its known minimum.
pub struct Problem {
    /// A short name, e.g. `"rosenbrock"` or `"ext_rosenbrock_100"`.
    pub name: String,
    /// The dimension `n`.
    pub dim: usize,
    /// The standard start point.
    pub x0: Vec<f64>,
    /// The global minimum value, to the digits published.
    pub f_min: f64,
    /// The minimiser, when it is unique and known exactly.
    pub x_min: Option<Vec<f64>>,
    /// Values of other local minima a descent method may legitimately reach
    /// from the standard start.
    pub local_minima: Vec<f64>,
    /// Whether the problem is in the core set on which Newton-type and
    /// quasi-Newton methods must reach `‖∇f‖∞ ≤ 1e-8`.
    pub core: bool,
    f: Box<ProblemFn>,
}

impl Problem {
    fn new(
        name: impl Into<String>,
        x0: Vec<f64>,
        f_min: f64,
        x_min: Option<Vec<f64>>,
        f: impl for<'t> Fn(Var<'t>) -> Var<'t> + Send + Sync + 'static,
    ) -> Problem {
        Problem {
            name: name.into(),
            dim: x0.len(),
            x0,
            f_min,
            x_min,
            local_minima: Vec::new(),
            core: false,
            f: Box::new(f),
        }
    }

    fn core(mut self) -> Problem {
        self.core = true;
        self
    }

    fn with_local_minima(mut self, values: &[f64]) -> Problem {
        self.local_minima = values.to_vec();
        self
    }

    /// The function, for the engine's functional API (`x` as one `[n]` var).
    pub fn function(&self) -> &ProblemFn {
        &*self.f
    }

    /// The problem as an objective, derivatives from the engine.
    pub fn objective(&self) -> AutodiffObjective<&ProblemFn> {
        AutodiffObjective::new(self.dim, &*self.f)
    }

    /// Whether `f` matches the global minimum or one of the listed local
    /// minima: within `rel_tol · |m|` of a nonzero minimum `m` (the published
    /// values carry about six digits, so `rel_tol` should not be below
    /// 1e-5), or below `abs_tol` for a zero minimum.
    pub fn is_known_minimum(&self, f: f64, rel_tol: f64, abs_tol: f64) -> bool {
        std::iter::once(&self.f_min)
            .chain(&self.local_minima)
            .any(|&m| {
                if m == 0.0 {
                    f.abs() <= abs_tol
                } else {
                    (f - m).abs() <= rel_tol * m.abs()
                }
            })
    }
}

/// The standard collection: the eighteen MGH problems, extended Rosenbrock
/// at n = 2, 10, 100 and 1000, and the two quadratics.
pub fn all() -> Vec<Problem> {
    let mut out = vec![
        rosenbrock(),
        freudenstein_roth(),
        powell_badly_scaled(),
        brown_badly_scaled(),
        beale(),
        helical_valley(),
        gaussian(),
        box_3d(),
        powell_singular(),
        wood(),
        biggs_exp6(),
        watson(),
    ];
    out.extend([2, 10, 100, 1000].map(extended_rosenbrock));
    out.extend([
        extended_powell(8),
        penalty_i(),
        variably_dimensioned(10),
        trigonometric(),
        broyden_tridiagonal(10),
        quadratic_kappa100(),
        quadratic_kappa1000(),
    ]);
    out
}
