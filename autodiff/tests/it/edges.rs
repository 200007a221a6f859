//! Semantics at the edges — zeros, NaN, infinities, ties, empty axes,
//! overflowing shapes — against JAX 0.10.2 in float64 (`jax_enable_x64`).
//! Each expected value was computed with JAX and is written here as a
//! literal; the JAX expression is in the comment above it.

use autodiff::{
    func, grad, hessian, hvp, jvp, value, value_and_grad, KeepDims, Tensor, TensorError, Var,
};

const INF: f64 = f64::INFINITY;
const NAN: f64 = f64::NAN;

/// Equal as IEEE values, with NaN equal to NaN and values within 1e-15 relative.
fn same(got: &[f64], want: &[f64]) -> bool {
    got.len() == want.len()
        && got.iter().zip(want).all(|(&g, &w)| {
            (g.is_nan() && w.is_nan()) || g == w || (g - w).abs() <= 1e-15 * w.abs()
        })
}

#[track_caller]
fn assert_same(got: &Tensor, want: &[f64]) {
    assert!(
        same(got.data(), want),
        "got {:?}, JAX gives {want:?}",
        got.data()
    );
}

fn v(data: &[f64]) -> Tensor {
    Tensor::vector(data.to_vec())
}

#[test]
fn constant_powers_have_exact_derivatives_at_zero() {
    // jnp.sum(x ** p) at x = [0, 2] with integer p (JAX's integer_pow),
    // direction [1, 1]: (p, grad, jvp, hvp, hessian).
    type Case = (f64, [f64; 2], f64, [f64; 2], [f64; 4]);
    let cases: [Case; 4] = [
        (0.0, [0.0, 0.0], 0.0, [0.0, 0.0], [0.0; 4]),
        (1.0, [1.0, 1.0], 2.0, [0.0, 0.0], [0.0; 4]),
        (2.0, [0.0, 4.0], 4.0, [2.0, 2.0], [2.0, 0.0, 0.0, 2.0]),
        (3.0, [0.0, 12.0], 12.0, [0.0, 12.0], [0.0, 0.0, 0.0, 12.0]),
    ];
    let x = [v(&[0.0, 2.0])];
    let d = [v(&[1.0, 1.0])];
    for (p, g, j, hv, h) in cases {
        let f = func(move |x| x[0].powf(p).sum());
        assert_same(&grad(f, &x)[0], &g);
        assert_same(&jvp(f, &x, &d).1, &[j]);
        assert_same(&hvp(f, &x, &d).hvp[0], &hv);
        assert_same(&hessian(f, &x), &h);
    }
}

#[test]
fn nan_propagates() {
    // jax.nn.relu([nan, 1.]) = [nan, 1.]; its sum is nan;
    // jax.grad(sum ∘ relu)([nan, 1., 0.]) = [0., 1., 0.]
    let f = func(|x| x[0].relu());
    assert_same(&value(f, &[v(&[NAN, 1.0])]), &[NAN, 1.0]);
    assert!(value(|x| x[0].relu().sum(), &[v(&[NAN, 1.0])])
        .item()
        .is_nan());
    assert_same(
        &grad(|x| x[0].relu().sum(), &[v(&[NAN, 1.0, 0.0])])[0],
        &[0.0, 1.0, 0.0],
    );
    // jnp.max and jax.grad(jnp.max) with a NaN in any position: nan, [nan, nan, nan]
    for at in 0..3 {
        let mut data = vec![1.0, 2.0, 0.5];
        data[at] = NAN;
        let (m, g) = value_and_grad(|x| x[0].max_axis(0, KeepDims::No), &[v(&data)]);
        assert!(m.is_nan(), "NaN at {at}");
        assert_same(&g[0], &[NAN; 3]);
    }
    // jnp.maximum([nan, 1.], [0., nan]) = [nan, nan]
    let m = value(|x| x[0].maximum(x[1]), &[v(&[NAN, 1.0]), v(&[0.0, NAN])]);
    assert_same(&m, &[NAN, NAN]);
    // The derivative of abs at NaN is NaN here (a choice: JAX 0.10.2 gives -1,
    // PyTorch NaN), and 0 at 0 (PyTorch's sign(0); JAX gives 1).
    assert_same(
        &grad(|x| x[0].abs().sum(), &[v(&[NAN, 0.0, 2.0, -2.0])])[0],
        &[NAN, 0.0, 1.0, -1.0],
    );
}

#[test]
fn infinities_follow_jax() {
    // jax.nn.logsumexp([inf, 1.]) = inf, its grad = [nan, 0.]
    let (lse, g) = value_and_grad(|x| x[0].logsumexp(0, KeepDims::No), &[v(&[INF, 1.0])]);
    assert_eq!(lse, INF);
    assert_same(&g[0], &[NAN, 0.0]);
    // jax.nn.logsumexp([-inf, -inf]) = -inf; grad at [-inf, 1.] = [0., 1.]
    assert_eq!(
        value(|x| x[0].logsumexp(0, KeepDims::No), &[v(&[-INF, -INF])]).item(),
        -INF
    );
    assert_same(
        &grad(|x| x[0].logsumexp(0, KeepDims::No), &[v(&[-INF, 1.0])])[0],
        &[0.0, 1.0],
    );
    // jax.nn.softplus at [inf, -inf, nan, 0., 40., -40.], its grad and (at
    // [inf, -inf, 0., 40.]) its second derivative
    let xs = [INF, -INF, NAN, 0.0, 40.0, -40.0];
    let sp = func(|x| x[0].softplus());
    assert_same(
        &value(sp, &[v(&xs)]),
        &[
            INF,
            0.0,
            NAN,
            std::f64::consts::LN_2, // 0.6931471805599453
            40.0,
            4.248354255291589e-18,
        ],
    );
    assert_same(
        &grad(|x| x[0].softplus().sum(), &[v(&xs)])[0],
        &[1.0, 0.0, NAN, 0.5, 1.0, 4.248354255291589e-18],
    );
    let at = [v(&[INF, -INF, 0.0, 40.0])];
    let ones = [v(&[1.0; 4])];
    assert_same(
        &hvp(|x| x[0].softplus().sum(), &at, &ones).hvp[0],
        &[0.0, 0.0, 0.25, 0.0],
    );
    // jax.nn.sigmoid at [-40., 40., 0., inf, -inf, nan] and its grad
    let xs = [-40.0, 40.0, 0.0, INF, -INF, NAN];
    assert_same(
        &value(|x| x[0].sigmoid(), &[v(&xs)]),
        &[4.24835425529159e-18, 1.0, 0.5, 1.0, 0.0, NAN],
    );
    assert_same(
        &grad(|x| x[0].sigmoid().sum(), &[v(&xs[..5])])[0],
        &[4.24835425529159e-18, 0.0, 0.25, 0.0, 0.0],
    );
    // -mean(take_along_axis(jax.nn.log_softmax(L, axis=1), labels)) and its
    // grad, L = [[inf, 1, 0], [0, 1, 2]], labels [0, 2]
    let logits = Tensor::from_rows(&[vec![INF, 1.0, 0.0], vec![0.0, 1.0, 2.0]]).unwrap();
    let (ce, g) = value_and_grad(|x| x[0].softmax_cross_entropy(&[0, 2]), &[logits]);
    assert!(ce.is_nan());
    assert_same(
        &g[0],
        &[
            NAN,
            NAN,
            NAN,
            0.04501528658519023,
            0.1223642355273988,
            -0.16737952211258905,
        ],
    );
    // ... with L = [[-inf, 1, 0]], label 1: 0.31326168751822286, grad [0, -0.2689.., 0.2689..]
    let logits = Tensor::from_rows(&[vec![-INF, 1.0, 0.0]]).unwrap();
    let (ce, g) = value_and_grad(|x| x[0].softmax_cross_entropy(&[1]), &[logits]);
    assert_same(&Tensor::scalar(ce), &[0.31326168751822286]);
    assert_same(&g[0], &[0.0, -0.2689414213699951, 0.2689414213699951]);
}

#[test]
fn tied_maxima_share_the_derivative() {
    // jax.grad(sum(max(a, axis=1) * [1, 2]))(a), a = [[3, 1, 3], [2, 2, 2]]
    let a = Tensor::from_rows(&[vec![3.0, 1.0, 3.0], vec![2.0, 2.0, 2.0]]).unwrap();
    let weights = Tensor::vector(vec![1.0, 2.0]);
    let f = func(move |x| {
        let w = x[0].tape().constant(weights.clone());
        (x[0].max_axis(1, KeepDims::No) * w).sum()
    });
    let two_thirds = 2.0 / 3.0;
    assert_same(
        &grad(f, std::slice::from_ref(&a))[0],
        &[0.5, 0.0, 0.5, two_thirds, two_thirds, two_thirds],
    );
    // jax.jvp(max(·, axis=1), a, [[1, 0, 3], [1, 2, 6]]) = [2, 3]
    let t = Tensor::from_rows(&[vec![1.0, 0.0, 3.0], vec![1.0, 2.0, 6.0]]).unwrap();
    assert_same(
        &jvp(|x| x[0].max_axis(1, KeepDims::No), &[a], &[t]).1,
        &[2.0, 3.0],
    );
    // jax.hessian(jnp.max)([3, 1, 3]) = 0
    assert_same(
        &hessian(|x| x[0].max_axis(0, KeepDims::No), &[v(&[3.0, 1.0, 3.0])]),
        &[0.0; 9],
    );
    // jax.grad(sum(maximum(x, y)), argnums=(0, 1)) at x = [1, 2, nan], y = [1, 1, 0]
    let g = grad(
        |x| x[0].maximum(x[1]).sum(),
        &[v(&[1.0, 2.0, NAN]), v(&[1.0, 1.0, 0.0])],
    );
    assert_same(&g[0], &[0.5, 1.0, 0.0]);
    assert_same(&g[1], &[0.5, 0.0, 0.0]);
    // jax.grad(sum(jnp.clip(x, -0.5, 0.7)))([-0.5, 0, 0.7, 2, -2]) = [0.5, 1, 0.5, 0, 0]
    assert_same(
        &grad(
            |x| x[0].clamp(-0.5, 0.7).sum(),
            &[v(&[-0.5, 0.0, 0.7, 2.0, -2.0])],
        )[0],
        &[0.5, 1.0, 0.5, 0.0, 0.0],
    );
}

#[test]
fn reductions_over_nothing() {
    let empty = [Tensor::zeros(&[2, 0])];
    // jax.lax.reduce_max over an empty axis = [-inf, -inf] (jnp.max raises instead)
    assert_same(
        &value(|x| x[0].max_axis(1, KeepDims::No), &empty),
        &[-INF, -INF],
    );
    // jax.nn.logsumexp(zeros((2, 0)), axis=1) = [-inf, -inf]; its grad has shape (2, 0)
    assert_same(
        &value(|x| x[0].logsumexp(1, KeepDims::No), &empty),
        &[-INF, -INF],
    );
    let g = grad(|x| x[0].logsumexp(1, KeepDims::No).sum(), &empty);
    assert_eq!(g[0].shape(), &[2, 0]);
    // jnp.sum(zeros((0,))) = +0.0
    let s = value(|x| x[0].sum(), &[Tensor::zeros(&[0])]).item();
    assert!(s == 0.0 && s.is_sign_positive());
}

#[test]
fn a_shape_too_large_to_count_is_an_error() {
    let shape = [1 << 32, 1 << 32];
    assert_eq!(
        Tensor::from_vec(&shape, vec![]),
        Err(TensorError::ShapeOverflow {
            shape: shape.to_vec()
        })
    );
    assert!(std::panic::catch_unwind(|| Tensor::zeros(&shape)).is_err());
    let reshaped = std::panic::catch_unwind(|| {
        value(
            |x: &[Var]| x[0].reshape(&[1 << 32, 1 << 32]),
            &[Tensor::zeros(&[0])],
        )
    });
    assert!(reshaped.is_err());
}

#[test]
fn new_special_functions_match_jax() {
    // jnp.log1p([-1, 1e-10, inf]), jnp.expm1([1e-10, -inf, inf])
    assert_same(
        &value(|x| x[0].log1p(), &[v(&[-1.0, 1e-10, INF])]),
        &[-INF, 9.999999999500001e-11, INF],
    );
    assert_same(
        &value(|x| x[0].expm1(), &[v(&[1e-10, -INF, INF])]),
        &[1.00000000005e-10, -1.0, INF],
    );
    // jax.scipy.special.erf([0.5, -2, 1e-3, 6]), its grad and second derivative at [0.5, -2]
    assert_same(
        &value(|x| x[0].erf(), &[v(&[0.5, -2.0, 1e-3, 6.0])]),
        &[
            0.5204998778130465,
            -0.9953222650189527,
            0.0011283787909692365,
            1.0,
        ],
    );
    let at = [v(&[0.5, -2.0])];
    let r = hvp(|x| x[0].erf().sum(), &at, &[v(&[1.0, 1.0])]);
    assert_same(&r.grad[0], &[0.8787825789354448, 0.020666985354092057]);
    assert_same(&r.hvp[0], &[-0.8787825789354448, 0.08266794141636823]);
}
