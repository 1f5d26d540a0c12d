//! The one way tests build and call the application.

#![allow(dead_code)]

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use yici_server::{AppState, Clock, app};
use yici_store::{ConnectOptions, Store};

/// The application on the demo catalog, called in-process.
pub struct TestApp {
    router: Router,
    /// The state, for tests that look behind the API.
    pub state: AppState,
    _dir: Option<tempfile::TempDir>,
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The Content-Type header.
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl TestApp {
    /// Builds the app on the repository's demo catalog, a fresh SQLite
    /// store and the system clock.
    pub async fn demo() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::connect(
            &yici_store::sqlite_url(dir.path()),
            &ConnectOptions::default(),
        )
        .await
        .expect("store");
        Self::build(store, Clock::System, Some(dir)).await
    }

    /// Builds the app on the demo catalog with `store` and `clock`, and
    /// seeds the demo users.
    pub async fn build(store: Store, clock: Clock, dir: Option<tempfile::TempDir>) -> Self {
        let catalog_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
        let catalog = yici_catalog::load_dir(&catalog_dir).expect("demo catalog loads");
        let state = AppState::new(catalog, store, clock).expect("state");
        yici_server::demo::seed(&state).await.expect("demo users");
        TestApp {
            router: app(state.clone()),
            state,
            _dir: dir,
        }
    }

    /// Sends a request.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// GET `uri`.
    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    /// GET `uri` with one header.
    pub async fn get_with(&self, uri: &str, name: &str, value: &str) -> Reply {
        self.send(
            Request::get(uri)
                .header(name, value)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }
}

/// Asserts an RFC 9457 problem with `status`, and for validation problems
/// the field it names; returns the problem.
pub fn assert_problem(reply: &Reply, status: u16, field: Option<&str>) -> serde_json::Value {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.body);
    assert_eq!(reply.content_type(), "application/problem+json");
    let p = reply.json();
    assert_eq!(p["status"], status);
    assert!(
        p["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("/problems/")),
        "{p}"
    );
    if let Some(field) = field {
        assert_eq!(p["errors"][0]["field"], field, "{p}");
        assert!(
            p["errors"][0]["rule"]
                .as_str()
                .is_some_and(|r| !r.is_empty())
        );
    }
    p
}
