//! Elementwise hyperbolic tangent over a slice, written so the compiler can
//! vectorise it: no branches, no calls into libm.
//!
//! `tanh |x| = e / (e + 2)` with `e = expm1(2|x|)`, and the sign of `x` put
//! back. `expm1(y) = 2ᵏ (eʳ − 1) + (2ᵏ − 1)` with `y = k ln 2 + r`,
//! `|r| ≤ ln 2 / 2`, where `eʳ − 1` is its Taylor polynomial of degree 13
//! (truncation below 5e-18 on that interval); for small `y` (k = 0) this is
//! the polynomial alone, so small arguments keep full relative accuracy.
//! Arguments beyond 20 in magnitude give ±1 (`tanh 20 = 1 − 8.5e-18`).
//! Measured against libm's `tanh` in the tests: within a few ulp.
//!
//! On x86-64 with AVX2 and FMA (checked at run time) the same code is
//! compiled for those instructions: four lanes per instruction and fused
//! multiply-adds, where the portable build has two lanes (SSE2).
//!
//! `f32` values are widened, go through the same `f64` evaluation and are
//! rounded back: the result is the correctly rounded `tanh` but for the
//! rare argument whose `f64` result lies within a few `f64` ulps of a
//! rounding boundary (measured in the tests: at most 1 `f32` ulp from
//! `tanh` evaluated in `f64` and rounded, on a dense grid).

use crate::buffer;
use crate::scalar::Scalar;
use crate::tensor::TensorOf;

/// `ln 2` split so that `k · LN2_HI` is exact for the `k` that occur.
const LN2_HI: f64 = 0.693_147_180_369_123_8;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
/// `1.5 · 2⁵²`: adding it rounds a small float to an integer held in the low
/// bits of the mantissa.
const ROUND: f64 = 6_755_399_441_055_744.0;
/// `1/n!` for n = 13 down to 2, for Horner's rule.
const INV_FACTORIALS: [f64; 12] = [
    1.0 / 6_227_020_800.0,
    1.0 / 479_001_600.0,
    1.0 / 39_916_800.0,
    1.0 / 3_628_800.0,
    1.0 / 362_880.0,
    1.0 / 40_320.0,
    1.0 / 5_040.0,
    1.0 / 720.0,
    1.0 / 120.0,
    1.0 / 24.0,
    1.0 / 6.0,
    1.0 / 2.0,
];

/// `a · b + c`, fused when the caller is compiled with FMA (a libm call
/// otherwise, hence the flag).
#[inline(always)]
fn mul_add<const FUSED: bool>(a: f64, b: f64, c: f64) -> f64 {
    if FUSED {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `tanh x` for one value (each element type's `tanh_lane` calls it).
#[inline(always)]
pub(crate) fn tanh_one<const FUSED: bool>(x: f64) -> f64 {
    let a = x.abs();
    // NOTE: a comparison, not `min`, so that NaN stays NaN.
    let a = if a > 20.0 { 20.0 } else { a };
    let y = 2.0 * a;
    let rounded = mul_add::<FUSED>(y, std::f64::consts::LOG2_E, ROUND);
    let k = rounded - ROUND;
    let r = mul_add::<FUSED>(-k, LN2_LO, mul_add::<FUSED>(-k, LN2_HI, y));
    let mut poly = INV_FACTORIALS[0];
    for c in &INV_FACTORIALS[1..] {
        poly = mul_add::<FUSED>(poly, r, *c);
    }
    let poly = mul_add::<FUSED>(poly, r, 1.0);
    let em1_r = poly * r;
    // 2ᵏ from the integer in the low bits of `rounded` (0 ≤ k ≤ 58).
    let k_bits = rounded.to_bits().wrapping_sub(ROUND.to_bits());
    let two_k = f64::from_bits(1.0f64.to_bits().wrapping_add(k_bits << 52));
    let em1 = mul_add::<FUSED>(two_k, em1_r, two_k - 1.0);
    (em1 / (em1 + 2.0)).copysign(x)
}

/// Elements per step of the loop: several vectors' worth, whose long
/// dependency chains (Horner's rule, then a division) the processor can
/// overlap, where one vector per step leaves it waiting on each chain.
const BLOCK: usize = 16;

#[inline(always)]
fn tanh_blocks<S: Scalar, const FUSED: bool>(x: &[S], out: &mut [S]) {
    let mut xs = x.chunks_exact(BLOCK);
    let mut outs = out.chunks_exact_mut(BLOCK);
    for (o, v) in (&mut outs).zip(&mut xs) {
        for (o, &v) in o.iter_mut().zip(v) {
            *o = v.tanh_lane::<FUSED>();
        }
    }
    for (o, &v) in outs.into_remainder().iter_mut().zip(xs.remainder()) {
        *o = v.tanh_lane::<FUSED>();
    }
}

fn tanh_portable<S: Scalar>(x: &[S], out: &mut [S]) {
    tanh_blocks::<S, false>(x, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn tanh_avx2<S: Scalar>(x: &[S], out: &mut [S]) {
    tanh_blocks::<S, true>(x, out);
}

/// `tanh` of every element of `x`.
pub(crate) fn tanh<S: Scalar>(x: &TensorOf<S>) -> TensorOf<S> {
    TensorOf::new(x.shape(), tanh_slice(x.data()))
}

/// `tanh` of every value of `x`, in a pooled buffer.
fn tanh_slice<S: Scalar>(x: &[S]) -> Vec<S> {
    let mut out = buffer::zeros(x.len());
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has the features the function is compiled for.
        unsafe { tanh_avx2(x, &mut out) };
        return out;
    }
    tanh_portable(x, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place.
    fn ulps(a: f64, b: f64) -> u64 {
        let key = |v: f64| {
            let bits = v.to_bits() as i64;
            if bits < 0 {
                i64::MIN - bits
            } else {
                bits
            }
        };
        key(a).abs_diff(key(b))
    }

    fn arguments() -> Vec<f64> {
        let mut xs = vec![
            0.0,
            -0.0,
            1e-300,
            f64::MIN_POSITIVE / 4.0,
            1e-17,
            1e-8,
            0.17328679,
            0.3465735902799726,
            0.5,
            1.0,
            19.06,
            20.0,
            20.5,
            300.0,
            f64::MAX,
        ];
        // A dense sweep of the interesting range, and random magnitudes.
        xs.extend((0..20_000).map(|i| i as f64 * 1e-3));
        let mut s = 0x2545_f491_4f6c_dd1d_u64;
        xs.extend((0..20_000).map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let u = (s >> 11) as f64 / (1u64 << 53) as f64;
            10f64.powf(-12.0 + 14.0 * u)
        }));
        let negatives: Vec<f64> = xs.iter().map(|v| -v).collect();
        xs.extend(negatives);
        xs
    }

    fn check(values: &[f64], xs: &[f64]) {
        let worst = xs
            .iter()
            .zip(values)
            .map(|(&x, &t)| (ulps(t, x.tanh()), x))
            .max_by_key(|p| p.0)
            .unwrap();
        assert!(
            worst.0 <= 4,
            "{} ulp from libm at x = {:e}",
            worst.0,
            worst.1
        );
    }

    #[test]
    fn within_a_few_ulp_of_libm_on_both_paths() {
        let xs = arguments();
        check(&tanh_slice(&xs), &xs);
        let mut portable = vec![0.0; xs.len()];
        tanh_portable(&xs, &mut portable);
        check(&portable, &xs);
    }

    /// Distance in `f32` units in the last place.
    fn ulps32(a: f32, b: f32) -> u32 {
        let key = |v: f32| {
            let bits = v.to_bits() as i32;
            if bits < 0 {
                i32::MIN - bits
            } else {
                bits
            }
        };
        key(a).abs_diff(key(b))
    }

    #[test]
    fn f32_is_within_one_ulp_of_f64_tanh_rounded_on_a_dense_grid() {
        // 4096 evenly spaced f32 in each binade from 2⁻²⁰ to 2⁴ (98 304
        // arguments), eight specials, and all their negatives: 196 624.
        let mut xs: Vec<f32> = vec![
            0.0,
            -0.0,
            f32::MIN_POSITIVE,
            1e-30,
            9.5,
            10.0,
            1e30,
            f32::MAX,
        ];
        for binade in -20..4 {
            let base = 2f32.powi(binade);
            xs.extend((0..4096).map(|i| base * (1.0 + i as f32 / 4096.0)));
        }
        let negatives: Vec<f32> = xs.iter().map(|v| -v).collect();
        xs.extend(negatives);
        assert_eq!(xs.len(), 196_624);
        for values in [tanh_slice(&xs), {
            let mut portable = vec![0.0f32; xs.len()];
            tanh_portable(&xs, &mut portable);
            portable
        }] {
            let (worst, at) = xs
                .iter()
                .zip(&values)
                .map(|(&x, &t)| (ulps32(t, f64::from(x).tanh() as f32), x))
                .max_by_key(|p| p.0)
                .unwrap();
            assert!(worst <= 1, "{worst} ulp at x = {at:e}");
        }
    }

    #[test]
    fn special_values() {
        let t = tanh_slice(&[f64::INFINITY, f64::NEG_INFINITY, f64::NAN, -0.0]);
        assert_eq!(&t[..2], &[1.0, -1.0]);
        assert!(t[2].is_nan());
        assert!(t[3] == 0.0 && t[3].is_sign_negative());
    }
}
