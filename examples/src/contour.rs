//! Contour lines of a function sampled on a grid, by marching squares, with
//! the segments of each level joined into polylines (so a picture has a few
//! long lines rather than thousands of short ones).

use std::collections::HashMap;

/// A function sampled on a regular grid.
#[derive(Clone, Debug)]
pub struct Grid {
    /// Abscissae, increasing.
    pub xs: Vec<f64>,
    /// Ordinates, increasing.
    pub ys: Vec<f64>,
    /// `values[j * xs.len() + i] = f(xs[i], ys[j])`.
    pub values: Vec<f64>,
}

impl Grid {
    /// Samples `f` on `nx × ny` points spanning the two ranges (each `n ≥ 2`).
    pub fn sample(
        x_range: (f64, f64),
        y_range: (f64, f64),
        nx: usize,
        ny: usize,
        f: impl Fn(f64, f64) -> f64,
    ) -> Grid {
        let axis = |(lo, hi): (f64, f64), n: usize| -> Vec<f64> {
            (0..n)
                .map(|k| lo + (hi - lo) * k as f64 / (n - 1) as f64)
                .collect()
        };
        let (xs, ys) = (axis(x_range, nx), axis(y_range, ny));
        let values = ys
            .iter()
            .flat_map(|&y| xs.iter().map(move |&x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect();
        Grid { xs, ys, values }
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.xs.len() + i]
    }

    /// `count` levels spaced evenly in `log(f − f_min)`, from the 3rd
    /// percentile of the sampled values up to the largest: lines crowd near
    /// the minimum, where the geometry is, values spanning decades still get
    /// lines, and no line is finer than the grid can resolve.
    pub fn levels(&self, count: usize) -> Vec<f64> {
        let mut v: Vec<f64> = self
            .values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        v.sort_by(f64::total_cmp);
        let (Some(&lo), Some(&hi)) = (v.first(), v.last()) else {
            return Vec::new();
        };
        let range = hi - lo;
        let low = v[v.len() * 3 / 100] - lo;
        if range <= 0.0 || count == 0 {
            return Vec::new();
        }
        let (a, b) = (low.max(range * 1e-9).ln(), range.ln());
        (0..count)
            .map(|k| lo + (a + (b - a) * k as f64 / count as f64).exp())
            .collect()
    }
}

/// A contour's polylines, each a list of points.
pub type Polylines = Vec<Vec<(f64, f64)>>;

/// An edge of the grid: horizontal from `(i, j)` to `(i + 1, j)`, or
/// vertical from `(i, j)` to `(i, j + 1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Edge {
    H(usize, usize),
    V(usize, usize),
}

/// The polylines where the sampled function equals `level`.
pub fn contour_lines(grid: &Grid, level: f64) -> Polylines {
    let (nx, ny) = (grid.xs.len(), grid.ys.len());
    let mut points: HashMap<Edge, (f64, f64)> = HashMap::new();
    let mut segments: Vec<(Edge, Edge)> = Vec::new();
    let crossing = |a: f64, b: f64| (a < level) != (b < level);
    let point = |edge: Edge| -> (f64, f64) {
        let (i0, j0, i1, j1) = match edge {
            Edge::H(i, j) => (i, j, i + 1, j),
            Edge::V(i, j) => (i, j, i, j + 1),
        };
        let (a, b) = (grid.at(i0, j0), grid.at(i1, j1));
        let t = (level - a) / (b - a);
        (
            grid.xs[i0] + t * (grid.xs[i1] - grid.xs[i0]),
            grid.ys[j0] + t * (grid.ys[j1] - grid.ys[j0]),
        )
    };
    for j in 0..ny.saturating_sub(1) {
        for i in 0..nx.saturating_sub(1) {
            let corners = [
                grid.at(i, j),
                grid.at(i + 1, j),
                grid.at(i + 1, j + 1),
                grid.at(i, j + 1),
            ];
            if corners.iter().any(|v| !v.is_finite()) {
                continue;
            }
            // Edges in order around the cell: bottom, right, top, left.
            let edges = [
                Edge::H(i, j),
                Edge::V(i + 1, j),
                Edge::H(i, j + 1),
                Edge::V(i, j),
            ];
            let crossed: Vec<Edge> = (0..4)
                .filter(|&k| crossing(corners[k], corners[(k + 1) % 4]))
                .map(|k| edges[k])
                .collect();
            for &e in &crossed {
                points.entry(e).or_insert_with(|| point(e));
            }
            match crossed[..] {
                [a, b] => segments.push((a, b)),
                [a, b, c, d] => {
                    // A saddle cell: the centre value decides which pairs join.
                    let centre = corners.iter().sum::<f64>() / 4.0;
                    if (centre < level) == (corners[0] < level) {
                        segments.push((a, d));
                        segments.push((b, c));
                    } else {
                        segments.push((a, b));
                        segments.push((c, d));
                    }
                }
                _ => {}
            }
        }
    }
    chain(&segments, &points)
}

/// Joins segments that share an edge point into polylines: open lines from
/// their free ends first, then closed loops.
fn chain(segments: &[(Edge, Edge)], points: &HashMap<Edge, (f64, f64)>) -> Polylines {
    let mut at: HashMap<Edge, Vec<usize>> = HashMap::new();
    for (k, (a, b)) in segments.iter().enumerate() {
        at.entry(*a).or_default().push(k);
        at.entry(*b).or_default().push(k);
    }
    let mut used = vec![false; segments.len()];
    let mut lines = Vec::new();
    let walk = |start: usize, from: Edge, used: &mut Vec<bool>| {
        let mut line = vec![points[&from]];
        let (mut seg, mut key) = (start, from);
        loop {
            used[seg] = true;
            let (a, b) = segments[seg];
            key = if a == key { b } else { a };
            line.push(points[&key]);
            match at[&key].iter().find(|&&s| !used[s]) {
                Some(&next) => seg = next,
                None => break,
            }
        }
        line
    };
    // In grid order, not the map's (random) order: the same function
    // always gives the same lines, so a picture is reproducible.
    let mut ends: Vec<Edge> = at
        .iter()
        .filter(|(_, segs)| segs.len() == 1)
        .map(|(e, _)| *e)
        .collect();
    ends.sort_unstable();
    for e in ends {
        let s = at[&e][0];
        if !used[s] {
            lines.push(walk(s, e, &mut used));
        }
    }
    for s in 0..segments.len() {
        if !used[s] {
            lines.push(walk(s, segments[s].0, &mut used));
        }
    }
    lines
}
