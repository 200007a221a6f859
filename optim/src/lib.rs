//! Solvers and curvature tools built on exact Hessian-vector products.
