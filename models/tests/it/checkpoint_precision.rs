//! Checkpoints of other precisions: F32, BF16 and F16 files (as PyTorch
//! writes them) widen exactly, checked against values decoded by hand from
//! their bit patterns; `save_f32` rounds to nearest, states its rounding,
//! and refuses values beyond f32's range without writing anything.

use std::path::PathBuf;

use autodiff::Tensor;
use models::checkpoint::{self, CheckpointError};
use models::{Activation, Mlp, Params};
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("models-prec-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A safetensors file of `(name, dtype, shape, bytes)` with no metadata,
/// as a tool other than ours writes it.
fn foreign_file(path: &PathBuf, tensors: &[(&str, Dtype, Vec<usize>, Vec<u8>)]) {
    let views = tensors.iter().map(|(name, dtype, shape, bytes)| {
        let view = TensorView::new(*dtype, shape.clone(), bytes).unwrap();
        (name.to_string(), view)
    });
    std::fs::write(path, safetensors::serialize(views, None).unwrap()).unwrap();
}

fn halves(bits: &[u16]) -> Vec<u8> {
    bits.iter().flat_map(|b| b.to_le_bytes()).collect()
}

#[test]
fn f32_bf16_and_f16_tensors_widen_to_the_values_their_bits_encode() {
    let dir = scratch("widen");
    let path = dir.join("torch.safetensors");
    let third = 1.0f32 / 3.0;
    let subnormal = f32::from_bits(1); // 2⁻¹⁴⁹
    foreign_file(
        &path,
        &[
            (
                "a",
                Dtype::F32,
                vec![2],
                [third.to_le_bytes(), subnormal.to_le_bytes()].concat(),
            ),
            // bf16: sign, 8 exponent bits (bias 127), 7 mantissa bits.
            // 0x3FC0 = +2⁰·1.5; 0xC2F7 = −2⁶·(1 + 0x77/128) = −123.5.
            ("b", Dtype::BF16, vec![1, 2], halves(&[0x3FC0, 0xC2F7])),
            // f16: sign, 5 exponent bits (bias 15), 10 mantissa bits.
            // 0x3E00 = 1.5; 0x0001 = 2⁻²⁴ (the least subnormal);
            // 0x7BFF = 2¹⁵·(2 − 2⁻¹⁰) = 65504 (the largest); 0xFC00 = −∞.
            (
                "c",
                Dtype::F16,
                vec![4],
                halves(&[0x3E00, 0x0001, 0x7BFF, 0xFC00]),
            ),
        ],
    );
    let loaded = checkpoint::load_widened(&path).unwrap();
    assert_eq!(loaded.names(), ["a", "b", "c"]);
    let data = |name: &str| loaded.get(name).unwrap().data().to_vec();
    // 1/3 in f32 is 11184811·2⁻²⁵ exactly (the mantissa rounded up).
    assert_eq!(data("a"), [11_184_811.0 * 2f64.powi(-25), 2f64.powi(-149)]);
    assert_eq!(data("b"), [1.5, -123.5]);
    assert_eq!(loaded.get("b").unwrap().shape(), [1, 2]);
    assert_eq!(data("c"), [1.5, 2f64.powi(-24), 65504.0, f64::NEG_INFINITY]);

    let like = Params::new(vec![
        ("c".to_string(), Tensor::zeros(&[4])),
        ("a".to_string(), Tensor::zeros(&[2])),
        ("b".to_string(), Tensor::zeros(&[1, 2])),
    ])
    .unwrap();
    let into = checkpoint::load_into_widened(&path, &like).unwrap();
    assert_eq!(into.names(), ["c", "a", "b"]);
    assert_eq!(into.get("c").unwrap().data(), data("c").as_slice());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_f64_loads_name_the_stored_type_and_the_widening_load() {
    let dir = scratch("strict");
    let path = dir.join("half.safetensors");
    foreign_file(&path, &[("w", Dtype::F16, vec![1], halves(&[0x3C00]))]);
    for err in [
        checkpoint::load(&path).unwrap_err(),
        checkpoint::load_into(&path, &checkpoint::load_widened(&path).unwrap()).unwrap_err(),
    ] {
        assert_eq!(
            err.to_string(),
            "tensor \"w\" is stored as F16, expected F64 \
             (checkpoint::load_widened reads F32, BF16 and F16)"
        );
    }
    let ints = dir.join("ints.safetensors");
    foreign_file(
        &ints,
        &[("n", Dtype::I32, vec![1], 7i32.to_le_bytes().to_vec())],
    );
    let err = checkpoint::load_widened(&ints).unwrap_err();
    assert!(
        matches!(&err, CheckpointError::Dtype { name, dtype, .. } if name == "n" && dtype == "I32"),
        "{err:?}"
    );
    assert!(err.to_string().ends_with("expected F64, F32, BF16 or F16"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn save_f32_rounds_to_nearest_and_states_the_largest_relative_change() {
    let dir = scratch("round");
    let path = dir.join("model.safetensors");
    let mlp = Mlp::new(5)
        .dense(7, Activation::Tanh)
        .dense(3, Activation::Identity);
    let mut params = mlp.init(4);
    let mut flat = params.flatten();
    flat[..6].copy_from_slice(&[1.0 / 3.0, -0.0, 1e30, -7.0, f64::NAN, f64::INFINITY]);
    params.set_flat(&flat).unwrap();

    let stated = checkpoint::save_f32(&path, &params).unwrap();
    // The rounding error, measured here from the values and their nearest
    // f32 found by searching the neighbours of the cast.
    let nearest = |v: f64| {
        let c = v as f32;
        [
            f32::from_bits(c.to_bits() - 1),
            c,
            f32::from_bits(c.to_bits() + 1),
        ]
        .into_iter()
        .min_by(|a, b| {
            let (da, db) = ((f64::from(*a) - v).abs(), (f64::from(*b) - v).abs());
            da.total_cmp(&db)
        })
        .unwrap()
    };
    let mut largest = 0.0f64;
    for &v in flat.iter().filter(|v| v.is_finite() && **v != 0.0) {
        let r = f64::from(nearest(v));
        largest = largest.max((v - r).abs() / v.abs());
    }
    assert_eq!(stated, largest);
    assert!(stated > 0.0 && stated <= 2f64.powi(-24), "{stated:e}");

    let loaded = checkpoint::load_into_widened(&path, &params).unwrap();
    let back = loaded.flatten();
    for (v, r) in flat.iter().zip(&back) {
        if v.is_nan() {
            assert!(r.is_nan());
        } else {
            assert_eq!(r.to_bits(), f64::from(*v as f32).to_bits(), "{v:e}");
        }
    }

    // A standard F32 file, about half the size of the f64 one.
    let bytes = std::fs::read(&path).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    for (name, _) in params.iter() {
        assert_eq!(file.tensor(name).unwrap().dtype(), Dtype::F32);
    }
    let wide = dir.join("wide.safetensors");
    checkpoint::save(&wide, &params).unwrap();
    let ratio = bytes.len() as f64 / std::fs::metadata(&wide).unwrap().len() as f64;
    assert!(ratio < 0.75, "F32 file is {ratio:.2} of the f64 one");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn values_below_f32s_normal_range_are_stated_as_a_larger_rounding() {
    let dir = scratch("subnormal");
    let path = dir.join("tiny.safetensors");
    let params = Params::new(vec![(
        "w".to_string(),
        Tensor::from_vec(&[2], vec![1.0, 1e-40]).unwrap(),
    )])
    .unwrap();
    let stated = checkpoint::save_f32(&path, &params).unwrap();
    // 1e-40 is about 71 362 steps of 2⁻¹⁴⁹ in f32's subnormal range: half a
    // step is a relative change of up to about 7e-6, far above 2⁻²⁴.
    let r = f64::from(1e-40f64 as f32);
    assert_eq!(stated, (1e-40 - r).abs() / 1e-40);
    assert!(stated > 2f64.powi(-24) && stated < 1e-5, "{stated:e}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn save_f32_refuses_a_value_beyond_its_range_and_writes_nothing() {
    let dir = scratch("range");
    let path = dir.join("big.safetensors");
    let params = Params::new(vec![
        ("ok".to_string(), Tensor::from_vec(&[1], vec![1.0]).unwrap()),
        (
            "big".to_string(),
            Tensor::from_vec(&[3], vec![0.0, -1e39, 1.0]).unwrap(),
        ),
    ])
    .unwrap();
    let err = checkpoint::save_f32(&path, &params).unwrap_err();
    assert!(
        matches!(&err, CheckpointError::OutOfRange { name, index: 1, value }
            if name == "big" && *value == -1e39),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "tensor \"big\" holds -1e39 at position 1, beyond f32's range (±3.4028235e38)"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_damaged_f32_checkpoint_fails_its_checksum() {
    let dir = scratch("damaged");
    let path = dir.join("model.safetensors");
    let params = Mlp::new(3).dense(2, Activation::Tanh).init(0);
    checkpoint::save_f32(&path, &params).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x10;
    std::fs::write(&path, &bytes).unwrap();
    let err = checkpoint::load_widened(&path).unwrap_err();
    assert!(err.to_string().contains("checksum mismatch"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}
