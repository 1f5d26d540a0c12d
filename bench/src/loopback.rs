//! The real server, in this process: the axum app of `yici_server::app`
//! served on `127.0.0.1:0`, or called directly without a socket.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use tokio::runtime::{Builder, Runtime};
use tower::ServiceExt;
use yici_server::AppState;

use crate::latency::Summary;

/// A server listening on a loopback port until [`Loopback::stop`].
pub struct Loopback {
    runtime: Runtime,
    addr: SocketAddr,
}

impl Loopback {
    /// Serves `state` on an ephemeral port of 127.0.0.1 with `workers`
    /// runtime threads.
    pub fn start(state: AppState, workers: usize) -> io::Result<Self> {
        let runtime = Builder::new_multi_thread()
            .worker_threads(workers.max(1))
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))?;
        let addr = listener.local_addr()?;
        runtime.spawn(async move {
            if let Err(e) = axum::serve(listener, yici_server::app(state)).await {
                eprintln!("loopback server stopped: {e}");
            }
        });
        Ok(Loopback { runtime, addr })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server, dropping its connections.
    pub fn stop(self) {
        self.runtime.shutdown_timeout(Duration::from_secs(2));
    }
}

/// Calls the router directly (`tower::ServiceExt::oneshot`), one request
/// after the other on one thread: the cost of routing, the handler and
/// rendering, without sockets or HTTP parsing. Fails on any status but 200.
pub fn in_process(
    state: AppState,
    paths: &[String],
    requests: usize,
) -> io::Result<(Summary, u64)> {
    let runtime = Builder::new_current_thread().enable_all().build()?;
    let app = yici_server::app(state);
    runtime.block_on(async {
        let mut samples = Vec::with_capacity(requests);
        let mut bytes = 0u64;
        for i in 0..requests {
            let path = &paths[i % paths.len()];
            let request = Request::get(path.as_str())
                .header("accept", "text/html")
                .body(Body::empty())
                .map_err(io::Error::other)?;
            let start = std::time::Instant::now();
            let response = app
                .clone()
                .oneshot(request)
                .await
                .map_err(io::Error::other)?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(io::Error::other)?;
            samples.push(start.elapsed());
            if status != 200 {
                return Err(io::Error::other(format!("GET {path}: status {status}")));
            }
            bytes += body.to_bytes().len() as u64;
        }
        let summary = Summary::of(&mut samples)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no requests"))?;
        Ok((summary, bytes))
    })
}
