//! The CSV and checkpoint loaders on arbitrary bytes: never a panic, and
//! whatever loads survives a round trip unchanged.

use models::checkpoint;
use models::data::{parse_csv, CsvOptions, TargetKind};

/// Parses `data` as CSV under options chosen by its first byte.
pub fn csv(data: &[u8]) {
    let Some((&mode, text)) = data.split_first() else {
        return;
    };
    let options = CsvOptions {
        header: mode & 1 == 1,
        target_column: (mode & 2 == 2).then_some((mode >> 4) as usize),
        target: if mode & 4 == 4 {
            TargetKind::Values
        } else {
            TargetKind::Classes
        },
        delimiter: if mode & 8 == 8 { b';' } else { b',' },
        ..CsvOptions::default()
    };
    if let Ok(set) = parse_csv(&String::from_utf8_lossy(text), options) {
        assert!(
            set.features().data().iter().all(|v| v.is_finite()),
            "a loaded feature is not finite"
        );
    }
}

/// Loads `data` as a checkpoint; whatever loads must save and load back bit for bit.
pub fn checkpoint(data: &[u8]) {
    let Ok(params) = checkpoint::from_bytes(data) else {
        return;
    };
    let path = std::env::temp_dir().join(format!(
        "fuzz-checkpoint-{}.safetensors",
        std::process::id()
    ));
    checkpoint::save(&path, &params).expect("the temp folder is writable");
    let again = checkpoint::load(&path).expect("a file just saved loads");
    let bits = |p: &models::Params| -> Vec<u64> {
        p.tensors()
            .iter()
            .flat_map(|t| t.data().iter().map(|v| v.to_bits()))
            .collect()
    };
    assert_eq!(
        bits(&again),
        bits(&params),
        "a round trip changed the values"
    );
    assert_eq!(
        again.names(),
        params.names(),
        "a round trip changed the names"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_damaged_inputs_are_handled() {
        let params = models::Mlp::new(3)
            .dense(2, models::Activation::Tanh)
            .init(1);
        let path =
            std::env::temp_dir().join(format!("fuzz-seed-{}.safetensors", std::process::id()));
        checkpoint::save(&path, &params).expect("writable");
        let bytes = std::fs::read(&path).expect("written");
        std::fs::remove_file(&path).ok();
        for cut in [0, 1, 7, 8, 9, bytes.len() / 2, bytes.len()] {
            checkpoint(&bytes[..cut]);
        }
        csv(b"\x01a,b\n1,2\n3,x\n");
        csv(b"\x05a,b\n1,2\n3,4\n");
        csv(b"");
    }
}
