//! The application with departments' webhooks, a fixed clock, and a local
//! receiver playing a department's own system: shared by the worker tests.

#![allow(dead_code, unused_imports, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;
use yici_core::catalog::{DepartmentCode, OneThingCode};
use yici_service::webhook::{self, verify_signature};
use yici_service::workers::{self as worker, Courier, deadline_pass, delivery_pass};
use yici_service::{Clock, Webhook};
use yici_store::Store;

use super::{Reply, TestApp, form_for, pg_store, zhang_san};

/// The day the karaoke case is accepted: the eve of the National Day
/// holiday (2026-10-01 to 10-07, with Saturday 10-10 worked in exchange).
pub const ACCEPTED: OffsetDateTime = datetime!(2026-09-30 09:00 +08:00);

/// The secret every test webhook shares with yici.
pub const SECRET: &str = "whsec-test";

// ---------------------------------------------------------------------------
// The application with webhooks. `support::TestApp` builds its state without
// webhooks, so this wraps the same pieces with them.

/// The app on the demo catalog with departments' webhooks and a fixed clock.
pub struct Hall {
    pub app: TestApp,
    pub service: yici_service::Service,
    pub store: Store,
    pub clock: Clock,
}

impl Hall {
    pub async fn sqlite(webhooks: BTreeMap<DepartmentCode, Webhook>) -> Hall {
        let (store, dir) = super::sqlite_store().await;
        Hall::build(store, webhooks, Some(dir)).await
    }

    pub async fn postgres(webhooks: BTreeMap<DepartmentCode, Webhook>) -> Hall {
        Hall::build(pg_store().await, webhooks, None).await
    }

    pub async fn build(
        store: Store,
        webhooks: BTreeMap<DepartmentCode, Webhook>,
        dir: Option<tempfile::TempDir>,
    ) -> Hall {
        let clock = Clock::fixed(ACCEPTED);
        let app = TestApp::build_with_webhooks(store, clock.clone(), webhooks, dir).await;
        Hall {
            service: app.service().clone(),
            store: app.store.clone(),
            app,
            clock,
        }
    }

    pub async fn json(&self, method: &str, uri: &str, token: &str, body: Value) -> Reply {
        self.app.json(method, uri, Some(token), body, &[]).await
    }

    pub async fn login(&self, username: &str) -> String {
        self.app.login(username).await
    }

    /// GET /api/v1/cases/{id} as the clerk.
    pub async fn case(&self, id: &str) -> Value {
        let clerk = self.login("clerk").await;
        let r = self
            .app
            .get_as(&format!("/api/v1/cases/{id}"), &clerk)
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }

    /// A karaoke case entered at a window for 张三 and accepted on the
    /// clock's day; returns its id.
    pub async fn accepted_karaoke(&self) -> String {
        let clerk = self.login("clerk").await;
        let code = OneThingCode::parse("ot-karaoke").expect("code");
        let form = form_for(&self.app.plan(&code).form);
        let r = self
            .json(
                "POST",
                "/api/v1/cases",
                &clerk,
                json!({
                    "one_thing": "ot-karaoke",
                    "channel": "window",
                    "applicant": {"kind": "person", "resident_id": zhang_san(), "name": "张三", "region": "330212"},
                    "form": form,
                }),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.json()["id"].as_str().expect("id").to_owned();
        let r = self
            .json(
                "POST",
                &format!("/api/v1/cases/{id}/accept"),
                &clerk,
                json!({"version": 1}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        id
    }

    /// Moves the clock to 09:00 on `day` (China).
    pub fn set_day(&self, day: OffsetDateTime) {
        self.clock.set(day);
    }

    /// One deadline pass by worker "a".
    pub async fn deadline_pass(&self) -> worker::PassReport {
        deadline_pass(&self.service, "a", 10).await.expect("pass")
    }

    /// One delivery pass by worker "a".
    pub async fn delivery_pass(&self) -> worker::DeliveryReport {
        let courier = Courier::new().expect("client");
        delivery_pass(&self.service, &courier, "a", 10)
            .await
            .expect("pass")
    }
}

/// Runs a test body on SQLite and on PostgreSQL: `on_both!(name, hooks,
/// |hall: Hall, receiver: Receiver| async move { ... })`, where `hooks`
/// lists the departments whose webhook goes to `receiver`, which fails its
/// first `fail_first` requests.
#[macro_export]
macro_rules! on_both {
    ($name:ident, departments = $depts:expr, fail_first = $fails:expr, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let receiver = Receiver::start($fails).await;
                let hall = Hall::sqlite(receiver.hooks(&$depts)).await;
                ($body)(hall, receiver).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let receiver = Receiver::start($fails).await;
                let hall = Hall::postgres(receiver.hooks(&$depts)).await;
                ($body)(hall, receiver).await;
            }
        }
    };
}

// ---------------------------------------------------------------------------
// A department's own system: a local receiver that checks signatures the way
// the documentation tells departments to.

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub content_type: String,
    pub timestamp: String,
    pub signature_valid: bool,
    pub event: Value,
    pub answered: u16,
}

#[derive(Default)]
pub struct Inbox {
    pub fail_left: AtomicU32,
    pub got: Mutex<Vec<Received>>,
}

pub struct Receiver {
    pub addr: SocketAddr,
    pub inbox: Arc<Inbox>,
}

impl Receiver {
    /// Listens on 127.0.0.1:0; answers 500 to the first `fail_first`
    /// requests, then 200 to every validly signed one.
    pub async fn start(fail_first: u32) -> Receiver {
        let inbox = Arc::new(Inbox {
            fail_left: AtomicU32::new(fail_first),
            got: Mutex::new(Vec::new()),
        });
        let router = Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(inbox.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        Receiver { addr, inbox }
    }

    /// Webhooks of `departments`, all to this receiver.
    pub fn hooks(&self, departments: &[&str]) -> BTreeMap<DepartmentCode, Webhook> {
        departments
            .iter()
            .map(|d| {
                let hook = Webhook {
                    url: format!("http://{}/hook", self.addr),
                    secret: SECRET.to_owned(),
                };
                (DepartmentCode::parse(d).expect("code"), hook)
            })
            .collect()
    }

    pub fn got(&self) -> Vec<Received> {
        self.inbox.got.lock().expect("lock").clone()
    }
}

pub async fn receive(
    State(inbox): State<Arc<Inbox>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let timestamp = header(webhook::TIMESTAMP_HEADER);
    let signature_valid = verify_signature(
        SECRET,
        &timestamp,
        &body,
        &header(webhook::SIGNATURE_HEADER),
    );
    let failing = inbox
        .fail_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let status = if !signature_valid {
        StatusCode::UNAUTHORIZED
    } else if failing {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    };
    // Two workers deliver at once in some tests: let their requests overlap.
    tokio::time::sleep(Duration::from_millis(10)).await;
    inbox.got.lock().expect("lock").push(Received {
        content_type: header("content-type"),
        timestamp,
        signature_valid,
        event: serde_json::from_slice(&body).unwrap_or(Value::Null),
        answered: status.as_u16(),
    });
    status
}

// ---------------------------------------------------------------------------
// Reading cases.

/// The task of `department` in a case's JSON.
pub fn task<'a>(case: &'a Value, department: &str) -> &'a Value {
    case["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| t["department"] == department)
        .unwrap_or_else(|| panic!("no {department} task"))
}

/// The events of `kind` about the task of `department`.
pub fn task_events<'a>(case: &'a Value, department: &str, kind: &str) -> Vec<&'a Value> {
    let id = task(case, department)["id"].clone();
    case["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == kind && e["data"]["task"] == id)
        .collect()
}

pub fn all_events(case: &Value, kind: &str) -> usize {
    case["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == kind)
        .count()
}
