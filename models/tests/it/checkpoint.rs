//! Checkpoints: bit-for-bit round trips, clean errors for truncated,
//! corrupt or mismatched files, and no temporary files left behind (other
//! precisions than f64: `checkpoint_precision.rs`).

use std::path::PathBuf;

use autodiff::Tensor;
use models::checkpoint::{self, CheckpointError};
use models::{Activation, Mlp, Params};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("models-ckpt-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn files_in(dir: &PathBuf) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn round_trip_is_bit_for_bit() {
    let dir = scratch("round-trip");
    let path = dir.join("model.safetensors");
    let mlp = Mlp::new(5)
        .dense(7, Activation::Relu)
        .dense(3, Activation::Identity);
    let mut params = mlp.init(1);
    // Values that a decimal or lossy encoding would not preserve.
    let mut flat = params.flatten();
    flat[..5].copy_from_slice(&[-0.0, f64::MIN_POSITIVE / 3.0, 1.0 / 3.0, f64::MAX, f64::NAN]);
    params.set_flat(&flat).unwrap();
    checkpoint::save(&path, &params).unwrap();
    for loaded in [
        checkpoint::load(&path).unwrap(),
        checkpoint::load_into(&path, &params).unwrap(),
    ] {
        assert_eq!(loaded.names(), params.names());
        let bits = |p: &Params| p.flatten().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&loaded), bits(&params));
        let shapes = |p: &Params| {
            p.tensors()
                .iter()
                .map(|t| t.shape().to_vec())
                .collect::<Vec<_>>()
        };
        assert_eq!(shapes(&loaded), shapes(&params));
    }
    assert_eq!(
        files_in(&dir),
        ["model.safetensors"],
        "no temporary file remains"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_file_is_standard_safetensors() {
    // Header: 8-byte little-endian length, then JSON naming dtype F64, the
    // shape and the byte offsets; then the raw little-endian values.
    let dir = scratch("format");
    let path = dir.join("w.safetensors");
    let params = Params::new(vec![("w".into(), Tensor::vector(vec![1.5, -2.0]))]).unwrap();
    checkpoint::save(&path, &params).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&bytes[8..8 + n]).unwrap();
    assert!(
        header.contains(r#""w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}"#),
        "{header}"
    );
    assert_eq!(
        &bytes[8 + n..],
        [1.5f64.to_le_bytes(), (-2.0f64).to_le_bytes()].concat()
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn overwriting_replaces_the_old_checkpoint() {
    let dir = scratch("overwrite");
    let path = dir.join("m.safetensors");
    let mlp = Mlp::new(2).dense(2, Activation::Tanh);
    checkpoint::save(&path, &mlp.init(1)).unwrap();
    checkpoint::save(&path, &mlp.init(2)).unwrap();
    assert_eq!(checkpoint::load(&path).unwrap(), mlp.init(2));
    assert_eq!(files_in(&dir), ["m.safetensors"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn truncated_and_corrupt_files_are_clean_errors() {
    let dir = scratch("truncated");
    let path = dir.join("m.safetensors");
    checkpoint::save(&path, &Mlp::new(3).dense(4, Activation::Tanh).init(0)).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for cut in [0, 4, 8, 20, bytes.len() / 2, bytes.len() - 1] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let err = checkpoint::load(&path).unwrap_err();
        assert!(
            matches!(err, CheckpointError::Format { .. }),
            "cut at {cut}: {err:?}"
        );
    }
    let mut corrupt = bytes.clone();
    corrupt[10] = b'!';
    std::fs::write(&path, &corrupt).unwrap();
    assert!(matches!(
        checkpoint::load(&path),
        Err(CheckpointError::Format { .. })
    ));
    assert!(matches!(
        checkpoint::load(dir.join("absent")),
        Err(CheckpointError::Io { .. })
    ));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn another_architecture_is_a_typed_error_naming_the_tensor() {
    let dir = scratch("mismatch");
    let path = dir.join("m.safetensors");
    let saved = Mlp::new(3)
        .dense(4, Activation::Tanh)
        .dense(2, Activation::Identity);
    checkpoint::save(&path, &saved.init(0)).unwrap();

    let wider = Mlp::new(3)
        .dense(5, Activation::Tanh)
        .dense(2, Activation::Identity);
    match checkpoint::load_into(&path, &wider.init(0)) {
        Err(CheckpointError::Shape {
            name,
            expected,
            found,
        }) => {
            assert_eq!(
                (name.as_str(), expected, found),
                ("layers.0.weight", vec![3, 5], vec![3, 4])
            );
        }
        other => panic!("{other:?}"),
    }
    let deeper = saved.clone().dense(1, Activation::Identity);
    let err = checkpoint::load_into(&path, &deeper.init(0)).unwrap_err();
    assert!(
        matches!(&err, CheckpointError::Missing { name } if name == "layers.2.weight"),
        "{err:?}"
    );
    let shallower = Mlp::new(3).dense(4, Activation::Tanh);
    let err = checkpoint::load_into(&path, &shallower.init(0)).unwrap_err();
    assert!(
        matches!(&err, CheckpointError::Unexpected { name } if name.starts_with("layers.1.")),
        "{err:?}"
    );
    assert!(err.to_string().contains("layers.1."));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn other_element_types_are_rejected() {
    let dir = scratch("dtype");
    let path = dir.join("f32.safetensors");
    let data = [1.0f32.to_le_bytes(), 2.0f32.to_le_bytes()].concat();
    let view =
        safetensors::tensor::TensorView::new(safetensors::Dtype::F32, vec![2], &data).unwrap();
    std::fs::write(&path, safetensors::serialize([("w", view)], None).unwrap()).unwrap();
    let err = checkpoint::load(&path).unwrap_err();
    assert!(
        matches!(&err, CheckpointError::Dtype { name, .. } if name == "w"),
        "{err:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
