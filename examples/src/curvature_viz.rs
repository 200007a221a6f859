//! The curvature visualizer. Left: a 2-D function's local quadratic models
//! `m(p) = f + ∇fᵀp + ½ pᵀHp` at chosen points — the curve `pᵀHp = c²`
//! (an ellipse with axes along the Hessian's eigenvectors and half-lengths
//! `c/√λ` where `H ≻ 0`; hyperbola branches where `H` is indefinite, a
//! saddle), the steepest-descent direction and the Newton step as arrows.
//! Right: the Hessian eigenvalue density of a small MLP by stochastic
//! Lanczos quadrature, at initialisation and after training, with the top
//! eigenvalues marked.

use std::error::Error;
use std::f64::consts::PI;

use autodiff::Tensor;
use models::data::DataError;
use models::{Adam, Optimizer};
use optim::curvature::{
    extreme_eigenpairs, spectral_density, DensityParams, HessianOperator, LanczosParams,
    SpectralDensity, SpectrumEnd,
};
use optim::objective::Objective;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde_json::json;

use crate::arena::ArenaFunction;
use crate::cli::Figures;
use crate::mlp_task;

/// What the Hessian says about a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Both eigenvalues positive: a bowl (locally convex).
    Bowl,
    /// Eigenvalues of both signs: a saddle.
    Saddle,
    /// Both negative: a cap (locally concave).
    Cap,
    /// An eigenvalue is zero (to round-off): degenerate.
    Flat,
}

/// The local quadratic model at one point.
#[derive(Clone, Debug)]
pub struct LocalModel {
    /// The point.
    pub point: [f64; 2],
    /// `f` there.
    pub value: f64,
    /// `∇f`.
    pub grad: [f64; 2],
    /// The Hessian, row-major.
    pub hessian: [f64; 4],
    /// Its eigenvalues, ascending.
    pub eigenvalues: [f64; 2],
    /// The matching unit eigenvectors.
    pub eigenvectors: [[f64; 2]; 2],
    /// The Newton step `−H⁻¹∇f` (none when `H` is singular).
    pub newton_step: Option<[f64; 2]>,
    /// Bowl, saddle, cap or flat.
    pub shape: Shape,
}

/// Eigenvalues (ascending) and unit eigenvectors of the symmetric 2×2
/// matrix `[[a, b], [b, d]]`, in closed form.
pub fn symmetric_eigen(a: f64, b: f64, d: f64) -> ([f64; 2], [[f64; 2]; 2]) {
    let mean = 0.5 * (a + d);
    let radius = (0.25 * (a - d).powi(2) + b * b).sqrt();
    let (lo, hi) = (mean - radius, mean + radius);
    // The eigenvector of `hi` is at angle θ with tan 2θ = 2b / (a − d).
    let theta = 0.5 * (2.0 * b).atan2(a - d);
    let v_hi = [theta.cos(), theta.sin()];
    let v_lo = [-theta.sin(), theta.cos()];
    ([lo, hi], [v_lo, v_hi])
}

/// The local model of `function` at `point`, every derivative from the engine.
pub fn local_model(function: &ArenaFunction, point: [f64; 2]) -> LocalModel {
    let f = function.objective();
    let (value, g) = f.value_grad(&point);
    let h = f.hessian(&point);
    let (a, b, d) = (h.get(0, 0), 0.5 * (h.get(0, 1) + h.get(1, 0)), h.get(1, 1));
    let (eigenvalues, eigenvectors) = symmetric_eigen(a, b, d);
    let scale = eigenvalues[0]
        .abs()
        .max(eigenvalues[1].abs())
        .max(f64::MIN_POSITIVE);
    let det = a * d - b * b;
    let shape = if eigenvalues.iter().any(|l| l.abs() <= 1e-12 * scale) {
        Shape::Flat
    } else if eigenvalues[0] > 0.0 {
        Shape::Bowl
    } else if eigenvalues[1] < 0.0 {
        Shape::Cap
    } else {
        Shape::Saddle
    };
    // −H⁻¹g by Cramer's rule.
    let newton_step = (shape != Shape::Flat)
        .then(|| [-(d * g[0] - b * g[1]) / det, -(a * g[1] - b * g[0]) / det]);
    LocalModel {
        point,
        value,
        grad: [g[0], g[1]],
        hessian: [a, b, b, d],
        eigenvalues,
        eigenvectors,
        newton_step,
        shape,
    }
}

impl LocalModel {
    /// `max |λ| / min |λ|` (infinite when `H` is singular).
    pub fn condition_number(&self) -> f64 {
        let [a, b] = self.eigenvalues.map(f64::abs);
        a.max(b) / a.min(b)
    }
}

/// One level `c` for every model, so their curves compare: the widest
/// half-axis `c/√|λ|` is 8% of `width`.
pub fn model_level(models: &[LocalModel], width: f64) -> f64 {
    let widest = models
        .iter()
        .flat_map(|m| m.eigenvalues)
        .filter(|l| l.abs() > 0.0)
        .map(|l| 1.0 / l.abs().sqrt())
        .fold(0.0, f64::max);
    if widest > 0.0 {
        0.08 * width / widest
    } else {
        1.0
    }
}

/// The curve `pᵀHp = c²` around the model's point: one closed ellipse for a
/// bowl or a cap, four hyperbola branches (`pᵀHp = ±c²`) for a saddle.
/// Half-axes are `c/√|λ|`, capped at `max_axis`.
pub fn model_curves(m: &LocalModel, c: f64, max_axis: f64) -> Vec<Vec<(f64, f64)>> {
    let axes = m.eigenvalues.map(|l| (c / l.abs().sqrt()).min(max_axis));
    let [e0, e1] = m.eigenvectors;
    let at = |s0: f64, s1: f64| {
        (
            m.point[0] + s0 * axes[0] * e0[0] + s1 * axes[1] * e1[0],
            m.point[1] + s0 * axes[0] * e0[1] + s1 * axes[1] * e1[1],
        )
    };
    match m.shape {
        Shape::Saddle => {
            let t: Vec<f64> = (0..=40).map(|k| -1.3 + 2.6 * k as f64 / 40.0).collect();
            [(1.0, 0), (-1.0, 0), (1.0, 1), (-1.0, 1)]
                .iter()
                .map(|&(sign, along)| {
                    t.iter()
                        .map(|&t| {
                            let (ch, sh) = (sign * t.cosh(), t.sinh());
                            // Branches of pᵀHp = ±c² open along e0 or e1.
                            if along == 0 {
                                at(ch, sh)
                            } else {
                                at(sh, ch)
                            }
                        })
                        .collect()
                })
                .collect()
        }
        _ => vec![(0..=72)
            .map(|k| {
                let t = 2.0 * PI * k as f64 / 72.0;
                at(t.cos(), t.sin())
            })
            .collect()],
    }
}

/// The Hessian spectrum of the MLP at one set of parameters.
#[derive(Clone, Debug)]
pub struct Spectrum {
    /// The training loss.
    pub loss: f64,
    /// The training accuracy.
    pub accuracy: f64,
    /// The largest eigenvalues (Lanczos), descending.
    pub top: Vec<f64>,
    /// The smallest eigenvalue (Lanczos).
    pub bottom: f64,
    /// The SLQ density.
    pub density: SpectralDensity,
}

/// The SLQ kernel bandwidth (both spectra).
pub const BANDWIDTH: f64 = 0.01;

/// Adam steps of the training run (full batch, lr 0.05).
pub const TRAIN_STEPS: usize = 300;

/// The 5-8-1 MLP's Hessian spectrum at initialisation and after
/// `train_steps` full-batch Adam steps.
pub fn mlp_spectra(train_steps: usize) -> Result<(Spectrum, Spectrum), DataError> {
    let problem = mlp_task::problem()?;
    let mut params = mlp_task::mlp().init(0);
    let spectrum = |p: &[Tensor]| {
        let h = HessianOperator::new(problem.closure(), p.to_vec());
        let lanczos = LanczosParams {
            target: SpectrumEnd::Both,
            ..LanczosParams::default()
        };
        let ends = extreme_eigenpairs(&h, 3, &lanczos);
        let density = spectral_density(
            &h,
            &DensityParams {
                probes: 4,
                grid_points: 400,
                // One kernel width for both spectra, so the two curves compare.
                bandwidth: Some(BANDWIDTH),
                ..DensityParams::default()
            },
        );
        let (loss, accuracy) = problem.evaluate(p, problem.data());
        Spectrum {
            loss,
            accuracy: accuracy.unwrap_or(f64::NAN),
            top: ends.largest.iter().map(|r| r.value).collect(),
            bottom: ends.smallest.first().map_or(f64::NAN, |r| r.value),
            density,
        }
    };
    let before = spectrum(params.tensors());
    let mut adam = Adam::new().lr(0.05);
    for _ in 0..train_steps {
        let (_, grads) = problem.value_and_grad(params.tensors());
        adam.update(params.tensors_mut(), &grads);
    }
    Ok((before, spectrum(params.tensors())))
}

/// Everything `curvature_viz` reports and draws.
pub struct CurvatureFigures<'a> {
    /// The 2-D function.
    pub function: &'a ArenaFunction,
    /// Its local models.
    pub models: Vec<LocalModel>,
    /// The MLP spectrum at initialisation.
    pub init: Spectrum,
    /// After training.
    pub trained: Spectrum,
    /// Training steps.
    pub train_steps: usize,
    /// Where the picture went.
    pub out: String,
}

fn arrow(from: (f64, f64), to: (f64, f64), head: f64) -> Vec<(f64, f64)> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = dx.hypot(dy);
    if len == 0.0 {
        return vec![from];
    }
    let (ux, uy) = (dx / len, dy / len);
    let back = (to.0 - head * ux, to.1 - head * uy);
    let side = (-uy * head * 0.5, ux * head * 0.5);
    vec![
        from,
        to,
        (back.0 + side.0, back.1 + side.1),
        to,
        (back.0 - side.0, back.1 - side.1),
    ]
}

/// The colour of the spectrum at initialisation.
pub const INIT_COLOUR: RGBColor = RGBColor(0, 90, 160);
/// The colour of the spectrum after training.
pub const TRAINED_COLOUR: RGBColor = RGBColor(230, 85, 13);

/// The colour of each shape.
pub fn shape_colour(shape: Shape) -> RGBColor {
    match shape {
        Shape::Bowl => RGBColor(31, 119, 180),
        Shape::Saddle => RGBColor(214, 39, 40),
        Shape::Cap => RGBColor(148, 103, 189),
        Shape::Flat => RGBColor(127, 127, 127),
    }
}

fn draw_models(
    area: &DrawingArea<SVGBackend, Shift>,
    function: &ArenaFunction,
    models: &[LocalModel],
) -> Result<(), Box<dyn Error>> {
    let (xr, yr) = (function.x_range, function.y_range);
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("{}: local quadratic models", function.name),
            ("sans-serif", 20),
        )
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)?;
    chart.configure_mesh().disable_mesh().draw()?;
    let grey = RGBColor(200, 200, 200);
    for (_, lines) in crate::arena::contours(function) {
        for line in lines {
            chart.draw_series(LineSeries::new(line, grey.stroke_width(1)))?;
        }
    }
    let width = (xr.1 - xr.0).min(yr.1 - yr.0);
    let c = model_level(models, width);
    let head = 0.02 * width;
    let green = RGBColor(44, 160, 44);
    let orange = RGBColor(255, 127, 14);
    let mut labelled = [false; 4];
    for m in models {
        let colour = shape_colour(m.shape);
        for curve in model_curves(m, c, 0.25 * width) {
            let first = !labelled[m.shape as usize];
            let series = chart.draw_series(LineSeries::new(curve, colour.stroke_width(2)))?;
            if first {
                labelled[m.shape as usize] = true;
                let name = match m.shape {
                    Shape::Bowl => "bowl: pᵀHp = c², half-axes c/√λ",
                    Shape::Saddle => "saddle: pᵀHp = ±c² (indefinite H)",
                    Shape::Cap => "cap: both eigenvalues negative",
                    Shape::Flat => "flat: singular H",
                };
                series.label(name).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                });
            }
        }
        let p = (m.point[0], m.point[1]);
        let g_norm = m.grad[0].hypot(m.grad[1]);
        if g_norm > 1e-8 {
            let len = 0.1 * width;
            let to = (
                p.0 - len * m.grad[0] / g_norm,
                p.1 - len * m.grad[1] / g_norm,
            );
            chart.draw_series(std::iter::once(PathElement::new(
                arrow(p, to, head),
                green.stroke_width(2),
            )))?;
        }
        if let Some(s) = m.newton_step {
            // Long Newton steps are drawn cut to a quarter of the window.
            let len = s[0].hypot(s[1]);
            let k = (0.25 * width / len).min(1.0);
            let to = (p.0 + k * s[0], p.1 + k * s[1]);
            chart.draw_series(std::iter::once(PathElement::new(
                arrow(p, to, head),
                orange.stroke_width(2),
            )))?;
        }
        chart.draw_series(std::iter::once(Circle::new(p, 3, BLACK.filled())))?;
    }
    // Legend entries for the arrows.
    chart
        .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
        .label("−∇f direction (fixed length)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], green.stroke_width(2)));
    chart
        .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
        .label("Newton step −H⁻¹∇f (cut at ¼ window)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], orange.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 13))
        .draw()?;
    Ok(())
}

fn draw_spectra(
    area: &DrawingArea<SVGBackend, Shift>,
    spectra: [(&str, &Spectrum, RGBColor); 2],
) -> Result<(), Box<dyn Error>> {
    let floor = 1e-4;
    let (lo, hi) =
        spectra
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, s, _)| {
                (
                    lo.min(s.density.grid.first().copied().unwrap_or(0.0)),
                    hi.max(s.density.grid.last().copied().unwrap_or(1.0)),
                )
            });
    let top = spectra
        .iter()
        .flat_map(|(_, s, _)| s.density.density.iter().copied())
        .fold(floor * 10.0, f64::max)
        * 2.0;
    let mut chart = ChartBuilder::on(area)
        .caption(
            "5-8-1 MLP: Hessian eigenvalue density (SLQ)",
            ("sans-serif", 20),
        )
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .build_cartesian_2d(lo..hi, (floor..top).log_scale())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("eigenvalue")
        .y_desc("density")
        .draw()?;
    for (name, s, colour) in spectra {
        let points = s
            .density
            .grid
            .iter()
            .zip(&s.density.density)
            .map(|(&x, &d)| (x, d.max(floor)));
        let tops: Vec<String> = s.top.iter().map(|l| format!("{l:.3}")).collect();
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))?
            .label(format!(
                "{name}: loss {:.3}, top λ {}",
                s.loss,
                tops.join(", ")
            ))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
        // The top eigenvalues as ticks along the top of the panel.
        for &l in &s.top {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(l, top / 3.0), (l, top)],
                colour.stroke_width(2),
            )))?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 13))
        .draw()?;
    Ok(())
}

/// Draws both panels side by side.
pub fn render_svg(figures: &CurvatureFigures) -> Result<String, Box<dyn Error>> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1400, 660)).into_drawing_area();
        root.fill(&WHITE)?;
        let (left, right) = root.split_horizontally(680);
        draw_models(&left, figures.function, &figures.models)?;
        draw_spectra(
            &right,
            [
                ("initialisation", &figures.init, INIT_COLOUR),
                ("trained", &figures.trained, TRAINED_COLOUR),
            ],
        )?;
        root.present()?;
    }
    Ok(svg)
}

/// A local model's figures as JSON (the playground's API sends the same).
pub fn local_model_json(m: &LocalModel) -> serde_json::Value {
    json!({
        "point": m.point,
        "value": m.value,
        "gradient": m.grad,
        "hessian": m.hessian,
        "eigenvalues": m.eigenvalues,
        "eigenvectors": m.eigenvectors,
        "condition_number": m.condition_number(),
        "newton_step": m.newton_step,
        "shape": format!("{:?}", m.shape).to_lowercase(),
    })
}

/// A spectrum's figures as JSON (the playground's API sends the same).
pub fn spectrum_json(s: &Spectrum) -> serde_json::Value {
    json!({
        "loss": s.loss,
        "accuracy": s.accuracy,
        "top_eigenvalues": s.top,
        "smallest_eigenvalue": s.bottom,
        "slq_nodes": s.density.nodes,
        "slq_weights": s.density.weights,
        "density_grid": s.density.grid,
        "density": s.density.density,
    })
}

impl Figures for CurvatureFigures<'_> {
    fn table(&self) -> String {
        let mut s = format!("local quadratic models of {}:\n", self.function.name);
        s += &format!(
            "{:>18} {:>12} {:>22} {:>24} {:>8}\n",
            "point", "f", "eigenvalues of H", "Newton step", "shape"
        );
        for m in &self.models {
            let step = m.newton_step.map_or("—".to_string(), |p| {
                format!("({:+.4}, {:+.4})", p[0], p[1])
            });
            s += &format!(
                "{:>18} {:>12.4} {:>22} {:>24} {:>8}\n",
                format!("({}, {})", m.point[0], m.point[1]),
                m.value,
                format!("{:.3}, {:.3}", m.eigenvalues[0], m.eigenvalues[1]),
                step,
                format!("{:?}", m.shape).to_lowercase()
            );
        }
        s += &format!(
            "\n5-8-1 tanh MLP (57 parameters), {} points: Hessian spectrum (Lanczos, SLQ with 4 probes)\n",
            mlp_task::POINTS
        );
        s += &format!(
            "{:<24} {:>8} {:>9} {:>30} {:>10}\n",
            "", "loss", "accuracy", "top eigenvalues", "smallest"
        );
        for (name, sp) in [
            ("initialisation".to_string(), &self.init),
            (
                format!("after {} Adam steps", self.train_steps),
                &self.trained,
            ),
        ] {
            let tops: Vec<String> = sp.top.iter().map(|l| format!("{l:.4}")).collect();
            s += &format!(
                "{name:<24} {:>8.4} {:>9.2} {:>30} {:>10.4}\n",
                sp.loss,
                sp.accuracy,
                tops.join(", "),
                sp.bottom
            );
        }
        s += &format!("\npicture: {}\n", self.out);
        s
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "function": self.function.name,
            "models": self.models.iter().map(local_model_json).collect::<Vec<_>>(),
            "mlp": {
                "train_steps": self.train_steps,
                "initialisation": spectrum_json(&self.init),
                "trained": spectrum_json(&self.trained),
            },
            "svg": self.out,
        })
    }
}
