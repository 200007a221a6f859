//! The logic of the fuzz targets, kept in a library so that the corpus can
//! be replayed by `cargo test` on a stable toolchain.

pub mod graph;
pub mod loaders;
