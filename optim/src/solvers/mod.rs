//! Minimisers, one file per algorithm.
