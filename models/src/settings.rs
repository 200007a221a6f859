//! Checks of a training method's settings, run before its first step, so
//! that a setting that cannot work is an error naming it rather than a
//! silent climb or a misleading failure later.

use thiserror::Error;

/// A setting outside the range where the method can work.
///
/// ```
/// use models::{Adam, TrainingMethod};
/// let err = Adam::new().lr(-1.0).validate().unwrap_err();
/// assert_eq!(err.to_string(), "Adam: learning rate must be a positive finite number, got -1");
/// ```
#[derive(Clone, Debug, Error, PartialEq)]
#[error("{method}: {setting} must be {requirement}, got {value}")]
pub struct SettingsError {
    /// The method (or `Trainer`) whose setting it is.
    pub method: &'static str,
    /// The setting.
    pub setting: &'static str,
    /// What it must be.
    pub requirement: &'static str,
    /// What it is (counts converted to `f64`).
    pub value: f64,
}

/// One method's settings, checked one after another.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Check {
    method: &'static str,
}

impl Check {
    /// Checks of `method`'s settings.
    pub(crate) fn of(method: &'static str) -> Check {
        Check { method }
    }

    fn require(
        self,
        ok: bool,
        setting: &'static str,
        requirement: &'static str,
        value: f64,
    ) -> Result<Check, SettingsError> {
        if ok {
            Ok(self)
        } else {
            Err(SettingsError {
                method: self.method,
                setting,
                requirement,
                value,
            })
        }
    }

    /// `value` is finite and above 0.
    pub(crate) fn positive(
        self,
        setting: &'static str,
        value: f64,
    ) -> Result<Check, SettingsError> {
        let ok = value.is_finite() && value > 0.0;
        self.require(ok, setting, "a positive finite number", value)
    }

    /// `value` is finite and at least 0.
    pub(crate) fn non_negative(
        self,
        setting: &'static str,
        value: f64,
    ) -> Result<Check, SettingsError> {
        let ok = value.is_finite() && value >= 0.0;
        self.require(ok, setting, "a finite number of at least 0", value)
    }

    /// `value` is in `[0, 1)` (a decay or a momentum).
    pub(crate) fn fraction(
        self,
        setting: &'static str,
        value: f64,
    ) -> Result<Check, SettingsError> {
        let ok = (0.0..1.0).contains(&value);
        self.require(ok, setting, "in [0, 1)", value)
    }

    /// `value` is in `[0, 1]`.
    pub(crate) fn unit(self, setting: &'static str, value: f64) -> Result<Check, SettingsError> {
        let ok = (0.0..=1.0).contains(&value);
        self.require(ok, setting, "in [0, 1]", value)
    }

    /// `value` is finite and above 1.
    pub(crate) fn above_one(
        self,
        setting: &'static str,
        value: f64,
    ) -> Result<Check, SettingsError> {
        let ok = value.is_finite() && value > 1.0;
        self.require(ok, setting, "a finite number above 1", value)
    }

    /// `count` is at least 1.
    pub(crate) fn count(self, setting: &'static str, count: usize) -> Result<Check, SettingsError> {
        self.require(count > 0, setting, "at least 1", count as f64)
    }
}
