//! Objectives: value, gradient and curvature-vector products of a function of a flat vector.
