//! Value parsers for the programs' options (`#[arg(value_parser = …)]`):
//! each reads one value or says what is wrong with it; clap adds the
//! option's name and the value to the message.

use std::path::PathBuf;

/// Largest coordinate a point may have: far beyond every drawn window, and
/// small enough that squares and products stay finite.
pub const MAX_COORDINATE: f64 = 1e6;

/// Longest wall-clock budget, in seconds (a day).
pub const MAX_SECONDS: f64 = 86_400.0;

/// A finite number.
pub fn finite(v: &str) -> Result<f64, String> {
    let x: f64 = v
        .trim()
        .parse()
        .map_err(|_| "expected a number".to_string())?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err("expected a finite number".into())
    }
}

/// A finite number above zero.
pub fn positive(v: &str) -> Result<f64, String> {
    let x = finite(v)?;
    if x > 0.0 {
        Ok(x)
    } else {
        Err("must be above 0".into())
    }
}

/// A duration in seconds: above 0, at most [`MAX_SECONDS`].
pub fn seconds(v: &str) -> Result<f64, String> {
    let x = positive(v)?;
    if x <= MAX_SECONDS {
        Ok(x)
    } else {
        Err(format!("must be at most {MAX_SECONDS} seconds"))
    }
}

/// A point `x,y`, each coordinate finite and within ±[`MAX_COORDINATE`].
pub fn point(v: &str) -> Result<[f64; 2], String> {
    let bad = || format!("expected two numbers 'x,y' within ±{MAX_COORDINATE:e}");
    let xy: Vec<f64> = v
        .split(',')
        .map(|c| finite(c).map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    match xy[..] {
        [x, y] if x.abs().max(y.abs()) <= MAX_COORDINATE => Ok([x, y]),
        _ => Err(bad()),
    }
}

/// Points `x,y;x,y;…` (at least one), each as [`point`] reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Points(pub Vec<[f64; 2]>);

/// Reads [`Points`].
pub fn points(v: &str) -> Result<Points, String> {
    v.split(';')
        .map(|p| point(p).map_err(|e| format!("'{p}': {e}")))
        .collect::<Result<_, _>>()
        .map(Points)
}

/// A file to write: its folder must exist (the current one when the path
/// names none) and the path must not be a folder. The file itself is
/// written later, atomically.
pub fn output_file(v: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(v);
    if v.is_empty() || v.ends_with('/') || path.is_dir() {
        return Err("expected a file name, not a folder".into());
    }
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) if !dir.is_dir() => Err(format!("folder '{}' does not exist", dir.display())),
        _ => Ok(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_that_are_not_finite_or_not_positive_are_refused() {
        for bad in ["nan", "inf", "-inf", "1e400", "x", ""] {
            assert!(finite(bad).is_err(), "{bad}");
        }
        assert_eq!(finite(" -2.5 "), Ok(-2.5));
        assert!(positive("0").is_err() && positive("-1").is_err());
        assert_eq!(positive("1e-300"), Ok(1e-300));
        assert!(seconds("86401").is_err());
        assert_eq!(seconds("0.5"), Ok(0.5));
    }

    #[test]
    fn points_need_two_bounded_coordinates() {
        assert_eq!(point("1, -2"), Ok([1.0, -2.0]));
        for bad in ["1", "1,2,3", "1;2", "1e308,1e308", "nan,0", "2e6,0", ""] {
            assert!(point(bad).is_err(), "{bad}");
        }
        assert_eq!(points("1,2;3,4"), Ok(Points(vec![[1.0, 2.0], [3.0, 4.0]])));
        let err = points("1,2;3").expect_err("the second point has one number");
        assert!(err.contains("'3'"), "{err}");
    }

    #[test]
    fn an_output_file_needs_an_existing_folder_and_is_no_folder() {
        let here = std::env::temp_dir();
        assert!(output_file(&here.join("picture.svg").to_string_lossy()).is_ok());
        assert!(output_file("picture.svg").is_ok());
        assert!(output_file(&here.to_string_lossy()).is_err());
        let missing = here.join("no-such-folder-for-cli-tests").join("p.svg");
        let err = output_file(&missing.to_string_lossy()).expect_err("missing folder");
        assert!(err.contains("does not exist"), "{err}");
    }
}
