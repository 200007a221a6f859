//! Is Adam a diagonal second-order method? The claim: Adam "approximates the
//! diagonal of the Hessian using running averages of squared gradients" and
//! fails "where off-diagonal curvature matters". Tested here by measuring,
//! after Adam has trained, its second moment `v̂` against the Hessian
//! diagonal, the Fisher diagonal and the empirical-Fisher diagonal, and what
//! each diagonal `D` does to conditioning: `κ(D^{-1/2} M D^{-1/2})` of the
//! curvature `M`, and the steps gradient descent preconditioned by `D`
//! needs on the quadratic `½ xᵀMx − bᵀx`.
//!
//! The problems: least-squares quadratics with Hessian spectrum
//! log-spaced over `[1/κ, 1]`, `κ = 100` and `10⁴`, axis-aligned and
//! rotated by a random orthogonal matrix, with noisy targets; and a
//! tanh MLP on the red-wine data (there `M` is the Gauss-Newton matrix
//! damped by the L2 coefficient, positive definite wherever training stops).
//! Every diagonal comes from the operators: `exact_diagonal` on the Hessian
//! and on the Gauss-Newton (= Fisher, for these likelihoods) products, and
//! the mean squared per-example gradient for the empirical Fisher.

use autodiff::{Tensor, Var};
use models::curvature::Curvature;
use models::{
    data, empirical_fisher_diagonal, Activation, Adam, Dataset, Loss, Mlp, Model, Mse, Params,
    SoftmaxCrossEntropy, Standardizer, Supervised, Trainer,
};
use nalgebra::{DMatrix, DVector};
use optim::curvature::{exact_diagonal, HessianOperator};
use optim::linop::DenseMatrix;
use serde_json::json;

use crate::cli::{iterations, Figures};

/// Dimension of the quadratics.
pub const DIM: usize = 40;
/// Examples of the least-squares quadratics.
pub const EXAMPLES: usize = 400;
/// Standard deviation of the targets' noise.
pub const NOISE: f64 = 0.5;
/// Preconditioned gradient descent stops at `‖Mx − b‖ ≤ GD_TOL ‖b‖`...
pub const GD_TOL: f64 = 1e-6;
/// ...or after this many steps.
pub const GD_CAP: usize = 20_000;
/// The L2 coefficient of the wine MLP (and the damping of its Gauss-Newton matrix).
pub const MLP_L2: f64 = 1e-3;
/// Hidden units of the wine MLP.
pub const MLP_HIDDEN: usize = 10;
/// Operator products per sweep when taking diagonals.
const LANES: usize = 32;

/// `x ↦ x w`: a linear model without bias, so its squared error is exactly
/// a quadratic in `w`.
#[derive(Clone, Copy, Debug)]
pub struct Linear;

impl Model for Linear {
    fn forward<'t>(&self, params: &[Var<'t>], inputs: Var<'t>) -> Var<'t> {
        inputs.matmul(params[0])
    }
}

/// A least-squares problem `(1/m) ‖X w − y‖²` whose Hessian `(2/m) XᵀX` is
/// `Q diag(λ) Qᵀ`, `λ` log-spaced from 1 down to `1/κ`, `Q = I` (axis-aligned)
/// or a random orthogonal matrix (rotated): `X = √(m/2) U diag(√λ) Qᵀ` with
/// `U` orthonormal columns, `y = X w* + noise`.
pub fn quadratic_problem(kappa: f64, rotated: bool, seed: u64) -> Supervised<Linear, Mse> {
    let (n, m) = (DIM, EXAMPLES);
    let gaussian = |rows: usize, cols: usize, s: u64| {
        DMatrix::from_row_slice(rows, cols, Tensor::randn(&[rows, cols], s).data())
    };
    let u = gaussian(m, n, seed).qr().q();
    let q = if rotated {
        gaussian(n, n, seed + 1).qr().q()
    } else {
        DMatrix::identity(n, n)
    };
    let root: Vec<f64> = (0..n)
        .map(|i| kappa.powf(-(i as f64) / (n - 1) as f64).sqrt())
        .collect();
    let x = (m as f64 / 2.0).sqrt()
        * u
        * DMatrix::from_diagonal(&DVector::from_vec(root))
        * q.transpose();
    let w_star = DVector::from_vec(Tensor::randn(&[n], seed + 2).into_vec());
    let noise = DVector::from_vec(Tensor::randn(&[m], seed + 3).into_vec());
    let y = &x * w_star + NOISE * noise;
    let features = Tensor::from_fn(&[m, n], |i| x[(i / n, i % n)]);
    let targets = Tensor::from_fn(&[m, 1], |i| y[i]);
    let data = Dataset::new(features, models::Targets::Values(targets))
        .expect("finite data by construction");
    Supervised::new(Linear, Mse, data).expect("the model fits the data by construction")
}

/// The wine MLP (11 → 10 tanh → 6 classes) on the standardised red-wine data.
pub fn wine_problem() -> Supervised<Mlp, SoftmaxCrossEntropy> {
    let wine = data::wine_quality();
    let wine = Standardizer::fit(&wine).apply(&wine);
    let mlp = Mlp::new(wine.num_features())
        .dense(MLP_HIDDEN, Activation::Tanh)
        .dense(6, Activation::Identity);
    Supervised::new(mlp, SoftmaxCrossEntropy, wine)
        .expect("the model fits the data by construction")
        .with_l2(MLP_L2)
}

/// How Adam is trained on each problem.
#[derive(Clone, Copy, Debug)]
pub struct AdamRun {
    /// Learning rate.
    pub lr: f64,
    /// Epochs.
    pub epochs: usize,
    /// Minibatch size.
    pub batch_size: usize,
}

/// Adam on the quadratics: 50 epochs of batches of 20 (1 000 steps).
pub const QUADRATIC_ADAM: AdamRun = AdamRun {
    lr: 1e-2,
    epochs: 50,
    batch_size: 20,
};
/// Adam on the wine MLP: 20 epochs of batches of 32 (1 000 steps).
pub const MLP_ADAM: AdamRun = AdamRun {
    lr: 1e-2,
    epochs: 20,
    batch_size: 32,
};

/// Two positive vectors compared on log axes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Agreement {
    /// Pearson correlation of `log a` with `log b`: 1 when `a ∝ b^s` for some `s > 0`.
    pub log_correlation: f64,
    /// Slope of the least-squares line of `log a` on `log b`: 1 when `a ∝ b`.
    pub log_slope: f64,
    /// Geometric mean of `a / b`: the ratio of scales.
    pub scale_ratio: f64,
}

/// Compares `a` with `b` over the entries where both are positive.
pub fn agreement(a: &[f64], b: &[f64]) -> Agreement {
    let (la, lb): (Vec<f64>, Vec<f64>) = a
        .iter()
        .zip(b)
        .filter(|(x, y)| **x > 0.0 && **y > 0.0)
        .map(|(x, y)| (x.ln(), y.ln()))
        .unzip();
    let k = la.len() as f64;
    let (ma, mb) = (la.iter().sum::<f64>() / k, lb.iter().sum::<f64>() / k);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in la.iter().zip(&lb) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    Agreement {
        log_correlation: sab / (saa * sbb).sqrt(),
        log_slope: sab / sbb,
        scale_ratio: (ma - mb).exp(),
    }
}

/// Gradient descent preconditioned by `D`: its condition number and steps.
#[derive(Clone, Debug)]
pub struct Preconditioned {
    /// Which diagonal `D` (`none` is `D = I`).
    pub name: &'static str,
    /// `κ(D^{-1/2} M D^{-1/2})`, from a dense eigendecomposition.
    pub condition: f64,
    /// Steps of `x ← x − η D⁻¹(Mx − b)` from 0 with the optimal fixed step
    /// `η = 2/(μ_max + μ_min)` to `‖Mx − b‖ ≤ GD_TOL ‖b‖`.
    pub gd_steps: usize,
    /// Whether it got there within `GD_CAP` steps.
    pub gd_converged: bool,
}

/// Everything measured on one problem.
#[derive(Clone, Debug)]
pub struct Case {
    /// The problem.
    pub name: String,
    /// The parameters Adam reached, flattened: where everything is measured.
    pub point: Vec<f64>,
    /// `diag H` at the trained point.
    pub hessian: Vec<f64>,
    /// The Fisher diagonal (the Gauss-Newton diagonal, equal for these likelihoods).
    pub fisher: Vec<f64>,
    /// The empirical-Fisher diagonal (mean squared per-example gradient of the loss).
    pub empirical_fisher: Vec<f64>,
    /// Adam's bias-corrected second moment `v̂` after training.
    pub adam: Vec<f64>,
    /// `√v̂` against `|diag H|`: the claim.
    pub adam_vs_hessian: Agreement,
    /// `v̂` against the Fisher diagonal.
    pub adam_vs_fisher: Agreement,
    /// `v̂` against the empirical-Fisher diagonal.
    pub adam_vs_empirical_fisher: Agreement,
    /// The damping `δ` added to each diagonal and in `M` (0 for the quadratics).
    pub damping: f64,
    /// Conditioning and GD steps for `D = I`, `|diag H| + δ`, `diag F + δ`,
    /// `diag F_emp + δ` and Adam's own `√v̂ + ε`.
    pub conditioning: Vec<Preconditioned>,
}

/// Trains Adam from `params` and measures every diagonal at the point it
/// reaches, and the conditioning of the Gauss-Newton matrix there (with the
/// penalty: `M = G + δI`).
fn measure<M: Model, L: Loss>(
    name: String,
    problem: &Supervised<M, L>,
    mut params: Params,
    run: AdamRun,
    damping: f64,
) -> Case {
    let trainer = Trainer {
        epochs: run.epochs,
        batch_size: run.batch_size,
        progress: false,
        ..Trainer::default()
    };
    let mut adam = Adam::new().lr(run.lr);
    trainer
        .fit(problem, &mut params, &mut adam, None, |_| {
            models::Control::Continue
        })
        .expect("the settings are valid");
    let adam_v = adam.second_moment();
    let point = params.tensors().to_vec();
    let n = params.num_values();

    let hessian_op = HessianOperator::new(problem.closure(), point.clone());
    let hessian = exact_diagonal(&hessian_op, LANES).diagonal;
    // The Gauss-Newton product includes the penalty's λ; the Fisher is of the loss alone.
    // The Gauss-Newton operator of data loss and penalty (one sweep per
    // block of directions).
    let gauss_newton = problem
        .objective_curvature(&params, Curvature::GaussNewton)
        .expect("the loss fits its data");
    let fisher: Vec<f64> = exact_diagonal(&gauss_newton, LANES)
        .diagonal
        .iter()
        .map(|d| d - problem.l2())
        .collect();
    let empirical_fisher =
        empirical_fisher_diagonal(problem.model(), problem.loss(), &point, problem.data()).diagonal;

    let matrix = DenseMatrix::from_operator(&gauss_newton);
    let m = DMatrix::from_row_slice(n, n, matrix.data());
    let m = (&m + m.transpose()) * 0.5;
    let b = DVector::from_vec(Tensor::randn(&[n], 7).into_vec());
    let root_v: Vec<f64> = adam_v.iter().map(|v| v.sqrt()).collect();
    let damped = |d: &[f64]| -> Vec<f64> { d.iter().map(|x| x.abs() + damping).collect() };
    let conditioning = [
        ("none", vec![1.0; n]),
        ("|diag H| + δ", damped(&hessian)),
        ("diag F + δ", damped(&fisher)),
        ("diag F_emp + δ", damped(&empirical_fisher)),
        ("Adam √v̂ + ε", root_v.iter().map(|r| r + 1e-8).collect()),
    ]
    .into_iter()
    .map(|(name, d)| preconditioned_gd(name, &m, &d, &b))
    .collect();

    Case {
        name,
        point: params.flatten(),
        adam_vs_hessian: agreement(
            &root_v,
            &hessian.iter().map(|h| h.abs()).collect::<Vec<_>>(),
        ),
        adam_vs_fisher: agreement(&adam_v, &fisher),
        adam_vs_empirical_fisher: agreement(&adam_v, &empirical_fisher),
        hessian,
        fisher,
        empirical_fisher,
        adam: adam_v,
        damping,
        conditioning,
    }
}

/// `κ(D^{-1/2} M D^{-1/2})` and gradient descent preconditioned by `D` on
/// `½ xᵀMx − bᵀx` from 0.
pub fn preconditioned_gd(
    name: &'static str,
    m: &DMatrix<f64>,
    d: &[f64],
    b: &DVector<f64>,
) -> Preconditioned {
    let n = d.len();
    let scale = DVector::from_iterator(n, d.iter().map(|x| 1.0 / x.sqrt()));
    let scaled = DMatrix::from_fn(n, n, |i, j| scale[i] * m[(i, j)] * scale[j]);
    let eigenvalues = scaled.symmetric_eigenvalues();
    let (lo, hi) = (eigenvalues.min(), eigenvalues.max());
    let step = 2.0 / (hi + lo);
    let inverse_d = DVector::from_iterator(n, d.iter().map(|x| 1.0 / x));
    let mut x = DVector::zeros(n);
    let mut residual = b.clone();
    let target = GD_TOL * b.norm();
    let mut steps = 0;
    while residual.norm() > target && steps < GD_CAP {
        x += step * residual.component_mul(&inverse_d);
        residual = b - m * &x;
        steps += 1;
    }
    Preconditioned {
        name,
        condition: hi / lo,
        gd_steps: steps,
        gd_converged: residual.norm() <= target,
    }
}

/// The `κ` of the quadratics.
pub const KAPPAS: [f64; 2] = [100.0, 1e4];

/// The measured answer on every problem.
#[derive(Clone, Debug)]
pub struct AdamDiagonalFigures {
    /// The four quadratics, then the wine MLP.
    pub cases: Vec<Case>,
}

/// Runs every problem (about a second in release mode).
pub fn run() -> AdamDiagonalFigures {
    let mut cases = Vec::new();
    for kappa in KAPPAS {
        for rotated in [false, true] {
            let problem = quadratic_problem(kappa, rotated, 1);
            let start = Params::new(vec![("w".to_string(), Tensor::zeros(&[DIM, 1]))])
                .expect("one tensor named w");
            let name = format!(
                "quadratic κ = {kappa:.0e}, {}",
                if rotated { "rotated" } else { "axis-aligned" }
            );
            cases.push(measure(name, &problem, start, QUADRATIC_ADAM, 0.0));
        }
    }
    let wine = wine_problem();
    let start = wine.model().init(0);
    cases.push(measure(
        format!("wine MLP 11-{MLP_HIDDEN}-6 (M = G + δI)"),
        &wine,
        start,
        MLP_ADAM,
        MLP_L2,
    ));
    AdamDiagonalFigures { cases }
}

fn agreement_json(a: &Agreement) -> serde_json::Value {
    json!({
        "log_correlation": a.log_correlation,
        "log_slope": a.log_slope,
        "scale_ratio": a.scale_ratio,
    })
}

impl Figures for AdamDiagonalFigures {
    fn table(&self) -> String {
        let mut s = String::new();
        s += "Adam's v̂ after training against the curvature diagonals (log axes):\n";
        s += "corr = correlation of logs, slope = log-log slope, ratio = geometric mean of the ratio\n\n";
        s += &format!(
            "{:<36} {:>26} {:>26} {:>26}\n",
            "problem", "√v̂ vs |diag H|", "v̂ vs diag F", "v̂ vs diag F_emp"
        );
        let cell = |a: &Agreement| {
            format!(
                "{:>5.2} {:>5.2} {:>9.1e}",
                a.log_correlation, a.log_slope, a.scale_ratio
            )
        };
        for c in &self.cases {
            s += &format!(
                "{:<36} {:>26} {:>26} {:>26}\n",
                c.name,
                cell(&c.adam_vs_hessian),
                cell(&c.adam_vs_fisher),
                cell(&c.adam_vs_empirical_fisher)
            );
        }
        s += &format!(
            "\nκ(D^-½ M D^-½) and steps of GD preconditioned by D (optimal fixed step, to ‖Mx − b‖ ≤ {GD_TOL:.0e}‖b‖):\n\n"
        );
        s += &format!("{:<36}", "problem");
        for p in &self.cases[0].conditioning {
            s += &format!(" {:>20}", p.name);
        }
        s += "\n";
        for c in &self.cases {
            s += &format!("{:<36}", c.name);
            for p in &c.conditioning {
                s += &format!(
                    " {:>20}",
                    format!(
                        "{:.1e} / {}",
                        p.condition,
                        iterations(p.gd_converged, p.gd_steps)
                    )
                );
            }
            s += "\n";
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        let cases: Vec<_> = self
            .cases
            .iter()
            .map(|c| {
                json!({
                    "name": c.name,
                    "adam_sqrt_v_vs_abs_diag_hessian": agreement_json(&c.adam_vs_hessian),
                    "adam_v_vs_diag_fisher": agreement_json(&c.adam_vs_fisher),
                    "adam_v_vs_diag_empirical_fisher": agreement_json(&c.adam_vs_empirical_fisher),
                    "damping": c.damping,
                    "conditioning": c.conditioning.iter().map(|p| json!({
                        "diagonal": p.name,
                        "condition": p.condition,
                        "gd_steps": p.gd_steps,
                        "gd_converged": p.gd_converged,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({ "gd_tol": GD_TOL, "gd_cap": GD_CAP, "cases": cases })
    }
}

/// Colours of the five problems in the scatter.
const COLOURS: [plotters::style::RGBColor; 5] = [
    plotters::style::RGBColor(31, 119, 180),
    plotters::style::RGBColor(255, 127, 14),
    plotters::style::RGBColor(44, 160, 44),
    plotters::style::RGBColor(214, 39, 40),
    plotters::style::RGBColor(148, 103, 189),
];

/// The scatter of Adam's `√v̂` against `|diag H|` on log axes, one colour
/// per problem, with the line `√v̂ = |diag H|` for reference.
pub fn render_svg(figures: &AdamDiagonalFigures) -> Result<String, Box<dyn std::error::Error>> {
    use plotters::prelude::*;
    let points: Vec<Vec<(f64, f64)>> = figures
        .cases
        .iter()
        .map(|c| {
            c.hessian
                .iter()
                .zip(&c.adam)
                .map(|(h, v)| (h.abs(), v.sqrt()))
                .filter(|(h, r)| *h > 0.0 && *r > 0.0)
                .collect()
        })
        .collect();
    let all = points.iter().flatten();
    let (lo, hi) = all.fold((f64::INFINITY, 0.0_f64), |(lo, hi), (h, r)| {
        (lo.min(h.min(*r)), hi.max(h.max(*r)))
    });
    let (lo, hi) = (lo / 2.0, hi * 2.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 720)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Adam's √v̂ against |diag H| after training",
                ("sans-serif", 20),
            )
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((lo..hi).log_scale(), (lo..hi).log_scale())?;
        chart
            .configure_mesh()
            .x_desc("|diag H|")
            .y_desc("Adam √v̂")
            .draw()?;
        chart
            .draw_series(LineSeries::new([(lo, lo), (hi, hi)], BLACK.mix(0.4)))?
            .label("√v̂ = |diag H|")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.4)));
        for ((case, pts), colour) in figures
            .cases
            .iter()
            .zip(&points)
            .zip(COLOURS.iter().cycle())
        {
            let colour = *colour;
            chart
                .draw_series(
                    pts.iter()
                        .map(move |&p| Circle::new(p, 3, colour.mix(0.7).filled())),
                )?
                .label(format!(
                    "{}: corr {:.2}, slope {:.2}",
                    case.name, case.adam_vs_hessian.log_correlation, case.adam_vs_hessian.log_slope
                ))
                .legend(move |(x, y)| Circle::new((x + 10, y), 4, colour.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 13))
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}
