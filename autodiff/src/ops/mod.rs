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

/// Methods named `$name` on [`VarOf`](crate::VarOf) (recording the
/// primitive `$primitive` on the tape) and on [`DualOf`](crate::DualOf)
/// (applying it), for a primitive of one input, in every precision.
macro_rules! unary_methods {
    ($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) => $primitive:expr) => {
        impl<'t, S: crate::Scalar> crate::VarOf<'t, S> {
            $(#[$doc])*
            #[track_caller]
            pub fn $name(self, $($arg: $ty),*) -> crate::VarOf<'t, S> {
                self.record($primitive, &[self])
            }
        }

        impl<S: crate::Scalar> crate::DualOf<S> {
            $(#[$doc])*
            pub fn $name(&self, $($arg: $ty),*) -> crate::DualOf<S> {
                crate::primitive::apply(&$primitive, &[self])
            }
        }
    };
}

/// The arithmetic operator `$trait` between vars, between duals, and with a
/// scalar of their type on either side, all recording or applying the
/// primitive `$primitive`.
macro_rules! binary_operator {
    ($trait:ident, $method:ident, $primitive:expr) => {
        impl<'t, S: crate::Scalar> std::ops::$trait<crate::VarOf<'t, S>> for crate::VarOf<'t, S> {
            type Output = crate::VarOf<'t, S>;
            #[track_caller]
            fn $method(self, rhs: crate::VarOf<'t, S>) -> crate::VarOf<'t, S> {
                self.record($primitive, &[self, rhs])
            }
        }
        impl<'t, S: crate::Scalar> std::ops::$trait<S> for crate::VarOf<'t, S> {
            type Output = crate::VarOf<'t, S>;
            #[track_caller]
            fn $method(self, rhs: S) -> crate::VarOf<'t, S> {
                let rhs = self.tape().constant(crate::TensorOf::scalar(rhs));
                self.record($primitive, &[self, rhs])
            }
        }
        impl<S: crate::Scalar> std::ops::$trait<&crate::DualOf<S>> for &crate::DualOf<S> {
            type Output = crate::DualOf<S>;
            fn $method(self, rhs: &crate::DualOf<S>) -> crate::DualOf<S> {
                crate::primitive::apply(&$primitive, &[self, rhs])
            }
        }
        impl<S: crate::Scalar> std::ops::$trait<S> for &crate::DualOf<S> {
            type Output = crate::DualOf<S>;
            fn $method(self, rhs: S) -> crate::DualOf<S> {
                crate::primitive::apply(&$primitive, &[self, &crate::DualOf::scalar(rhs)])
            }
        }
        crate::ops::scalar_on_the_left!($trait, $method, $primitive, f64);
        crate::ops::scalar_on_the_left!($trait, $method, $primitive, f32);
    };
}

/// The operator `$trait` with a scalar of type `$s` on the left of a var or
/// a dual (one impl per type: a foreign type cannot take a generic impl).
macro_rules! scalar_on_the_left {
    ($trait:ident, $method:ident, $primitive:expr, $s:ty) => {
        impl<'t> std::ops::$trait<crate::VarOf<'t, $s>> for $s {
            type Output = crate::VarOf<'t, $s>;
            #[track_caller]
            fn $method(self, rhs: crate::VarOf<'t, $s>) -> crate::VarOf<'t, $s> {
                let lhs = rhs.tape().constant(crate::TensorOf::scalar(self));
                rhs.record($primitive, &[lhs, rhs])
            }
        }
        impl std::ops::$trait<&crate::DualOf<$s>> for $s {
            type Output = crate::DualOf<$s>;
            fn $method(self, rhs: &crate::DualOf<$s>) -> crate::DualOf<$s> {
                crate::primitive::apply(&$primitive, &[&crate::DualOf::scalar(self), rhs])
            }
        }
    };
}

pub(crate) use {binary_operator, scalar_on_the_left, unary_methods};
