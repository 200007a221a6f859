//! Property tests for data from outside the program: checkpoints and CSV.
//! Round trips preserve every bit; truncated or damaged checkpoints are
//! errors (never a panic, never a different model); malformed CSV is an
//! error naming the line and column.

use autodiff::Tensor;
use models::data::{parse_csv, CsvError, CsvOptions, TargetKind};
use models::{checkpoint, Params};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// Parameters with arbitrary bit patterns (NaN, -0.0, subnormals, ∞ included).
fn params() -> impl Strategy<Value = Params> {
    prop::collection::vec((prop::collection::vec(0usize..4, 0..3), any::<u64>()), 1..4).prop_map(
        |specs| {
            let named = specs
                .into_iter()
                .enumerate()
                .map(|(i, (shape, seed))| {
                    let mut state = seed | 1;
                    let t = Tensor::from_fn(&shape, |_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        f64::from_bits(state)
                    });
                    (format!("layer{i}.w"), t)
                })
                .collect();
            Params::new(named).unwrap()
        },
    )
}

fn bits(p: &Params) -> Vec<(String, Vec<usize>, Vec<u64>)> {
    p.iter()
        .map(|(n, t)| {
            (
                n.to_string(),
                t.shape().to_vec(),
                t.data().iter().map(|v| v.to_bits()).collect(),
            )
        })
        .collect()
}

fn saved_bytes(p: &Params, tag: &str) -> Vec<u8> {
    let path = std::env::temp_dir().join(format!(
        "robustness-{tag}-{}.safetensors",
        std::process::id()
    ));
    checkpoint::save(&path, p).expect("the temp folder is writable");
    let bytes = std::fs::read(&path).expect("just written");
    std::fs::remove_file(&path).ok();
    bytes
}

proptest! {
    // A fixed seed keeps CI deterministic; change it to explore new cases.
    #![proptest_config(ProptestConfig { rng_seed: RngSeed::Fixed(20261129), ..ProptestConfig::with_cases(64) })]

    #[test]
    fn checkpoints_round_trip_every_bit(p in params()) {
        let loaded = checkpoint::from_bytes(&saved_bytes(&p, "trip")).expect("a valid file loads");
        prop_assert_eq!(bits(&loaded), bits(&p));
    }

    #[test]
    fn truncated_checkpoints_are_errors(p in params(), cut in any::<prop::sample::Index>()) {
        let bytes = saved_bytes(&p, "cut");
        let keep = cut.index(bytes.len());
        prop_assert!(checkpoint::from_bytes(&bytes[..keep]).is_err(), "a file cut to {keep} of {} bytes loaded", bytes.len());
    }

    #[test]
    fn damaged_checkpoints_never_load_a_different_model(p in params(), at in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let mut bytes = saved_bytes(&p, "flip");
        let i = at.index(bytes.len());
        bytes[i] ^= flip;
        // Either an error, or (a harmless change such as JSON whitespace) the very same model.
        if let Ok(loaded) = checkpoint::from_bytes(&bytes) {
            prop_assert_eq!(bits(&loaded), bits(&p), "byte {} changed and a different model loaded", i);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = checkpoint::from_bytes(&bytes);
        let _ = parse_csv(&String::from_utf8_lossy(&bytes), CsvOptions::default());
    }

    #[test]
    fn csv_round_trips_every_bit(rows in prop::collection::vec((prop::collection::vec(-1e300f64..1e300, 3), 0i64..4), 1..20)) {
        let mut text = String::from("a,b,c,label\n");
        for (features, label) in &rows {
            // `{:?}` prints the shortest string that parses back to the same f64.
            text += &format!("{:?},{:?},{:?},{label}\n", features[0], features[1], features[2]);
        }
        let data = parse_csv(&text, CsvOptions::default()).expect("well-formed CSV loads");
        let want: Vec<u64> = rows.iter().flat_map(|(f, _)| f.iter().map(|v| v.to_bits())).collect();
        let got: Vec<u64> = data.features().data().iter().map(|v| v.to_bits()).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn a_bad_field_is_reported_at_its_line_and_column(n_rows in 1usize..10, bad_row in any::<prop::sample::Index>(), bad_col in 0usize..3) {
        let bad_row = bad_row.index(n_rows);
        let mut text = String::from("x,y,z,t\n");
        for r in 0..n_rows {
            let fields: Vec<String> = (0..4)
                .map(|c| if r == bad_row && c == bad_col { "oops".to_string() } else { format!("{}", r + c) })
                .collect();
            text += &fields.join(",");
            text += "\n";
        }
        let options = CsvOptions { target: TargetKind::Values, ..CsvOptions::default() };
        match parse_csv(&text, options) {
            Err(CsvError::Parse { line, column, .. }) => {
                prop_assert_eq!(line, bad_row + 2, "the header is line 1");
                prop_assert_eq!(column, bad_col + 1);
            }
            other => prop_assert!(false, "expected a parse error, got {:?}", other.map(|d| d.len())),
        }
    }
}
