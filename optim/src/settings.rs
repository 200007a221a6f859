//! Settings that cannot work — a NaN tolerance, a line-search constant
//! outside `(0, 1)`, a trust radius of zero — refused before a run takes a
//! step, with the setting and its value named.

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
pub(crate) fn non_negative(setting: &'static str, value: f64) -> Result<(), SettingsError> {
    holds(
        setting,
        "a finite number ≥ 0",
        value,
        value.is_finite() && value >= 0.0,
    )
}

/// `value` must be finite and `> 0`.
pub(crate) fn positive(setting: &'static str, value: f64) -> Result<(), SettingsError> {
    holds(
        setting,
        "a finite number > 0",
        value,
        value.is_finite() && value > 0.0,
    )
}

/// `value` must lie in the open interval `(low, high)`.
pub(crate) fn between(
    setting: &'static str,
    low: f64,
    high: f64,
    value: f64,
) -> Result<(), SettingsError> {
    let rule = format!("in ({low}, {high})");
    holds(setting, &rule, value, value > low && value < high)
}

/// `Err` naming `setting`, `rule` and `value` unless `ok`.
pub(crate) fn holds(
    setting: &'static str,
    rule: &str,
    value: f64,
    ok: bool,
) -> Result<(), SettingsError> {
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

/// A count must be at least one.
pub(crate) fn at_least_one(setting: &'static str, value: usize) -> Result<(), SettingsError> {
    holds(setting, "at least 1", value as f64, value >= 1)
}
