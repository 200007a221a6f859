//! The small network of the classic K-FAC demonstration, shared by the
//! curvature visualizer and the K-FAC tour: a 5-8-1 tanh MLP with binary
//! cross-entropy on 100 points `x ~ N(0, I₅)` (seed 0) labelled by `x₀ + x₁ > 0`.

use autodiff::Tensor;
use models::data::DataError;
use models::second_order::{KfacParams, StepRule};
use models::{Activation, BceWithLogits, Dataset, Mlp, Supervised, Targets};

/// Points in the data set.
pub const POINTS: usize = 100;

/// The 100 labelled points.
pub fn data() -> Result<Dataset, DataError> {
    let x = Tensor::randn(&[POINTS, 5], 0);
    let labels = x
        .data()
        .chunks(5)
        .map(|r| usize::from(r[0] + r[1] > 0.0))
        .collect();
    Dataset::new(x, Targets::Classes { labels, classes: 2 })
}

/// The 5-8-1 tanh network (the output is a logit).
pub fn mlp() -> Mlp {
    Mlp::new(5)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Identity)
}

/// The full-batch training problem.
pub fn problem() -> Result<Supervised<Mlp, BceWithLogits>, DataError> {
    Ok(Supervised::new(mlp(), BceWithLogits, data()?))
}

/// The classic demonstration's K-FAC settings: step 0.1 and damping 0.01,
/// held fixed (no damping adaptation, no momentum); kfac-jax's defaults
/// otherwise.
pub fn classic_kfac_params() -> KfacParams {
    KfacParams {
        rule: StepRule::Fixed {
            lr: 0.1,
            momentum: 0.0,
        },
        damping: 0.01,
        adapt_damping: false,
        ..KfacParams::default()
    }
}
