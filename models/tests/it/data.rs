//! Data sets, CSV loading, standardisation, splitting, minibatches and
//! synthetic generators.

use autodiff::Tensor;
use models::data::{
    self, parse_csv, CsvError, CsvOptions, DataError, Dataset, Standardizer, TargetKind, Targets,
};

#[test]
fn shipped_data_sets_have_their_published_shapes() {
    let iris = data::iris();
    assert_eq!(
        (iris.len(), iris.num_features(), iris.classes()),
        (150, 4, Some(3))
    );
    // Iris is balanced: 50 of each class.
    assert!((iris.majority_rate().unwrap() - 1.0 / 3.0).abs() < 1e-15);
    let wine = data::wine_quality();
    assert_eq!(
        (wine.len(), wine.num_features(), wine.classes()),
        (1599, 11, Some(6))
    );
    // Published class counts of red-wine quality 3..=8: 10, 53, 681, 638, 199, 18.
    let mut counts = [0; 6];
    wine.targets()
        .labels()
        .unwrap()
        .iter()
        .for_each(|&y| counts[y] += 1);
    assert_eq!(counts, [10, 53, 681, 638, 199, 18]);
    let diabetes = data::diabetes();
    assert_eq!(diabetes.num_features(), 10);
    assert!(matches!(diabetes.targets(), Targets::Values(t) if t.shape() == [diabetes.len(), 1]));
}

#[test]
fn csv_reads_values_and_classes() {
    let text = "x1, x2, y\n1, 2.5, 7\n\n-3e2, \"4\", 9\n";
    let d = parse_csv(text, CsvOptions::default()).unwrap();
    assert_eq!(d.features().data(), &[1.0, 2.5, -300.0, 4.0]);
    assert_eq!(d.targets().labels(), Some(&[0, 1][..]));
    let options = CsvOptions {
        header: false,
        target_column: Some(0),
        target: TargetKind::Values,
        ..CsvOptions::default()
    };
    let d = parse_csv("0.5,1,2\n1.5,3,4\n", options).unwrap();
    assert_eq!(d.features().data(), &[1.0, 2.0, 3.0, 4.0]);
    assert!(matches!(d.targets(), Targets::Values(t) if t.data() == [0.5, 1.5]));
}

#[test]
fn csv_errors_name_line_and_column() {
    let bad_number = parse_csv("a,b,y\n1,2,0\n\n3,oops,1\n", CsvOptions::default());
    match bad_number {
        Err(CsvError::Parse {
            line: 4,
            column: 2,
            field,
            ..
        }) => assert_eq!(field, "oops"),
        other => panic!("{other:?}"),
    }
    let bad_label = parse_csv("a,y\n1,0\n2,1.5\n", CsvOptions::default());
    assert!(matches!(
        bad_label,
        Err(CsvError::Parse {
            line: 3,
            column: 2,
            ..
        })
    ));
    let non_finite = parse_csv("a,y\nNaN,0\n", CsvOptions::default());
    assert!(matches!(
        non_finite,
        Err(CsvError::Parse {
            line: 2,
            column: 1,
            ..
        })
    ));
    let ragged = parse_csv("a,b,y\n1,2,0\n1,0\n", CsvOptions::default());
    assert!(matches!(
        ragged,
        Err(CsvError::Ragged {
            line: 3,
            expected: 3,
            got: 2
        })
    ));
    assert!(matches!(
        parse_csv("a,b\n", CsvOptions::default()),
        Err(CsvError::Empty)
    ));
    let far = CsvOptions {
        target_column: Some(5),
        ..CsvOptions::default()
    };
    assert!(matches!(
        parse_csv("a,b\n1,2\n", far),
        Err(CsvError::TargetColumn {
            column: 6,
            fields: 2
        })
    ));
    let message = parse_csv("a,y\n1,0\nx,1\n", CsvOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("line 3") && message.contains("column 1"),
        "{message}"
    );
}

#[test]
fn csv_file_round_trip_and_missing_file() {
    let path = std::env::temp_dir().join(format!("models-csv-{}.csv", std::process::id()));
    std::fs::write(&path, "f,label\n0.25,1\n0.75,0\n").unwrap();
    let d = data::load_csv(&path, CsvOptions::default()).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(d.features().data(), &[0.25, 0.75]);
    assert!(matches!(
        data::load_csv(&path, CsvOptions::default()),
        Err(CsvError::Io { .. })
    ));
}

#[test]
fn datasets_reject_inconsistent_input() {
    let x = Tensor::zeros(&[3, 2]);
    let labels = |labels: Vec<usize>| Targets::Classes { labels, classes: 2 };
    assert!(matches!(
        Dataset::new(x.clone(), labels(vec![0, 1])),
        Err(DataError::RowCount { .. })
    ));
    assert!(matches!(
        Dataset::new(x.clone(), labels(vec![0, 2, 1])),
        Err(DataError::Label {
            row: 1,
            label: 2,
            classes: 2
        })
    ));
    let nan = Tensor::from_vec(&[2, 2], vec![0.0, 1.0, f64::NAN, 0.0]).unwrap();
    assert!(matches!(
        Dataset::new(nan, labels(vec![0, 1])),
        Err(DataError::NonFinite {
            row: 1,
            column: 0,
            ..
        })
    ));
    assert!(matches!(
        Dataset::new(Tensor::zeros(&[3]), labels(vec![0, 1, 1])),
        Err(DataError::NotMatrix(_))
    ));
}

#[test]
fn standardised_training_features_have_zero_mean_unit_variance() {
    let wine = data::wine_quality();
    let z = Standardizer::fit(&wine).apply(&wine);
    let (n, d) = (z.len(), z.num_features());
    for j in 0..d {
        let col: Vec<f64> = (0..n).map(|i| z.features().data()[i * d + j]).collect();
        let mean = col.iter().sum::<f64>() / n as f64;
        let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            mean.abs() < 1e-12 && (var - 1.0).abs() < 1e-12,
            "feature {j}: {mean} {var}"
        );
    }
    assert_eq!(z.targets(), wine.targets());
}

#[test]
fn split_partitions_the_examples_reproducibly() {
    let iris = data::iris();
    let (train, test) = iris.split(0.2, 5).unwrap();
    assert_eq!((train.len(), test.len()), (120, 30));
    assert_eq!(iris.split(0.2, 5).unwrap(), (train.clone(), test.clone()));
    assert_ne!(iris.split(0.2, 6).unwrap().1, test);
    // Every original row appears exactly once across the two parts.
    let key = |d: &Dataset| -> Vec<Vec<u64>> {
        d.features()
            .data()
            .chunks(4)
            .map(|r| r.iter().map(|v| v.to_bits()).collect())
            .collect()
    };
    let mut all = [key(&train), key(&test)].concat();
    let mut original = key(&iris);
    all.sort();
    original.sort();
    assert_eq!(all, original);
    assert!(iris.split(1.5, 0).is_err());
}

#[test]
fn batches_cover_the_data_in_order() {
    let d = data::iris();
    let batches: Vec<Dataset> = d.batches(64).collect();
    assert_eq!(
        batches.iter().map(Dataset::len).collect::<Vec<_>>(),
        [64, 64, 22]
    );
    let joined: Vec<f64> = batches
        .iter()
        .flat_map(|b| b.features().data().to_vec())
        .collect();
    assert_eq!(joined, d.features().data());
}

#[test]
fn ill_conditioned_regression_has_the_requested_condition_number() {
    for kappa in [1.0, 1e3, 1e8] {
        let (data, w) = data::ill_conditioned_regression(40, 5, kappa, 0.0, 3).unwrap();
        let x = nalgebra::DMatrix::from_row_slice(40, 5, data.features().data());
        let h = x.transpose() * &x / 40.0;
        let eig = h.symmetric_eigen().eigenvalues;
        let (lo, hi) = (eig.min(), eig.max());
        assert!((hi - 1.0).abs() < 1e-10, "largest eigenvalue {hi}");
        assert!(
            (hi / lo / kappa - 1.0).abs() < 1e-6,
            "condition {} for {kappa}",
            hi / lo
        );
        // Without noise the targets are exactly X w*.
        let y = x * nalgebra::DVector::from_row_slice(w.data());
        let Targets::Values(t) = data.targets() else {
            panic!("regression targets")
        };
        assert!(y.iter().zip(t.data()).all(|(a, b)| (a - b).abs() < 1e-12));
    }
    assert!(data::ill_conditioned_regression(3, 5, 10.0, 0.0, 0).is_err());
    assert!(data::ill_conditioned_regression(10, 5, 0.5, 0.0, 0).is_err());
}

#[test]
fn synthetic_classification_sets_are_labelled_as_described() {
    let sep = data::linearly_separable(200, 3, 0.5, 1);
    // Separable with a margin, so the perceptron makes finitely many
    // mistakes (Novikoff) and ends with a pass that has none.
    let x = sep.features().data();
    let y = sep.targets().labels().unwrap();
    let mut w = [0.0; 4];
    let mut mistakes = 1;
    for _ in 0..1000 {
        mistakes = 0;
        for (row, &label) in x.chunks(3).zip(y) {
            let s = if label == 1 { 1.0 } else { -1.0 };
            let score: f64 = row.iter().zip(&w).map(|(a, b)| a * b).sum();
            if s * score <= 0.0 {
                mistakes += 1;
                row.iter().enumerate().for_each(|(j, a)| w[j] += s * a);
            }
        }
        if mistakes == 0 {
            break;
        }
    }
    assert_eq!(mistakes, 0, "a perceptron separates the data");
    let xor = data::xor(300, 0.0, 2);
    for (row, &label) in xor
        .features()
        .data()
        .chunks(2)
        .zip(xor.targets().labels().unwrap())
    {
        assert_eq!(label, usize::from(row[0] * row[1] > 0.0));
    }
    let moons = data::two_moons(100, 0.0, 3);
    for (row, &label) in moons
        .features()
        .data()
        .chunks(2)
        .zip(moons.targets().labels().unwrap())
    {
        let centre = if label == 0 { (0.0, 0.0) } else { (1.0, 0.5) };
        let r = ((row[0] - centre.0).powi(2) + (row[1] - centre.1).powi(2)).sqrt();
        assert!(
            (r - 1.0).abs() < 1e-12,
            "a noiseless moon point lies on its unit circle"
        );
    }
    let spirals = data::spirals(50, 3, 0.1, 4);
    assert_eq!((spirals.len(), spirals.classes()), (150, Some(3)));
    assert!(spirals
        .features()
        .data()
        .chunks(2)
        .all(|p| p[0].hypot(p[1]) < 1.0));
}

#[test]
fn gaussian_samples_follow_mean_and_factor() {
    let mean = Tensor::vector(vec![1.0, -2.0]);
    let l = Tensor::from_rows(&[vec![2.0, 0.0], vec![1.0, 0.5]]).unwrap();
    let n = 20_000;
    let x = data::gaussian_samples(n, &mean, &l, 9);
    let col = |j: usize| {
        x.data()
            .iter()
            .skip(j)
            .step_by(2)
            .copied()
            .collect::<Vec<_>>()
    };
    let (a, b) = (col(0), col(1));
    let (ma, mb) = (
        a.iter().sum::<f64>() / n as f64,
        b.iter().sum::<f64>() / n as f64,
    );
    let cov = a
        .iter()
        .zip(&b)
        .map(|(p, q)| (p - ma) * (q - mb))
        .sum::<f64>()
        / n as f64;
    // Σ = L Lᵀ has Σ₀₀ = 4, Σ₀₁ = 2, Σ₁₁ = 1.25; five standard errors.
    assert!((ma - 1.0).abs() < 5.0 * (4.0 / n as f64).sqrt());
    assert!((mb + 2.0).abs() < 5.0 * (1.25 / n as f64).sqrt());
    assert!((cov - 2.0).abs() < 5.0 * ((4.0 * 1.25 + 4.0) / n as f64).sqrt());
}

#[test]
fn csv_reads_quotes_delimiters_marks_and_comments() {
    // A quoted field holding the delimiter, after a byte-order mark and a comment.
    let text = "\u{feff}# exported by a spreadsheet\n\"size, cm\",\"weight\",label\n\"1,5\",2,0\n# a note\n3,4,1\n";
    let d = parse_csv(text, CsvOptions::default());
    // "1,5" is one field (a European decimal), which is not a number: the
    // error names its line (the comment lines count) and column.
    match d {
        Err(CsvError::Parse {
            line,
            column,
            field,
            ..
        }) => {
            assert_eq!((line, column, field.as_str()), (3, 1, "1,5"));
        }
        other => panic!("{other:?}"),
    }
    let semicolons = CsvOptions {
        delimiter: b';',
        ..CsvOptions::default()
    };
    let text = "\u{feff}\"size; cm\";weight;label\n# a note\n1.5;2;0\n3;\"4\";1\n";
    let d = parse_csv(text, semicolons).unwrap();
    assert_eq!(d.features().data(), &[1.5, 2.0, 3.0, 4.0]);
    assert_eq!(d.targets().labels(), Some(&[0, 1][..]));
    // Without a header, the mark must not stick to the first number.
    let bare = CsvOptions {
        header: false,
        ..CsvOptions::default()
    };
    let d = parse_csv("\u{feff}0.25,1\n0.5,0\n", bare).unwrap();
    assert_eq!(d.features().data(), &[0.25, 0.5]);
    // With comments off, a '#' line is data, and not a number.
    let no_comments = CsvOptions {
        comment: None,
        ..CsvOptions::default()
    };
    assert!(matches!(
        parse_csv("a,y\n#1,0\n", no_comments),
        Err(CsvError::Parse {
            line: 2,
            column: 1,
            ..
        })
    ));
}
