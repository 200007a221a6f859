//! The playground: the optimizer arena and the curvature visualizer as one
//! interactive page, served from this binary on 127.0.0.1
//! (`cargo run --release -p examples --bin playground`).
//!
//! - [`formula`]: the formula box, `f(x, y)` parsed into engine operations;
//! - [`api`]: the JSON API, each answer from the arena's and the curvature
//!   visualizer's own functions;
//! - [`server`]: the HTTP server (`tiny_http`), time limits, the page.

pub mod api;
pub mod formula;
pub mod server;
