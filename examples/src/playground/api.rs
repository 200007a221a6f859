//! The playground's JSON API: each request is checked field by field (a bad
//! one is an [`ApiError`] with status 400 naming the field), then answered
//! by the arena's and the curvature visualizer's own functions, so the page
//! shows what `arena --json` and `curvature_viz --json` print.
//!
//! | endpoint | request | answer |
//! |---|---|---|
//! | `GET /api/catalog` | — | functions, optimizers with colours, limits |
//! | `POST /api/surface` | function, `grid`, `levels` | window, marks, contour lines |
//! | `POST /api/arena` | function, `start`, `optimizers`, `step`, `max_iter` | one run per optimizer |
//! | `POST /api/local_model` | function, `point` | the local quadratic model and its curves |
//! | `POST /api/spectrum` | `train_steps` | the MLP's Hessian spectra before and after training |
//!
//! A function is `{"function": NAME}` with NAME one of
//! [`arena::FUNCTIONS`] (the quadratic also takes `condition` and `angle`),
//! or `{"function": "formula", "formula": "…", "x_range": [lo, hi],
//! "y_range": [lo, hi]}`.

use std::fmt;

use serde_json::{json, Map, Value};

use super::formula::Formula;
use crate::arena::{self, ArenaFunction, Trajectory};
use crate::curvature_viz::{self, local_model, model_curves, model_level};

/// Most iterations per optimizer.
pub const MAX_ITER: usize = 5000;
/// Largest contour grid per axis.
pub const MAX_GRID: usize = 300;
/// Most contour levels.
pub const MAX_LEVELS: usize = 60;
/// Most Adam steps for the MLP's training.
pub const MAX_TRAIN_STEPS: usize = 2000;
/// Largest step size of the fixed-step methods.
pub const MAX_STEP: f64 = 100.0;
/// Largest extent of a formula's window.
pub const MAX_WINDOW: f64 = 1e6;

/// A request the API refuses: the HTTP status and a message for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// 400 for a bad request, 404 for an unknown endpoint, 503 when busy or
    /// past the time limit, 500 when a computation failed.
    pub status: u16,
    /// What was wrong.
    pub message: String,
}

impl ApiError {
    /// A bad request.
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: 400,
            message: message.into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.status)
    }
}

impl std::error::Error for ApiError {}

/// The fields of a request body.
struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    fn of(body: &'a Value) -> Result<Fields<'a>, ApiError> {
        body.as_object()
            .map(Fields)
            .ok_or_else(|| ApiError::bad("the request body must be a JSON object"))
    }

    /// Field `key`, absent when missing or `null`.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    fn number(&self, key: &str) -> Result<Option<f64>, ApiError> {
        self.get(key)
            .map(|v| {
                v.as_f64()
                    .ok_or_else(|| ApiError::bad(format!("{key}: expected a number, got {v}")))
            })
            .transpose()
    }

    fn count(&self, key: &str, range: (usize, usize), default: usize) -> Result<usize, ApiError> {
        let Some(v) = self.get(key) else {
            return Ok(default);
        };
        let bad = || {
            ApiError::bad(format!(
                "{key}: expected a whole number from {} to {}, got {v}",
                range.0, range.1
            ))
        };
        let n = v.as_u64().ok_or_else(bad)?;
        usize::try_from(n)
            .ok()
            .filter(|n| (range.0..=range.1).contains(n))
            .ok_or_else(bad)
    }

    fn string(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
        self.get(key)
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| ApiError::bad(format!("{key}: expected a string, got {v}")))
            })
            .transpose()
    }

    /// Two finite numbers.
    fn pair(&self, key: &str) -> Result<Option<[f64; 2]>, ApiError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let bad = || {
            ApiError::bad(format!(
                "{key}: expected two finite numbers [a, b], got {v}"
            ))
        };
        match v.as_array().map(Vec::as_slice) {
            Some([a, b]) => match (a.as_f64(), b.as_f64()) {
                (Some(a), Some(b)) if a.is_finite() && b.is_finite() => Ok(Some([a, b])),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }

    /// A window `[lo, hi]` with `lo < hi`, no wider than [`MAX_WINDOW`].
    fn range(&self, key: &str) -> Result<(f64, f64), ApiError> {
        let [lo, hi] = self.pair(key)?.unwrap_or([-3.0, 3.0]);
        if !(lo < hi && hi - lo <= MAX_WINDOW && lo.abs().max(hi.abs()) <= MAX_WINDOW) {
            return Err(ApiError::bad(format!(
                "{key}: expected lo < hi within ±{MAX_WINDOW:e}, got [{lo}, {hi}]"
            )));
        }
        Ok((lo, hi))
    }
}

/// The function a request names (see the module's documentation).
pub fn function(body: &Value) -> Result<ArenaFunction, ApiError> {
    let fields = Fields::of(body)?;
    let name = fields
        .string("function")?
        .ok_or_else(|| ApiError::bad("function: missing"))?;
    if name != "formula" {
        return ArenaFunction::named(name, fields.number("condition")?, fields.number("angle")?)
            .map_err(|e| ApiError::bad(format!("function: {e}")));
    }
    let text = fields
        .string("formula")?
        .ok_or_else(|| ApiError::bad("formula: missing"))?;
    let formula = Formula::parse(text).map_err(|e| ApiError::bad(format!("formula: {e}")))?;
    let (x_range, y_range) = (fields.range("x_range")?, fields.range("y_range")?);
    let centre = [0.5 * (x_range.0 + x_range.1), 0.5 * (y_range.0 + y_range.1)];
    Ok(ArenaFunction::custom(
        &format!("f(x, y) = {text}"),
        x_range,
        y_range,
        centre,
        move |x| formula.eval(x),
    ))
}

/// Everything the page needs before its first request.
pub fn catalog() -> Value {
    let functions: Vec<Value> = arena::FUNCTIONS
        .iter()
        .filter_map(|&name| ArenaFunction::builtin(name).map(|f| (name, f)))
        .map(|(name, f)| json!({ "name": name, "title": f.name, "start": f.start, "step": f.step }))
        .collect();
    let optimizers: Vec<Value> = arena::OPTIMIZERS
        .iter()
        .map(|&name| {
            let c = arena::colour(name);
            json!({ "name": name, "colour": format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2) })
        })
        .collect();
    json!({
        "functions": functions,
        "optimizers": optimizers,
        "default_optimizers": arena::DEFAULT_OPTIMIZERS,
        "formula_functions": super::formula::FUNCTIONS,
        "limits": {
            "max_iter": MAX_ITER,
            "max_grid": MAX_GRID,
            "max_levels": MAX_LEVELS,
            "max_train_steps": MAX_TRAIN_STEPS,
            "max_step": MAX_STEP,
            "max_condition": arena::MAX_CONDITION,
            "formula_length": super::formula::MAX_LEN,
        },
        "tolerance": arena::TOL,
        "train_steps": curvature_viz::TRAIN_STEPS,
    })
}

/// The function's window, its marked points and its contour lines.
pub fn surface(body: &Value) -> Result<Value, ApiError> {
    let f = function(body)?;
    let fields = Fields::of(body)?;
    let grid = fields.count("grid", (10, MAX_GRID), arena::GRID)?;
    let levels = fields.count("levels", (1, MAX_LEVELS), arena::LEVELS)?;
    let contours: Vec<Value> = arena::contours_on(&f, grid, levels)
        .into_iter()
        .map(|(level, lines)| json!({ "level": level, "lines": lines }))
        .collect();
    Ok(json!({
        "title": f.name,
        "x_range": [f.x_range.0, f.x_range.1],
        "y_range": [f.y_range.0, f.y_range.1],
        "start": f.start,
        "step": f.step,
        "minima": f.minima,
        "saddles": f.saddles,
        "contours": contours,
    }))
}

/// The runs: `arena::run` with the request's settings, each run as
/// `arena::trajectory_json` writes it.
pub fn arena(body: &Value) -> Result<Value, ApiError> {
    let f = function(body)?;
    let fields = Fields::of(body)?;
    let start = fields.pair("start")?.unwrap_or(f.start);
    let step = fields.number("step")?.unwrap_or(f.step);
    if !(step > 0.0 && step <= MAX_STEP) {
        return Err(ApiError::bad(format!(
            "step: must be above 0 and at most {MAX_STEP}, got {step}"
        )));
    }
    let max_iter = fields.count("max_iter", (1, MAX_ITER), 500)?;
    let optimizers = fields
        .get("optimizers")
        .ok_or_else(|| ApiError::bad("optimizers: missing"))?;
    let names: Vec<&str> = optimizers
        .as_array()
        .and_then(|list| list.iter().map(Value::as_str).collect())
        .ok_or_else(|| {
            ApiError::bad(format!(
                "optimizers: expected a list of names, got {optimizers}"
            ))
        })?;
    if names.is_empty() {
        return Err(ApiError::bad("optimizers: choose at least one"));
    }
    if let Some(twice) = names
        .iter()
        .enumerate()
        .find_map(|(k, n)| names[..k].contains(n).then_some(n))
    {
        return Err(ApiError::bad(format!(
            "optimizers: '{twice}' is listed twice"
        )));
    }
    let runs: Vec<Trajectory> = arena::run(&f, start, &names, step, max_iter)
        .map_err(|e| ApiError::bad(e.0.trim_start_matches("--").to_string()))?;
    Ok(json!({
        "title": f.name,
        "start": start,
        "step": step,
        "max_iter": max_iter,
        "tolerance": arena::TOL,
        "runs": runs.iter().map(|t| arena::trajectory_json(&f, t)).collect::<Vec<_>>(),
    }))
}

/// The local quadratic model at `point`, as `curvature_viz --json` prints
/// it, with its curves `pᵀHp = c²` at three levels (the smallest scaled as
/// the command-line picture scales them, see [`model_level`]).
pub fn local(body: &Value) -> Result<Value, ApiError> {
    let f = function(body)?;
    let point = Fields::of(body)?
        .pair("point")?
        .ok_or_else(|| ApiError::bad("point: missing"))?;
    let m = local_model(&f, point);
    if !(m.value.is_finite()
        && m.grad.iter().all(|g| g.is_finite())
        && m.hessian.iter().all(|h| h.is_finite()))
    {
        return Err(ApiError::bad(format!(
            "point: f, ∇f or the Hessian is not finite at ({}, {})",
            point[0], point[1]
        )));
    }
    let width = (f.x_range.1 - f.x_range.0).min(f.y_range.1 - f.y_range.0);
    let c = model_level(std::slice::from_ref(&m), width);
    let curves: Vec<Value> = [1.0, 2.0, 3.0]
        .iter()
        .map(|k| json!(model_curves(&m, k * c, 0.5 * width)))
        .collect();
    let mut answer = curvature_viz::local_model_json(&m);
    answer["curves"] = json!(curves);
    answer["title"] = json!(f.name);
    Ok(answer)
}

/// The 5-8-1 MLP's Hessian spectra at initialisation and after
/// `train_steps` Adam steps, from `curvature_viz::mlp_spectra`.
pub fn spectrum(body: &Value) -> Result<Value, ApiError> {
    let steps = Fields::of(body)?.count(
        "train_steps",
        (0, MAX_TRAIN_STEPS),
        curvature_viz::TRAIN_STEPS,
    )?;
    let (init, trained) = curvature_viz::mlp_spectra(steps).map_err(|e| ApiError {
        status: 500,
        message: format!("the MLP's data: {e}"),
    })?;
    Ok(json!({
        "train_steps": steps,
        "initialisation": curvature_viz::spectrum_json(&init),
        "trained": curvature_viz::spectrum_json(&trained),
    }))
}

/// The answer to `POST /api/NAME` with `body`.
pub fn answer(endpoint: &str, body: &Value) -> Result<Value, ApiError> {
    match endpoint {
        "surface" => surface(body),
        "arena" => arena(body),
        "local_model" => local(body),
        "spectrum" => spectrum(body),
        _ => Err(ApiError {
            status: 404,
            message: format!(
                "no endpoint '/api/{endpoint}' (known: catalog, surface, arena, local_model, spectrum)"
            ),
        }),
    }
}
