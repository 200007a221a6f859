//! Settings that cannot work — a NaN tolerance, a line-search constant
//! outside `(0, 1)`, a trust radius of zero, a negative learning rate —
//! refused before a run takes a step, with the setting and its value named.
//! The one error type and the checks behind every `validate` here and in
//! the crates above (the training methods of `models` use them too).

use thiserror::Error;

/// A setting that cannot work: which one, the rule it breaks, and its value.
///
/// ```
/// use optim::solvers::Options;
/// let err = Options { gtol: f64::NAN, ..Options::default() }.validate().unwrap_err();
/// assert_eq!(err.to_string(), "Options::gtol must be a finite number ≥ 0, got NaN");
/// ```
#[derive(Clone, Debug, Error, PartialEq)]
#[error("{setting} must be {rule}, got {value}")]
pub struct SettingsError {
    /// The setting, as `Type::field`.
    pub setting: &'static str,
    /// What it must be.
    pub rule: String,
    /// What it was.
    pub value: f64,
}

/// `value` must be finite and `≥ 0`.
pub fn non_negative(setting: &'static str, value: f64) -> Result<(), SettingsError> {
    holds(
        setting,
        "a finite number ≥ 0",
        value,
        value.is_finite() && value >= 0.0,
    )
}

/// `value` must be finite and `> 0`.
pub fn positive(setting: &'static str, value: f64) -> Result<(), SettingsError> {
    holds(
        setting,
        "a finite number > 0",
        value,
        value.is_finite() && value > 0.0,
    )
}

/// `value` must lie in the open interval `(low, high)`.
pub fn between(
    setting: &'static str,
    low: f64,
    high: f64,
    value: f64,
) -> Result<(), SettingsError> {
    let rule = format!("in ({low}, {high})");
    holds(setting, &rule, value, value > low && value < high)
}

/// `Err` naming `setting`, `rule` and `value` unless `ok`.
pub fn holds(setting: &'static str, rule: &str, value: f64, ok: bool) -> Result<(), SettingsError> {
    if ok {
        Ok(())
    } else {
        Err(SettingsError {
            setting,
            rule: rule.to_string(),
            value,
        })
    }
}

/// `value` must lie in `[0, 1)` (a decay or a momentum).
pub fn fraction(setting: &'static str, value: f64) -> Result<(), SettingsError> {
    holds(setting, "in [0, 1)", value, (0.0..1.0).contains(&value))
}

/// A count must be at least one.
pub fn at_least_one(setting: &'static str, value: usize) -> Result<(), SettingsError> {
    holds(setting, "at least 1", value as f64, value >= 1)
}
