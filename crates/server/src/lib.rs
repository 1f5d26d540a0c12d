//! yici's web: the JSON API under `/api/v1` with its OpenAPI document, and
//! the server-rendered pages, built once by [`app`] for both `main` and the
//! tests. Thin by design: a handler parses the request, calls one use case
//! of `yici_service`, and renders what it answers; errors become statuses
//! in one place ([`problem`]).

pub mod api;
pub mod auth;
pub mod i18n;
pub mod pages;
pub mod params;
pub mod problem;
pub mod state;
pub mod verify_page;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_http::trace::TraceLayer;

pub use state::AppState;

/// Largest request body read at all; JSON bodies are held to
/// [`api::body::MAX_JSON_BYTES`] with a problem+json answer.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole application: API, pages and their shared state.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .merge(verify_page::router())
        .fallback(fallback)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Unknown paths: problem+json under `/api`, a page elsewhere.
async fn fallback(request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/api/") {
        return problem::problem_response(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            format!("no endpoint at {path}"),
            vec![],
        );
    }
    let (mut parts, _) = request.into_parts();
    let c = match <pages::Chrome as axum::extract::FromRequestParts<()>>::from_request_parts(
        &mut parts,
        &(),
    )
    .await
    {
        Ok(c) => c,
        Err(never) => match never {},
    };
    pages::not_found(c).into_response()
}

/// Serves `app` on `addr` until Ctrl-C or SIGTERM.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(address = %listener.local_addr()?, "yici listening");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown())
        .await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
