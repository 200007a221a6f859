//! Criterion settings shared by every bench: ten samples after a short
//! warm-up, so that a full `cargo bench` stays within minutes on two cores.

use std::time::Duration;

use criterion::Criterion;

/// Ten samples, half a second of warm-up, `seconds` of measurement per bench.
pub fn quick(seconds: u64) -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(seconds))
}
