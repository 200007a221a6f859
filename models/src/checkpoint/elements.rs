//! The element types a checkpoint's tensors are stored as, and the
//! conversions between them and the engine's f64: widening from F32, BF16
//! and F16 (exact: every such value is an f64), and rounding to F32 (to
//! nearest, with the largest relative change measured).

use autodiff::Tensor;
use half::{bf16, f16};
use safetensors::Dtype;

/// Which stored element types a load accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Accept {
    /// F64 alone: any other type is an error.
    F64,
    /// F64, F32, BF16 and F16, each widened exactly to f64.
    Widened,
    /// F32 alone (an f32 model's exact load).
    F32,
    /// F32, BF16 and F16: every type an f32 model holds exactly.
    Widened32,
}

impl Accept {
    /// The types this load takes, for the error that names a type it does not.
    pub(super) fn expected(self) -> &'static str {
        match self {
            Accept::F64 => "F64 (checkpoint::load_widened reads F32, BF16 and F16)",
            Accept::Widened => "F64, F32, BF16 or F16",
            Accept::F32 => "F32 for an f32 model (load an F64 file with checkpoint::load and convert it with Params::cast, which rounds)",
            Accept::Widened32 => "F32, BF16 or F16 for an f32 model (load an F64 file with checkpoint::load and convert it with Params::cast, which rounds)",
        }
    }
}

/// The values of a tensor stored as `dtype` in `bytes` (whose length the
/// safetensors parser has checked against the shape), as f64; `None` when
/// `accept` does not take `dtype`.
pub(super) fn widen(dtype: Dtype, bytes: &[u8], accept: Accept) -> Option<Vec<f64>> {
    fn each<const N: usize>(bytes: &[u8], value: impl Fn([u8; N]) -> f64) -> Option<Vec<f64>> {
        let chunks = bytes.chunks_exact(N);
        Some(
            chunks
                .map(|c| value(c.try_into().expect("chunks of N bytes")))
                .collect(),
        )
    }
    let narrow = matches!(accept, Accept::Widened | Accept::Widened32);
    match (dtype, accept) {
        (Dtype::F64, Accept::F64 | Accept::Widened) => each(bytes, f64::from_le_bytes),
        (Dtype::F32, Accept::Widened | Accept::F32 | Accept::Widened32) => {
            each(bytes, |b| f64::from(f32::from_le_bytes(b)))
        }
        (Dtype::BF16, _) if narrow => each(bytes, |b| bf16::from_le_bytes(b).to_f64()),
        (Dtype::F16, _) if narrow => each(bytes, |b| f16::from_le_bytes(b).to_f64()),
        _ => None,
    }
}

/// A value beyond f32's range, which rounding would make infinite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct OutOfRange {
    /// Its position in the tensor's data.
    pub index: usize,
    /// The value.
    pub value: f64,
}

/// `t` rounded to the nearest f32 values (returned widened back to f64, so
/// that they are exactly what a load reads), with the largest relative
/// change `|v − round(v)| / |v|` over its nonzero finite values (at most
/// 2⁻²⁴ for values in f32's normal range; up to 1 for values that round
/// into its subnormal range or to zero). NaN and ±∞ are kept.
pub(super) fn round_to_f32(t: &Tensor) -> Result<(Tensor, f64), OutOfRange> {
    let mut largest = 0.0_f64;
    let mut rounded = Vec::with_capacity(t.len());
    for (index, &value) in t.data().iter().enumerate() {
        let r = f64::from(value as f32);
        if value.is_finite() && r.is_infinite() {
            return Err(OutOfRange { index, value });
        }
        if value.is_finite() && value != 0.0 {
            largest = largest.max((value - r).abs() / value.abs());
        }
        rounded.push(r);
    }
    let tensor = Tensor::from_vec(t.shape(), rounded).expect("the shape of `t`");
    Ok((tensor, largest))
}

/// The little-endian bytes of `t`'s values as `dtype` (F64, or F32 for
/// values already rounded by [`round_to_f32`]).
pub(super) fn bytes_of(t: &Tensor, dtype: Dtype) -> Vec<u8> {
    match dtype {
        Dtype::F32 => t
            .data()
            .iter()
            .flat_map(|&v| (v as f32).to_le_bytes())
            .collect(),
        _ => t.data().iter().flat_map(|v| v.to_le_bytes()).collect(),
    }
}
