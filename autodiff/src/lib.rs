//! Dense `f64` (or `f32`) tensors and a tape-based automatic
//! differentiation engine with exact Hessian-vector products.
//!
//! Write a function of tensors as ordinary Rust over [`Var`]s; get its value,
//! gradient, jvp, vjp, Hessian-vector product (one direction or `K` at once),
//! full Hessian and Jacobian — and check each against finite differences
//! with the [`check`] module.
//!
//! # How H·v is computed: forward-over-reverse
//!
//! Every value on the tape may carry tangent lanes (directional derivatives
//! along `K` input directions). Every primitive has a forward rule for its
//! tangents and a vjp rule written with the same tangent-carrying
//! operations. So when the inputs carry a direction `v`, the reverse sweep
//! that computes the gradient also computes the derivative of the gradient
//! along `v`, which is exactly `H·v` — at the cost of a few gradients, not
//! `n` of them. [`hvp_only`] returns the product alone and skips the work
//! only the gradient needs; [`linearize`] records a point once and then
//! repeats only the tangent work, for many products at one point.
//!
//! ```
//! use autodiff::{func, hvp, value_and_grad, check, Tensor};
//!
//! // A small MLP-like function of a weight matrix and a bias.
//! let x = Tensor::randn(&[8, 3], 1);
//! let f = func(|p| {
//!     let data = p[0].tape().constant(x.clone());
//!     (data.matmul(p[0]) + p[1]).tanh().square().mean()
//! });
//! let params = [Tensor::randn(&[3, 2], 2), Tensor::randn(&[2], 3)];
//! let (loss, grads) = value_and_grad(f, &params);
//! let dirs = [Tensor::randn(&[3, 2], 4), Tensor::randn(&[2], 5)];
//! let r = hvp(f, &params, &dirs);
//! assert_eq!(r.value, loss);
//! assert_eq!(grads[0].shape(), &[3, 2]);
//! assert!(check::all(f, &params).passed());
//! ```
//!
//! # Precision
//!
//! The engine is written once over its element type, [`Scalar`] (`f64` or
//! `f32`). [`Tensor`], [`Tape`], [`Var`] and [`Dual`] are the `f64` ones;
//! [`Tensor32`], [`Tape32`] and [`Var32`] the `f32` ones; every entry point
//! takes either, and [`TensorOf::cast`] converts.
//!
//! ```
//! use autodiff::{func32, hvp, Tensor, Tensor32};
//! let f = func32(|p| p[0].tanh().square().sum());
//! let x: Tensor32 = Tensor::randn(&[4], 0).cast();
//! let r = hvp(f, &[x.clone()], &[x]);
//! assert_eq!(r.hvp[0].shape(), &[4]);
//! ```
//!
//! # Errors and panics
//!
//! Data from outside the program goes through constructors that return
//! [`TensorError`]. Combining shapes that cannot combine is a programming
//! error and panics with a message naming the operation and both shapes.
//! Arithmetic follows IEEE semantics (`log(-1)` is NaN, `1/0` is ∞).

#![deny(missing_docs)]

mod buffer;
pub mod check;
mod composite;
mod convert;
mod dual;
mod error;
mod functional;
mod keep_dims;
mod kernels;
mod linearize;
mod ops;
mod parallel;
mod primal_log;
mod primitive;
mod scalar;
mod tags;
mod tape;
mod tensor;
mod var;

pub use buffer::release_buffers;
pub use composite::one_hot;
pub use dual::{Dual, DualOf};
pub use error::{Anomaly, TensorError};
pub use functional::{
    flatten, func, func32, func_of, grad, hessian, hvp, hvp_batch, hvp_batch_only, hvp_only,
    jacobian, jvp, jvp_batch, total_len, unflatten, value, value_and_grad, vjp, Hvp,
};
pub use keep_dims::KeepDims;
pub use linearize::{linearize, Linearization};
pub use primitive::{Primitive, Wanted};
pub use scalar::Scalar;
pub use tags::Tag;
pub use tape::{stop_at_anomaly, Adjoints, Tape, Tape32, TapeOf};
pub use tensor::{element_count, Shape, Tensor, Tensor32, TensorOf};
pub use var::{Var, Var32, VarOf};
