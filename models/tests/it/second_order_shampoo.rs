//! Shampoo: inverse roots and grafting.

use autodiff::Tensor;
use models::second_order::{inverse_root, Shampoo};
use models::{Adam, Optimizer, Sgd};
use nalgebra::DMatrix;

fn spd(n: usize, seed: u64) -> DMatrix<f64> {
    let m = Tensor::randn(&[n, n], seed);
    let m = DMatrix::from_row_slice(n, n, m.data());
    &m * m.transpose() + DMatrix::identity(n, n) * 0.1
}

#[test]
fn inverse_roots_undo_their_powers() {
    for (n, seed) in [(1, 0), (2, 1), (7, 2), (31, 3)] {
        let l = spd(n, seed);
        let eye = DMatrix::identity(n, n);
        let r = inverse_root(&l, 4, 0.0).expect("positive definite");
        assert!((r.pow(4) * &l - &eye).abs().max() < 1e-8, "n = {n}");
        let r = inverse_root(&l, 2, 0.0).expect("positive definite");
        assert!((r.pow(2) * &l - &eye).abs().max() < 1e-8, "n = {n}");
        let eps = 0.5;
        let r = inverse_root(&l, 4, eps).expect("positive definite");
        assert!(
            (r.pow(4) * (&l + &eye * eps) - &eye).abs().max() < 1e-8,
            "n = {n}"
        );
    }
    let singular = DMatrix::zeros(3, 3);
    assert!(inverse_root(&singular, 4, 0.0).is_err());
    let nan = DMatrix::from_element(2, 2, f64::NAN);
    assert!(inverse_root(&nan, 4, 1e-4).is_err());
}

#[test]
fn first_step_follows_the_polar_factor_of_the_gradient() {
    // With L = G Gᵀ and R = GᵀG, L^{-1/4} G R^{-1/4} = U Vᵀ for G = U Σ Vᵀ.
    let g = Tensor::randn(&[3, 3], 5);
    let gm = DMatrix::from_row_slice(3, 3, g.data());
    let svd = gm.clone().svd(true, true);
    let polar = svd.u.expect("u") * svd.v_t.expect("vᵀ");
    let mut p = [Tensor::zeros(&[3, 3])];
    let mut shampoo = Shampoo::new(Sgd::new(0.1)).eps(0.0);
    shampoo.update(&mut p, &[g]);
    let step = DMatrix::from_row_slice(3, 3, p[0].data());
    let expected = -&polar * (0.1 * gm.norm() / polar.norm());
    assert!((&step - &expected).abs().max() < 1e-10);
}

#[test]
fn grafting_keeps_the_step_norm_of_the_grafted_optimizer() {
    let shapes: [&[usize]; 3] = [&[5, 3], &[3], &[3, 2]];
    let mut params: Vec<Tensor> = shapes
        .iter()
        .enumerate()
        .map(|(i, s)| Tensor::randn(s, i as u64))
        .collect();
    let mut reference = params.clone();
    let mut adam = Adam::new().lr(0.01);
    let mut shampoo = Shampoo::new(Adam::new().lr(0.01)).update_every(2);
    let mut sgd_shampoo = Shampoo::new(Sgd::new(0.05));
    let mut sgd_params = params.clone();
    for step in 0..6 {
        let grads: Vec<Tensor> = shapes
            .iter()
            .enumerate()
            .map(|(i, s)| Tensor::randn(s, 100 + 10 * step + i as u64))
            .collect();
        let (before, sgd_before) = (params.clone(), sgd_params.clone());
        let reference_before = reference.clone();
        shampoo.update(&mut params, &grads);
        adam.update(&mut reference, &grads);
        sgd_shampoo.update(&mut sgd_params, &grads);
        for i in 0..shapes.len() {
            let norm = |a: &Tensor, b: &Tensor| {
                a.data()
                    .iter()
                    .zip(b.data())
                    .map(|(x, y)| (x - y).powi(2))
                    .sum::<f64>()
                    .sqrt()
            };
            let (ours, theirs) = (
                norm(&params[i], &before[i]),
                norm(&reference[i], &reference_before[i]),
            );
            assert!(
                (ours - theirs).abs() < 1e-12 * theirs,
                "Adam graft, tensor {i}: {ours} vs {theirs}"
            );
            // SGD's step norm is η‖g‖, by hand.
            let sgd = norm(&sgd_params[i], &sgd_before[i]);
            assert!(
                (sgd - 0.05 * grads[i].norm()).abs() < 1e-12,
                "SGD graft, tensor {i}"
            );
            // ...but the direction is Shampoo's, not the gradient's (a
            // vector's first step is along g: g is an eigenvector of g gᵀ).
            if step == 0 && shapes[i].len() == 1 {
                continue;
            }
            let cos = sgd_before[i]
                .data()
                .iter()
                .zip(sgd_params[i].data())
                .zip(grads[i].data())
                .map(|((b, a), g)| (b - a) * g)
                .sum::<f64>()
                / (sgd * grads[i].norm());
            assert!(cos < 1.0 - 1e-6, "tensor {i} stepped along the gradient");
        }
    }
    assert!(shampoo.last_error().is_none());
}
