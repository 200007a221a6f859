//! The playground's web server: `tiny_http` (a small synchronous HTTP/1.1
//! server, a few seconds to build, no async runtime) with a few worker
//! threads. It serves the page (compiled into the binary) and the JSON API;
//! each computation runs on its own thread under a time limit, so a slow
//! request is answered with 503 instead of holding a worker, and a failed
//! one with 500 instead of ending the server.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};
use tiny_http::{Header, Method, Request, Response, Server};

use super::api::{self, ApiError};

/// The page, with its script and styles inline.
pub const PAGE: &str = include_str!("page.html");

/// Largest request body accepted, in bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// How many computations may run at once; more are answered with 503.
pub const MAX_RUNNING: usize = 4;

/// Request-handling threads.
const WORKERS: usize = 4;

/// The playground's server, bound and ready to serve.
pub struct Playground {
    server: Server,
    time_limit: Duration,
    running: Arc<AtomicUsize>,
}

impl Playground {
    /// Binds to `address` (`host:port`; port 0 picks a free one). Each
    /// computation gets at most `time_limit`.
    pub fn bind(address: &str, time_limit: Duration) -> Result<Playground, String> {
        let server =
            Server::http(address).map_err(|e| format!("cannot listen on {address}: {e}"))?;
        Ok(Playground {
            server,
            time_limit,
            running: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.server
            .server_addr()
            .to_ip()
            .expect("Server::http listens on an IP address")
    }

    /// Answers requests until the process ends.
    pub fn serve(&self) {
        thread::scope(|scope| {
            for _ in 0..WORKERS {
                scope.spawn(|| {
                    while let Ok(request) = self.server.recv() {
                        self.respond(request);
                    }
                });
            }
        });
    }

    fn respond(&self, mut request: Request) {
        let path = request.url().split('?').next().unwrap_or("").to_string();
        let (status, content_type, body) = match (request.method(), path.as_str()) {
            (Method::Get, "/") => (200, "text/html; charset=utf-8", PAGE.to_string()),
            (Method::Get, "/api/catalog") => json_answer(Ok(api::catalog())),
            (Method::Post, api_path) if api_path.starts_with("/api/") => {
                let endpoint = api_path["/api/".len()..].to_string();
                let answer = read_json(&mut request)
                    .and_then(|body| self.compute(move || api::answer(&endpoint, &body)));
                json_answer(answer)
            }
            (method, path) => json_answer(Err(ApiError {
                status: if path == "/" || path.starts_with("/api/") {
                    405
                } else {
                    404
                },
                message: format!("no page for {method} {path}"),
            })),
        };
        let header =
            Header::from_bytes("Content-Type", content_type).expect("a fixed, valid header");
        let no_store = Header::from_bytes("Cache-Control", "no-store").expect("a fixed header");
        let response = Response::from_string(body)
            .with_status_code(status)
            .with_header(header)
            .with_header(no_store);
        // A client that went away is no concern of the server's.
        let _ = request.respond(response);
    }

    /// Runs `work` on its own thread and waits at most the time limit.
    fn compute(
        &self,
        work: impl FnOnce() -> Result<Value, ApiError> + Send + 'static,
    ) -> Result<Value, ApiError> {
        let busy = |message: String| ApiError {
            status: 503,
            message,
        };
        if self.running.fetch_add(1, Ordering::SeqCst) >= MAX_RUNNING {
            self.running.fetch_sub(1, Ordering::SeqCst);
            return Err(busy(format!(
                "busy: {MAX_RUNNING} computations are running; try again shortly"
            )));
        }
        let (send, receive) = mpsc::channel();
        let running = Running(Arc::clone(&self.running));
        thread::spawn(move || {
            let _running = running;
            // The receiver may have given up waiting; then the answer is dropped.
            let _ = send.send(work());
        });
        match receive.recv_timeout(self.time_limit) {
            Ok(answer) => answer,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(busy(format!(
                "the computation took longer than the time limit of {} s",
                self.time_limit.as_secs_f64()
            ))),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(ApiError {
                status: 500,
                message: "the computation failed (see the server's log)".to_string(),
            }),
        }
    }
}

/// Counts a computation as running until it ends, panicking or not.
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn read_json(request: &mut Request) -> Result<Value, ApiError> {
    let mut body = Vec::new();
    request
        .as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| ApiError::bad(format!("cannot read the request body: {e}")))?;
    if body.len() > MAX_BODY {
        return Err(ApiError::bad(format!(
            "the request body is longer than {MAX_BODY} bytes"
        )));
    }
    serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad(format!("the request body is not JSON: {e}")))
}

fn json_answer(answer: Result<Value, ApiError>) -> (u16, &'static str, String) {
    let (status, value) = match answer {
        Ok(value) => (200, value),
        Err(e) => (e.status, json!({ "error": e.message })),
    };
    (status, "application/json", value.to_string())
}
