//! Curvature operators (Hessian, Gauss-Newton, Fisher) and spectral tools.
