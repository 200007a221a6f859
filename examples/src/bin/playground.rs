//! The playground: pick a function (or type one), click a start point and
//! watch the optimizers walk; click a point to see the local quadratic
//! model; compute an MLP's Hessian spectrum. One page, served locally.
//!
//! Run: `cargo run --release -p examples --bin playground`, then open the
//! printed address.
//!
//! Options: `--port N` (default 8000; 0 picks a free port), `--host ADDRESS`
//! (default 127.0.0.1: only this machine can connect), `--time-limit
//! SECONDS` per computation (default 30).

use std::time::Duration;

use examples::cli::{ArgError, Args};
use examples::playground::server::Playground;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env(&[], &["port", "host", "time-limit"])?;
    let port: u16 = args.value("port")?.unwrap_or(8000);
    let host = args.raw("host").unwrap_or("127.0.0.1");
    let limit: f64 = args.value("time-limit")?.unwrap_or(30.0);
    if !(limit.is_finite() && limit > 0.0 && limit <= 3600.0) {
        return Err(ArgError(format!(
            "--time-limit: must be from 0 to 3600 seconds, got {limit}"
        ))
        .into());
    }
    let playground = Playground::bind(&format!("{host}:{port}"), Duration::from_secs_f64(limit))
        .map_err(|e| ArgError(format!("--host/--port: {e}")))?;
    println!("playground: http://{}/", playground.address());
    playground.serve();
    Ok(())
}
