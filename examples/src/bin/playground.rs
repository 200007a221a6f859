//! The playground: pick a function (or type one), click a start point and
//! watch the optimizers walk; click a point to see the local quadratic
//! model; compute an MLP's Hessian spectrum. One page, served locally.
//!
//! Run: `cargo run --release -p examples --bin playground`, then open the
//! printed address.
//!
//! Options: `--port N` (default 8000; 0 picks a free port), `--host ADDRESS`
//! (default 127.0.0.1: only this machine can connect), `--time-limit
//! SECONDS` per computation (default 30, at most 3600), `--json` (print the
//! address as JSON); `--help` lists them.

use std::process::ExitCode;
use std::time::Duration;

use examples::cli::json_line;
use examples::cli::programs::PlaygroundArgs;
use examples::playground::server::Playground;
use serde_json::json;

fn main() -> ExitCode {
    examples::cli::main(|args: PlaygroundArgs, out| {
        let address = format!("{}:{}", args.host, args.port);
        let limit = Duration::from_secs_f64(args.time_limit);
        let playground =
            Playground::bind(&address, limit).map_err(|e| format!("--host/--port: {e}"))?;
        let bound = playground.address().to_string();
        if args.json {
            json_line(out, &json!({ "address": bound }))?;
        } else {
            writeln!(out, "playground: http://{bound}/")?;
        }
        out.flush()?;
        playground.serve();
        Ok(())
    })
}
