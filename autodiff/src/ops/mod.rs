//! The built-in primitives, one per file.
//!
//! Each file holds everything about its primitive: a type implementing
//! [`Primitive`](crate::Primitive) — name, arity, primal, tangent rule
//! (its jvp) and vjp rule, with a one-line derivative comment — and the
//! methods that record it on the tape ([`Var`](crate::Var)) or apply it to
//! tangent-carrying values ([`Dual`](crate::Dual), for other vjp rules).
//! The vjp rules are written with dual operations, never on raw buffers:
//! when the values on the tape carry tangents, the reverse sweep therefore
//! differentiates itself and yields the exact Hessian-vector product
//! alongside the gradient (forward-over-reverse).
//!
//! A new primitive is a new file here and its `mod` line below.

mod abs;
mod add;
mod atan;
mod broadcast;
mod concat;
mod cos;
mod div;
mod erf;
mod exp;
mod expm1;
mod extremum;
mod index_select;
mod log;
mod log1p;
mod matmul;
mod max;
mod mul;
mod neg;
mod pow;
mod relu;
mod reshape;
mod select;
mod sigmoid;
mod sin;
mod slice;
mod softplus;
mod sqrt;
mod sub;
mod sum;
mod tanh;
mod transpose;

/// Methods named `$name` on [`Var`](crate::Var) (recording the primitive
/// `$primitive` on the tape) and on [`Dual`](crate::Dual) (applying it), for a
/// primitive of one input.
macro_rules! unary_methods {
    ($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) => $primitive:expr) => {
        impl<'t> crate::Var<'t> {
            $(#[$doc])*
            #[track_caller]
            pub fn $name(self, $($arg: $ty),*) -> crate::Var<'t> {
                self.record($primitive, &[self])
            }
        }

        impl crate::Dual {
            $(#[$doc])*
            pub fn $name(&self, $($arg: $ty),*) -> crate::Dual {
                crate::primitive::apply(&$primitive, &[self])
            }
        }
    };
}

/// The arithmetic operator `$trait` between vars, between duals, and with
/// `f64` on either side, all recording or applying the primitive `$primitive`.
macro_rules! binary_operator {
    ($trait:ident, $method:ident, $primitive:expr) => {
        impl<'t> std::ops::$trait<crate::Var<'t>> for crate::Var<'t> {
            type Output = crate::Var<'t>;
            #[track_caller]
            fn $method(self, rhs: crate::Var<'t>) -> crate::Var<'t> {
                self.record($primitive, &[self, rhs])
            }
        }
        impl<'t> std::ops::$trait<f64> for crate::Var<'t> {
            type Output = crate::Var<'t>;
            #[track_caller]
            fn $method(self, rhs: f64) -> crate::Var<'t> {
                let rhs = self.tape().constant(crate::Tensor::scalar(rhs));
                self.record($primitive, &[self, rhs])
            }
        }
        impl<'t> std::ops::$trait<crate::Var<'t>> for f64 {
            type Output = crate::Var<'t>;
            #[track_caller]
            fn $method(self, rhs: crate::Var<'t>) -> crate::Var<'t> {
                let lhs = rhs.tape().constant(crate::Tensor::scalar(self));
                rhs.record($primitive, &[lhs, rhs])
            }
        }
        impl std::ops::$trait<&crate::Dual> for &crate::Dual {
            type Output = crate::Dual;
            fn $method(self, rhs: &crate::Dual) -> crate::Dual {
                crate::primitive::apply(&$primitive, &[self, rhs])
            }
        }
        impl std::ops::$trait<f64> for &crate::Dual {
            type Output = crate::Dual;
            fn $method(self, rhs: f64) -> crate::Dual {
                crate::primitive::apply(&$primitive, &[self, &crate::Dual::scalar(rhs)])
            }
        }
        impl std::ops::$trait<&crate::Dual> for f64 {
            type Output = crate::Dual;
            fn $method(self, rhs: &crate::Dual) -> crate::Dual {
                crate::primitive::apply(&$primitive, &[&crate::Dual::scalar(self), rhs])
            }
        }
    };
}

pub(crate) use {binary_operator, unary_methods};
