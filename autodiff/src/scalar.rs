//! The element types the engine computes in: `f64` (the default, for exact
//! curvature) and `f32` (about twice as fast on large products, in half
//! the memory). Everything generic — tensors, the tape, every primitive, every
//! derivative mode — is written once over [`Scalar`]; what differs between
//! the two (the matrix-product kernel, the vectorised `tanh`, the buffer
//! pools, the primal logs) lives here.

use std::cell::RefCell;
use std::fmt::{Debug, Display, LowerExp};
use std::iter::Sum;

use num_traits::{Float, FloatConst};

use crate::buffer::Pools;
use crate::primal_log::Modes;

/// A floating-point element type of tensors: `f64` or `f32`.
///
/// Constants in generic code are written with [`Scalar::of`] (`S::of(0.5)`),
/// which rounds an `f64` to the type.
pub trait Scalar:
    Float
    + FloatConst
    + Default
    + Debug
    + Display
    + LowerExp
    + Sum
    + std::ops::AddAssign
    + std::ops::SubAssign
    + std::ops::MulAssign
    + Send
    + Sync
    + 'static
    + sealed::Kernels
{
    /// The type's name, `"f64"` or `"f32"`.
    const NAME: &'static str;

    /// `x` rounded to this type.
    fn of(x: f64) -> Self;

    /// The value as an `f64` (exact).
    fn as_f64(self) -> f64;
}

impl Scalar for f64 {
    const NAME: &'static str = "f64";

    fn of(x: f64) -> f64 {
        x
    }

    fn as_f64(self) -> f64 {
        self
    }
}

impl Scalar for f32 {
    const NAME: &'static str = "f32";

    fn of(x: f64) -> f32 {
        x as f32
    }

    fn as_f64(self) -> f64 {
        f64::from(self)
    }
}

pub(crate) mod sealed {
    use super::*;

    /// What differs between the element types below the generic code; not
    /// implementable outside this crate.
    pub trait Kernels: Sized + Copy {
        /// `C = A B` (β = 0) by `matrixmultiply`'s kernel for this type.
        ///
        /// # Safety
        /// As `matrixmultiply::dgemm`: the pointers and strides address
        /// valid `m×k`, `k×n` and `m×n` blocks, `c` not overlapping.
        #[allow(clippy::too_many_arguments)]
        unsafe fn gemm(
            m: usize,
            k: usize,
            n: usize,
            a: *const Self,
            rsa: isize,
            csa: isize,
            b: *const Self,
            rsb: isize,
            csb: isize,
            c: *mut Self,
            rsc: isize,
        );

        /// `tanh x` for one element of the vectorised kernel, with fused
        /// multiply-adds when `FUSED` (the `f64` evaluation; `f32` widens).
        fn tanh_lane<const FUSED: bool>(self) -> Self;

        /// This type's buffer pool among a thread's pools.
        fn pool(pools: &RefCell<Pools>) -> std::cell::RefMut<'_, crate::buffer::Pool<Self>>
        where
            Self: Scalar;

        /// This type's primal log among a thread's logs.
        fn mode(modes: &RefCell<Modes>) -> std::cell::RefMut<'_, crate::primal_log::Mode<Self>>
        where
            Self: Scalar;
    }

    impl Kernels for f64 {
        unsafe fn gemm(
            m: usize,
            k: usize,
            n: usize,
            a: *const f64,
            rsa: isize,
            csa: isize,
            b: *const f64,
            rsb: isize,
            csb: isize,
            c: *mut f64,
            rsc: isize,
        ) {
            matrixmultiply::dgemm(m, k, n, 1.0, a, rsa, csa, b, rsb, csb, 0.0, c, rsc, 1);
        }

        #[inline(always)]
        fn tanh_lane<const FUSED: bool>(self) -> f64 {
            crate::kernels::tanh_one::<FUSED>(self)
        }

        fn pool(pools: &RefCell<Pools>) -> std::cell::RefMut<'_, crate::buffer::Pool<f64>> {
            std::cell::RefMut::map(pools.borrow_mut(), |p| &mut p.f64)
        }

        fn mode(modes: &RefCell<Modes>) -> std::cell::RefMut<'_, crate::primal_log::Mode<f64>> {
            std::cell::RefMut::map(modes.borrow_mut(), |m| &mut m.f64)
        }
    }

    impl Kernels for f32 {
        unsafe fn gemm(
            m: usize,
            k: usize,
            n: usize,
            a: *const f32,
            rsa: isize,
            csa: isize,
            b: *const f32,
            rsb: isize,
            csb: isize,
            c: *mut f32,
            rsc: isize,
        ) {
            matrixmultiply::sgemm(m, k, n, 1.0, a, rsa, csa, b, rsb, csb, 0.0, c, rsc, 1);
        }

        #[inline(always)]
        fn tanh_lane<const FUSED: bool>(self) -> f32 {
            crate::kernels::tanh_one::<FUSED>(f64::from(self)) as f32
        }

        fn pool(pools: &RefCell<Pools>) -> std::cell::RefMut<'_, crate::buffer::Pool<f32>> {
            std::cell::RefMut::map(pools.borrow_mut(), |p| &mut p.f32)
        }

        fn mode(modes: &RefCell<Modes>) -> std::cell::RefMut<'_, crate::primal_log::Mode<f32>> {
            std::cell::RefMut::map(modes.borrow_mut(), |m| &mut m.f32)
        }
    }
}
