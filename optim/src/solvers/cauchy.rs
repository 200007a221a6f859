//! The generalized Cauchy point of L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995,
//! section 4): the first local minimiser of the quadratic model
//! `m(z) = gᵀ(z − x) + ½ (z − x)ᵀ B (z − x)` along the projected steepest
//! descent path `P(x − t g)`, `t ≥ 0`, found by walking the path's
//! segments between breakpoints with the compact form of `B`.

use nalgebra::DVector;

use super::compact::CompactMemory;
use crate::bounds::Bounds;

/// The Cauchy point `xᶜ` and `c = Wᵀ(xᶜ − x)`, which the subspace
/// minimisation reuses.
pub(crate) struct CauchyPoint {
    pub(crate) x: Vec<f64>,
    pub(crate) c: DVector<f64>,
}

/// The slope `f'` and curvature `f''` of the model along the current
/// segment, with `p = Wᵀd` and `c = Wᵀ(z − x)` for the direction `d` and
/// the segment's start `z`.
struct Segment {
    fp: f64,
    fpp: f64,
    p: DVector<f64>,
    c: DVector<f64>,
}

/// Walks the path `P(x − t g)` from breakpoint to breakpoint until the
/// model's minimiser along the current segment lies within it.
pub(crate) fn generalized_cauchy_point(
    bounds: &Bounds,
    x: &[f64],
    g: &[f64],
    memory: &CompactMemory,
) -> CauchyPoint {
    let minus_g: Vec<f64> = g.iter().map(|v| -v).collect();
    let t = bounds.breakpoints(x, &minus_g);
    // Variables already at the bound they move towards do not move.
    let mut d: Vec<f64> = minus_g
        .iter()
        .zip(&t)
        .map(|(&di, &ti)| if ti > 0.0 { di } else { 0.0 })
        .collect();
    let mut xc = x.to_vec();
    let theta = memory.theta();
    let p = memory.wt(&d);
    let dd: f64 = d.iter().map(|v| v * v).sum();
    let fpp = theta * dd - p.dot(&(memory.m() * &p));
    let mut seg = Segment {
        fp: -dd,
        fpp,
        c: DVector::zeros(p.len()),
        p,
    };
    let fpp0 = seg.fpp;
    let mut order: Vec<usize> = (0..x.len())
        .filter(|&i| d[i] != 0.0 && t[i].is_finite())
        .collect();
    order.sort_by(|&a, &b| t[a].total_cmp(&t[b]));
    let mut t_old = 0.0;
    let mut dt_min = minimiser_along(&seg);
    for b in order {
        let dt = t[b] - t_old;
        if dt_min < dt {
            break;
        }
        let bound = if d[b] > 0.0 {
            bounds.hi()[b]
        } else {
            bounds.lo()[b]
        };
        xc[b] = bound;
        pass_breakpoint(&mut seg, memory, g[b], bound - x[b], b, dt, fpp0);
        d[b] = 0.0;
        t_old = t[b];
        dt_min = minimiser_along(&seg);
    }
    let dt_min = dt_min.max(0.0);
    let t_end = t_old + dt_min;
    for i in 0..x.len() {
        if d[i] != 0.0 {
            xc[i] = x[i] + t_end * d[i];
        }
    }
    seg.c += dt_min * &seg.p;
    CauchyPoint {
        x: bounds.project(&xc),
        c: seg.c,
    }
}

/// `Δt = −f'/f''`, the model's minimiser along the segment, measured from its start.
fn minimiser_along(seg: &Segment) -> f64 {
    if seg.fp >= 0.0 {
        0.0
    } else {
        -seg.fp / seg.fpp
    }
}

/// Moves the segment's start by `dt` to the breakpoint of variable `b`
/// (gradient `gb`, `zb = x_bᶜ − x_b`), where that variable stops, and
/// updates `f'`, `f''`, `p` and `c` (the paper's (4.9) and (4.10)). `f''`
/// is kept above round-off of its first value.
fn pass_breakpoint(
    seg: &mut Segment,
    memory: &CompactMemory,
    gb: f64,
    zb: f64,
    b: usize,
    dt: f64,
    fpp0: f64,
) {
    let theta = memory.theta();
    let wb = memory.w_row(b);
    let m = memory.m();
    seg.c += dt * &seg.p;
    let m_wb = m * &wb;
    seg.fp += dt * seg.fpp + gb * gb + theta * gb * zb - gb * m_wb.dot(&seg.c);
    seg.fpp -= theta * gb * gb + 2.0 * gb * m_wb.dot(&seg.p) + gb * gb * m_wb.dot(&wb);
    seg.fpp = seg.fpp.max(f64::EPSILON * fpp0);
    seg.p += gb * wb;
}
