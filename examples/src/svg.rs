//! Writing pictures: the whole file goes to `PATH.tmp` first and is renamed
//! into place, so a reader never sees half a picture.

use std::fs;
use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically (temporary file, fsync, rename),
/// creating the parent directory if needed.
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = Path::new(&tmp_name);
    let mut file = fs::File::create(tmp)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    fs::rename(tmp, path)
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

    #[test]
    fn a_segment_between_far_away_ends_is_cut_onto_the_box() {
        let (a, b) = ((-3e200, -1e200), (3e200, 1e200));
        let (p, q) = clip_segment(a, b, (-1.0, 1.0), (-1.0, 1.0)).expect("crosses the box");
        for v in [p.0, p.1, q.0, q.1] {
            assert!((-1.0..=1.0).contains(&v), "{v}");
        }
    }
}
