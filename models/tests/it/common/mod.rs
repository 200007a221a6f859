//! Helpers shared by the second-order tests.

use models::curvature::Curvature;
use models::{Loss, Model, Params, Supervised};
use nalgebra::{DMatrix, DVector};
use optim::linop::LinearOperator;

/// The dense Gauss-Newton matrix (for these losses also the Fisher), column
/// by column from models' own product, and the gradient, both at `params`.
pub fn dense_gauss_newton_and_gradient<M: Model, L: Loss>(
    problem: &Supervised<M, L>,
    params: &Params,
) -> (DMatrix<f64>, DVector<f64>) {
    let n = params.num_values();
    let op = problem
        .curvature(params, problem.data(), Curvature::GaussNewton)
        .expect("the loss fits");
    let mut f = DMatrix::zeros(n, n);
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        let mut col = op.apply(&e);
        col[j] += problem.l2();
        f.set_column(j, &DVector::from_vec(col));
    }
    let g = DVector::from_vec(autodiff::flatten(
        &problem.value_and_grad(params.tensors()).1,
    ));
    (f, g)
}
