//! Writing pictures: the whole file goes to a temporary file beside it
//! first and is renamed into place, so a reader never sees half a picture,
//! and a failed write leaves neither a half picture nor the temporary file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `contents` to `path` atomically: a temporary file in the same
/// folder (`.NAME.PID.tmp`), synced, then renamed onto `path`. On any
/// failure the temporary file is removed and the error names `path`. The
/// folder must exist.
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let tmp = temporary_beside(path)?;
    let written = fs::File::create(&tmp)
        .and_then(|mut file| {
            file.write_all(contents.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&tmp, path));
    written.map_err(|e| {
        // The write already failed; a temporary file that cannot be
        // removed either is the lesser problem, and `e` says what happened.
        let _ = fs::remove_file(&tmp);
        std::io::Error::new(e.kind(), format!("cannot write '{}': {e}", path.display()))
    })
}

/// The temporary file for `path`: hidden, beside it, named by this process.
fn temporary_beside(path: &Path) -> std::io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("cannot write '{}': not a file name", path.display()),
        )
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    Ok(path.with_file_name(tmp_name))
}

/// The part of the segment `a → b` inside the box `[x0, x1] × [y0, y1]`
/// (Liang–Barsky), or `None` when it misses the box.
pub fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    // NOTE: with far-away ends (a diverging run) `a + t·d` loses every digit
    // of the box's scale, so the ends are clamped back onto the box.
    let onto = |t: f64| ((a.0 + t * dx).clamp(x0, x1), (a.1 + t * dy).clamp(y0, y1));
    (t0 <= t1).then(|| (onto(t0), onto(t1)))
}

/// A path cut to the box: the pieces that lie inside it, each a polyline.
/// Non-finite points end a piece.
pub fn clip_path(
    path: &[(f64, f64)],
    x_range: (f64, f64),
    y_range: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    for w in path.windows(2) {
        let clipped = (finite(&w[0]) && finite(&w[1]))
            .then(|| clip_segment(w[0], w[1], x_range, y_range))
            .flatten();
        match clipped {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() > 1 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current = vec![a];
                }
                current.push(b);
            }
            None => {
                if current.len() > 1 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh, empty folder for one test.
    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("svg-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a temporary folder");
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("readable")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_replaces_the_file_whole_and_leaves_nothing_else() {
        let dir = folder("replace");
        let path = dir.join("p.svg");
        write_atomic(&path, "old").expect("writes");
        write_atomic(&path, "new").expect("writes");
        assert_eq!(fs::read_to_string(&path).expect("readable"), "new");
        assert_eq!(entries(&dir), ["p.svg"]);
        fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_failed_write_names_the_path_and_leaves_no_temporary_file() {
        let dir = folder("fail");
        // Into a folder that does not exist: nothing can be created.
        let missing = dir.join("missing").join("p.svg");
        let err = write_atomic(&missing, "x").expect_err("no such folder");
        assert!(err.to_string().contains("missing"), "{err}");
        // Onto a folder that holds a file: the temporary file is written,
        // the rename fails, and the temporary file goes.
        let blocked = dir.join("blocked");
        fs::create_dir_all(&blocked).expect("a folder");
        fs::write(blocked.join("inside"), "x").expect("a file");
        let err = write_atomic(&blocked, "picture").expect_err("a folder is in the way");
        assert!(err.to_string().contains("blocked"), "{err}");
        assert_eq!(entries(&dir), ["blocked"]);
        assert_eq!(entries(&blocked), ["inside"]);
        fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_segment_between_far_away_ends_is_cut_onto_the_box() {
        let (a, b) = ((-3e200, -1e200), (3e200, 1e200));
        let (p, q) = clip_segment(a, b, (-1.0, 1.0), (-1.0, 1.0)).expect("crosses the box");
        for v in [p.0, p.1, q.0, q.1] {
            assert!((-1.0..=1.0).contains(&v), "{v}");
        }
    }
}
