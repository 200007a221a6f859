//! Solvers and curvature tools built on exact Hessian-vector products.

pub mod cg;
pub mod curvature;
pub mod line_search;
pub mod linop;
pub mod objective;
pub mod problems;
pub mod solvers;
