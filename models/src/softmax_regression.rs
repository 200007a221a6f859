//! Multinomial logistic regression with an L2 penalty: the convex reference model.

use crate::activation::Activation;
use crate::data::Dataset;
use crate::loss::SoftmaxCrossEntropy;
use crate::mlp::Mlp;
use crate::params::Params;
use crate::supervised::{ShapeError, Supervised};

/// Softmax regression `p(y | x) = softmax(x W + b)` on `data` with the
/// penalty `(l2/2)(‖W‖² + ‖b‖²)`, and zero starting parameters.
///
/// The model is an [`Mlp`] with one identity layer. The penalty covers the
/// bias too: with `l2 > 0` that removes the softmax's invariance to adding
/// the same vector to every class's weights, so the objective is strictly
/// convex and has one minimiser.
///
/// ```
/// use models::{data, softmax_regression, Standardizer};
/// let iris = data::iris();
/// let iris = Standardizer::fit(&iris).apply(&iris);
/// let (problem, params) = softmax_regression(iris, 1e-2)?;
/// let (loss, _) = problem.value_and_grad(params.tensors());
/// assert!((loss - 3f64.ln()).abs() < 1e-12); // uniform prediction at zero
/// # Ok::<(), models::ShapeError>(())
/// ```
///
/// # Errors
/// [`ShapeError::Targets`] when `data` does not have class targets.
pub fn softmax_regression(
    data: Dataset,
    l2: f64,
) -> Result<(Supervised<Mlp, SoftmaxCrossEntropy>, Params), ShapeError> {
    let classes = data.classes().ok_or_else(|| {
        ShapeError::Targets(
            "softmax_regression: needs class labels, got real-valued targets".into(),
        )
    })?;
    let mlp = Mlp::new(data.num_features()).dense(classes, Activation::Identity);
    let mut params = mlp.init(0);
    let zeros = vec![0.0; params.num_values()];
    params.set_flat(&zeros).expect("same length");
    Ok((
        Supervised::new(mlp, SoftmaxCrossEntropy, data)?.with_l2(l2),
        params,
    ))
}
