//! The arena and the curvature visualizer: their pictures are valid XML
//! with the expected series, and the figures behind them match independent
//! truths (known minimisers, closed-form eigenvalues and Newton steps, a
//! dense eigendecomposition of the MLP's Hessian).

use std::path::PathBuf;

use autodiff::Tensor;
use examples::arena::{self, ArenaFunction};
use examples::contour::{contour_lines, Grid};
use examples::curvature_viz::{self, local_model, symmetric_eigen, CurvatureFigures, Shape};
use examples::svg::{clip_path, write_atomic};
use examples::{mlp_task, svg};
use nalgebra::DMatrix;

/// The stroke colour plotters writes for an `RGBColor`.
fn stroke(c: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Polylines in `svg` whose stroke is `colour`.
fn polylines_with_stroke(svg: &str, colour: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .filter(|n| {
            n.attribute("stroke")
                .is_some_and(|s| s.eq_ignore_ascii_case(colour))
        })
        .count()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("examples-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

#[test]
fn arena_draws_one_path_and_one_legend_line_per_optimizer() {
    let function = ArenaFunction::builtin("rosenbrock").expect("built in");
    let names = ["gd", "newton", "trust-region", "bfgs", "lbfgs"];
    let runs = arena::run(&function, [-1.2, 1.0], &names, 1e-3, 200).expect("known names");
    for t in &runs[1..] {
        assert!(t.run.converged, "{}", t.name);
        assert!(
            t.run.x().iter().all(|v| (v - 1.0).abs() < 1e-6),
            "{} reaches (1, 1)",
            t.name
        );
    }
    let svg = arena::render_svg(&function, [-1.2, 1.0], &runs).expect("renders");
    for name in names {
        // Trajectories stay inside the window here: one path plus the legend sample.
        let count = polylines_with_stroke(&svg, &stroke(arena::colour(name)));
        assert_eq!(count, 2, "{name}");
    }
    for name in arena::OPTIMIZERS.iter().filter(|n| !names.contains(n)) {
        assert_eq!(polylines_with_stroke(&svg, &stroke(arena::colour(name))), 0);
    }
    let dir = temp_dir("arena");
    let path = dir.join("rosenbrock.svg");
    write_atomic(&path, &svg).expect("writes");
    assert_eq!(std::fs::read_to_string(&path).expect("reads back"), svg);
    assert!(!dir.join("rosenbrock.svg.tmp").exists());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn arena_takes_a_user_closure_and_rejects_unknown_optimizers() {
    // ½(x² + 4y²): every Newton-type method lands on 0 in one step.
    let f = ArenaFunction::custom("bowl", (-2.0, 2.0), (-2.0, 2.0), [1.5, 1.0], |x| {
        (x.square() * x.tape().constant(Tensor::vector(vec![0.5, 2.0]))).sum()
    });
    let runs = arena::run(&f, [1.5, 1.0], &["newton-plain", "gd"], 0.2, 500).expect("known");
    assert_eq!(runs[0].run.iterations, 1);
    assert!(runs[0].run.x().iter().all(|v| v.abs() < 1e-14));
    assert!(runs[1].run.converged);
    let err = arena::run(&f, [1.5, 1.0], &["newton", "adamw"], 0.2, 10)
        .expect_err("an unknown name is an error");
    assert!(err.0.contains("--optimizers") && err.0.contains("adamw"));
    for name in arena::FUNCTIONS {
        assert!(ArenaFunction::builtin(name).is_some(), "{name}");
    }
    assert!(ArenaFunction::builtin("nope").is_none());
}

#[test]
fn contours_of_a_circle_lie_on_the_circle_and_clipping_keeps_inside() {
    let grid = Grid::sample((-2.0, 2.0), (-2.0, 2.0), 81, 81, |x, y| x * x + y * y);
    let lines = contour_lines(&grid, 1.0);
    assert_eq!(lines.len(), 1, "one closed curve");
    let line = &lines[0];
    assert_eq!(line.first(), line.last(), "closed");
    // Linear interpolation of r² along a cell edge of width 0.05 errs by O(h²).
    assert!(line.iter().all(|(x, y)| (x.hypot(*y) - 1.0).abs() < 2e-3));
    let levels = grid.levels(10);
    assert!(levels.windows(2).all(|w| w[0] < w[1]) && levels.len() == 10);
    // A path leaving and re-entering the box is cut into two pieces on its edges.
    let pieces = clip_path(
        &[(0.0, 0.0), (2.0, 0.0), (0.5, 0.5)],
        (-1.0, 1.0),
        (-1.0, 1.0),
    );
    assert_eq!(
        pieces,
        vec![
            vec![(0.0, 0.0), (1.0, 0.0)],
            vec![(1.0, 1.0 / 3.0), (0.5, 0.5)]
        ]
    );
    assert_eq!(
        svg::clip_segment((2.0, 2.0), (3.0, 3.0), (-1.0, 1.0), (-1.0, 1.0)),
        None
    );
}

#[test]
fn local_models_match_closed_forms() {
    // The arena's quadratic is ½xᵀAx with A = [[10.5, 9.5], [9.5, 10.5]]:
    // eigenvalues 1 and 20, Newton step −x.
    let quad = ArenaFunction::builtin("quadratic").expect("built in");
    let m = local_model(&quad, [1.0, -2.0]);
    assert!((m.eigenvalues[0] - 1.0).abs() < 1e-12 && (m.eigenvalues[1] - 20.0).abs() < 1e-12);
    let step = m.newton_step.expect("nonsingular");
    assert!((step[0] + 1.0).abs() < 1e-12 && (step[1] - 2.0).abs() < 1e-12);
    assert_eq!(m.shape, Shape::Bowl);
    // ½x² + ¼y⁴ − ½y² at (0.3, 0.1): H = diag(1, 3y² − 1) — a saddle.
    let saddle = ArenaFunction::builtin("saddle").expect("built in");
    let s = local_model(&saddle, [0.3, 0.1]);
    assert_eq!(s.shape, Shape::Saddle);
    assert!((s.eigenvalues[0] - (3.0 * 0.01 - 1.0)).abs() < 1e-12);
    assert!((s.eigenvalues[1] - 1.0).abs() < 1e-12);
    // The eigenvectors satisfy H v = λ v.
    let (a, b, d) = (2.0, -1.5, -0.5);
    let (values, vectors) = symmetric_eigen(a, b, d);
    for (l, v) in values.iter().zip(vectors) {
        assert!((a * v[0] + b * v[1] - l * v[0]).abs() < 1e-12);
        assert!((b * v[0] + d * v[1] - l * v[1]).abs() < 1e-12);
    }
    // The ellipse of a bowl satisfies pᵀHp = c² with half-axes c/√λ.
    let curves = curvature_viz::model_curves(&m, 1.0, 100.0);
    assert_eq!(curves.len(), 1);
    for (x, y) in &curves[0] {
        let p = [x - 1.0, y + 2.0];
        let q = 10.5 * p[0] * p[0] + 19.0 * p[0] * p[1] + 10.5 * p[1] * p[1];
        assert!((q - 1.0).abs() < 1e-9);
    }
    assert_eq!(curvature_viz::model_curves(&s, 1.0, 100.0).len(), 4);
}

#[test]
fn mlp_spectrum_matches_a_dense_eigendecomposition_and_draws_both_curves() {
    let (init, trained) = curvature_viz::mlp_spectra(30).expect("data");
    // The dense Hessian at initialisation, from the engine, and its eigenvalues.
    let problem = mlp_task::problem().expect("data");
    let params = mlp_task::mlp().init(0);
    let h = autodiff::hessian(problem.closure(), params.tensors());
    let n = params.num_values();
    let eig = DMatrix::from_row_slice(n, n, h.data()).symmetric_eigen();
    let mut values: Vec<f64> = eig.eigenvalues.iter().copied().collect();
    values.sort_by(|a, b| b.total_cmp(a));
    for (k, l) in init.top.iter().enumerate() {
        assert!(
            (l - values[k]).abs() < 1e-8 * values[0].abs(),
            "λ{k}: {l} vs {}",
            values[k]
        );
    }
    assert!((init.bottom - values[n - 1]).abs() < 1e-8 * values[0].abs());
    for s in [&init, &trained] {
        let total: f64 = s.density.weights.iter().sum();
        assert!((total - 1.0).abs() < 1e-10);
    }
    assert!(trained.loss < init.loss);

    let function = ArenaFunction::builtin("himmelblau").expect("built in");
    let figures = CurvatureFigures {
        models: vec![
            local_model(&function, [2.5, 1.5]),
            local_model(&function, [0.2, -1.7]),
        ],
        function: &function,
        init,
        trained,
        train_steps: 30,
        out: String::new(),
    };
    let svg = curvature_viz::render_svg(&figures).expect("renders");
    assert_eq!(figures.models[1].shape, Shape::Saddle);
    // Bowl: one ellipse + legend; saddle: four branches + legend.
    assert_eq!(
        polylines_with_stroke(&svg, &stroke(curvature_viz::shape_colour(Shape::Bowl))),
        2
    );
    assert_eq!(
        polylines_with_stroke(&svg, &stroke(curvature_viz::shape_colour(Shape::Saddle))),
        5
    );
    // Each spectrum: its density curve, its legend sample and one tick per top eigenvalue.
    for (colour, s) in [
        (curvature_viz::INIT_COLOUR, &figures.init),
        (curvature_viz::TRAINED_COLOUR, &figures.trained),
    ] {
        assert_eq!(
            polylines_with_stroke(&svg, &stroke(colour)),
            2 + s.top.len()
        );
    }
}
