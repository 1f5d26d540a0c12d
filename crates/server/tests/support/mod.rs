//! The one way tests build and call the application.

#![allow(dead_code)]

mod cases;
pub mod certificates;
pub mod exchange;
pub mod hall;
pub mod materials;
pub mod pages;
pub mod parcels;
pub mod payments;
pub mod refusal;
pub mod smtp;

// Each test file uses some of these.
#[allow(unused_imports)]
pub use cases::{
    approve_and_issue, form_for, karaoke_form, start_company, window_karaoke, withdraw, zhang_san,
};

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use yici_server::{AppState, app};
use yici_service::{Clock, Service, Settings, Webhook};
use yici_store::{ConnectOptions, Store};

/// The seed of the sandbox payment provider's key in tests, so that a test
/// can sign a notice as the provider would.
pub const SANDBOX_SEED: [u8; 32] = [5; 32];
/// The sandbox carrier's key seed in tests.
pub const CARRIER_SEED: [u8; 32] = [6; 32];
/// The sandbox carrier's step in tests: a minute.
pub const CARRIER_STEP_MS: i64 = 60_000;

/// The application on the demo catalog, called in-process.
pub struct TestApp {
    router: Router,
    /// The web state, with the application in it.
    pub state: AppState,
    /// The store, for tests that look behind the use cases.
    pub store: Store,
    /// Where the sealed documents are kept.
    pub documents: tempfile::TempDir,
    _dir: Option<tempfile::TempDir>,
}

/// Where PostgreSQL tests connect.
pub fn pg_url() -> String {
    std::env::var("YICI_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A store on a fresh PostgreSQL schema.
pub async fn pg_store() -> Store {
    let options = ConnectOptions {
        schema: Some(format!("yt_{}", uuid::Uuid::new_v4().simple())),
        max_connections: Some(8),
    };
    Store::connect(&pg_url(), &options)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is required at {} ({e}); run scripts/test",
                pg_url()
            )
        })
}

/// Runs an async test body once on SQLite and once on PostgreSQL, each on
/// a fresh database with the system clock: `both!(name, |app: TestApp| async move { ... });`
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = support::TestApp::sqlite(yici_service::Clock::System).await;
                ($body)(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = support::TestApp::postgres(yici_service::Clock::System).await;
                ($body)(app).await;
            }
        }
    };
}

/// A store on a fresh SQLite file, and the folder that holds it.
pub async fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::connect(
        &yici_store::sqlite_url(dir.path()),
        &ConnectOptions::default(),
    )
    .await
    .expect("store");
    (store, dir)
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// A header's value, empty when absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

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

/// Documents kept in a fresh folder, and the folder.
fn folder_blobs() -> (yici_service::materials::Blobs, tempfile::TempDir) {
    let documents = tempfile::tempdir().expect("documents dir");
    let key = yici_materials::envelope::MasterKey::from_bytes([7; 32]);
    let blobs = yici_service::materials::Blobs::folder(documents.path(), key).expect("documents");
    (blobs, documents)
}

/// The repository's demo catalog.
pub fn demo_catalog() -> yici_core::catalog::Catalog {
    yici_catalog::load_dir(&demo_catalog_dir()).expect("demo catalog loads")
}

/// The folder of the repository's demo catalog.
pub fn demo_catalog_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog")
}

impl TestApp {
    /// The app on `catalog` (a changed copy of the demo's) and `calendar`,
    /// and a fresh store: PostgreSQL if `postgres`, else SQLite.
    pub async fn on_catalog(
        catalog: yici_core::catalog::Catalog,
        calendar: yici_core::calendar::Calendar,
        postgres: bool,
        clock: Clock,
    ) -> Self {
        let (store, dir) = if postgres {
            (pg_store().await, None)
        } else {
            let (store, dir) = sqlite_store().await;
            (store, Some(dir))
        };
        let (blobs, documents) = folder_blobs();
        let given = Settings {
            calendar,
            ..Settings::default()
        };
        Self::assemble(catalog, store, clock, given, (blobs, documents), dir).await
    }

    /// Builds the app on the repository's demo catalog, a fresh SQLite
    /// store and the system clock.
    pub async fn demo() -> Self {
        Self::sqlite(Clock::System).await
    }

    /// The app on a fresh PostgreSQL schema (127.0.0.1:5432 unless
    /// YICI_TEST_PG_URL says otherwise). A missing server fails the test.
    pub async fn postgres(clock: Clock) -> Self {
        Self::build(pg_store().await, clock, None).await
    }

    /// The app on a fresh SQLite file with `clock`.
    pub async fn sqlite(clock: Clock) -> Self {
        let (store, dir) = sqlite_store().await;
        Self::build(store, clock, Some(dir)).await
    }

    /// Builds the app on the demo catalog with `store` and `clock`, and
    /// seeds the demo users.
    pub async fn build(store: Store, clock: Clock, dir: Option<tempfile::TempDir>) -> Self {
        Self::build_with_webhooks(store, clock, std::collections::BTreeMap::new(), dir).await
    }

    /// As [`TestApp::build`], with departments' webhooks.
    pub async fn build_with_webhooks(
        store: Store,
        clock: Clock,
        webhooks: std::collections::BTreeMap<yici_core::catalog::DepartmentCode, Webhook>,
        dir: Option<tempfile::TempDir>,
    ) -> Self {
        let (blobs, documents) = folder_blobs();
        let given = Settings {
            webhooks,
            ..Settings::default()
        };
        Self::assemble(demo_catalog(), store, clock, given, (blobs, documents), dir).await
    }

    /// As [`TestApp::build`], e-mails sent through the SMTP server at `url`.
    pub async fn with_smtp(
        store: Store,
        clock: Clock,
        dir: Option<tempfile::TempDir>,
        url: &str,
    ) -> Self {
        let (blobs, documents) = folder_blobs();
        let senders = yici_service::notify::Senders {
            mail: Some(
                yici_service::notify::Mail::new(url, "一次 <noreply@yici.example.com>")
                    .expect("mail"),
            ),
            sms: yici_service::notify::Sms::Sandbox,
        };
        let given = Settings {
            senders,
            ..Settings::default()
        };
        Self::assemble(demo_catalog(), store, clock, given, (blobs, documents), dir).await
    }

    /// As [`TestApp::build`], the documents kept in `blobs` (an S3 store,
    /// say) instead of a folder.
    pub async fn with_blobs(
        store: Store,
        clock: Clock,
        blobs: yici_service::materials::Blobs,
        dir: Option<tempfile::TempDir>,
    ) -> Self {
        let documents = tempfile::tempdir().expect("documents dir");
        Self::assemble(
            demo_catalog(),
            store,
            clock,
            Settings::default(),
            (blobs, documents),
            dir,
        )
        .await
    }

    /// The app on `catalog` and `store`: `given` says the webhooks, the
    /// senders and the calendar; the rest is the tests' own.
    async fn assemble(
        catalog: yici_core::catalog::Catalog,
        store: Store,
        clock: Clock,
        given: Settings,
        (blobs, documents): (yici_service::materials::Blobs, tempfile::TempDir),
        dir: Option<tempfile::TempDir>,
    ) -> Self {
        // A real listener, so that what calls yici back over HTTP (the
        // sandbox provider's notices) reaches this app.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("address");
        let settings = Settings {
            public_url: format!("http://{addr}"),
            documents: Some(blobs),
            payments: yici_service::payments::Provider::sandbox(Some(SANDBOX_SEED)),
            carrier: yici_service::express::Carrier::sandbox(Some(CARRIER_SEED), CARRIER_STEP_MS),
            ..given
        };
        let service = Service::new(catalog, store.clone(), clock, settings).expect("service");
        yici_service::demo::seed_users(&service)
            .await
            .expect("demo users");
        let state = AppState::new(service);
        let router = app(state.clone());
        let served = router.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, served).await;
        });
        TestApp {
            router,
            state,
            store,
            documents,
            _dir: dir,
        }
    }

    /// The application behind the web.
    pub fn service(&self) -> &Service {
        self.state.service()
    }

    /// The plan of a one-thing, made at start.
    pub fn plan(&self, code: &yici_core::catalog::OneThingCode) -> &yici_catalog::Plan {
        self.service().one_thing_plan(code).expect("plan")
    }

    /// Loads the demo's data-set records.
    pub async fn seed_records(&self) -> usize {
        yici_service::demo::seed(self.service())
            .await
            .expect("demo records")
            .records
    }

    /// Signs `username` (password `demo`) in through the login page, as a
    /// browser does; the session token its cookie carries.
    pub async fn page_session(&self, username: &str) -> String {
        let r = self
            .send(
                Request::post("/login")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(format!("username={username}&password=demo")))
                    .expect("request"),
            )
            .await;
        assert_eq!(r.status, 303, "login {username}: {}", r.body);
        r.header("set-cookie")
            .strip_prefix("yici_session=")
            .and_then(|s| s.split(';').next())
            .expect("session cookie")
            .to_owned()
    }

    /// Sends a request.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        self.send_for_bytes(request).await.0
    }

    /// Sends a request; the reply with the body's bytes as well (a PDF is
    /// no UTF-8).
    pub async fn send_for_bytes(&self, request: Request<Body>) -> (Reply, Vec<u8>) {
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
        let reply = Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        (reply, bytes.to_vec())
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

impl TestApp {
    /// Sends a JSON request with an optional bearer token and extra headers.
    pub async fn json(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: serde_json::Value,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    /// The clerk `token` accepts a just-submitted case (version 1, If-Match).
    pub async fn accept_new(&self, token: &str, id: &str) -> Reply {
        self.json(
            "POST",
            &format!("/api/v1/cases/{id}/accept"),
            Some(token),
            serde_json::json!({}),
            &[("if-match", "\"1\"")],
        )
        .await
    }

    /// GET with a bearer token.
    pub async fn get_as(&self, uri: &str, token: &str) -> Reply {
        self.get_with(uri, "authorization", &format!("Bearer {token}"))
            .await
    }

    /// Signs in a demo user and returns the token.
    pub async fn login(&self, username: &str) -> String {
        let r = self
            .json(
                "POST",
                "/api/v1/sessions",
                None,
                serde_json::json!({"username": username, "password": "demo"}),
                &[],
            )
            .await;
        assert_eq!(r.status, 201, "login {username}: {}", r.body);
        r.json()["token"].as_str().expect("token").to_owned()
    }
}
