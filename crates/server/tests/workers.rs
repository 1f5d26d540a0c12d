//! The background workers: yellow and red cards on time limits counted in
//! working days, and signed CloudEvents delivered to departments' webhooks
//! with retries — each on SQLite and PostgreSQL, with a fixed clock moved
//! by hand, and with two workers at once.

mod support;

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
use yici_server::webhook::{self, verify_signature};
use yici_server::worker::{self, Courier, deadline_pass, delivery_pass};
use yici_server::{AppState, Clock, Webhook};
use yici_store::{ConnectOptions, Store};

use support::{Reply, TestApp, form_for, pg_store, zhang_san};

/// The day the karaoke case is accepted: the eve of the National Day
/// holiday (2026-10-01 to 10-07, with Saturday 10-10 worked in exchange).
const ACCEPTED: OffsetDateTime = datetime!(2026-09-30 09:00 +08:00);

/// The secret every test webhook shares with yici.
const SECRET: &str = "whsec-test";

// ---------------------------------------------------------------------------
// The application with webhooks. `support::TestApp` builds its state without
// webhooks, so this wraps the same pieces with them.

/// The app on the demo catalog with departments' webhooks and a fixed clock.
struct Hall {
    app: TestApp,
    state: AppState,
    clock: Clock,
}

impl Hall {
    async fn sqlite(webhooks: BTreeMap<DepartmentCode, Webhook>) -> Hall {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::connect(
            &yici_store::sqlite_url(dir.path()),
            &ConnectOptions::default(),
        )
        .await
        .expect("store");
        Hall::build(store, webhooks, Some(dir)).await
    }

    async fn postgres(webhooks: BTreeMap<DepartmentCode, Webhook>) -> Hall {
        Hall::build(pg_store().await, webhooks, None).await
    }

    async fn build(
        store: Store,
        webhooks: BTreeMap<DepartmentCode, Webhook>,
        dir: Option<tempfile::TempDir>,
    ) -> Hall {
        let clock = Clock::fixed(ACCEPTED);
        let app = TestApp::build_with_webhooks(store, clock.clone(), webhooks, dir).await;
        Hall {
            state: app.state.clone(),
            app,
            clock,
        }
    }

    async fn json(&self, method: &str, uri: &str, token: &str, body: Value) -> Reply {
        self.app.json(method, uri, Some(token), body, &[]).await
    }

    async fn login(&self, username: &str) -> String {
        self.app.login(username).await
    }

    /// GET /api/v1/cases/{id} as the clerk.
    async fn case(&self, id: &str) -> Value {
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
    async fn accepted_karaoke(&self) -> String {
        let clerk = self.login("clerk").await;
        let code = OneThingCode::parse("ot-karaoke").expect("code");
        let form = form_for(&self.state.plan(&code).expect("plan").form);
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
    fn set_day(&self, day: OffsetDateTime) {
        self.clock.set(day);
    }

    /// One deadline pass by worker "a".
    async fn deadline_pass(&self) -> worker::PassReport {
        deadline_pass(&self.state, "a", 10).await.expect("pass")
    }

    /// One delivery pass by worker "a".
    async fn delivery_pass(&self) -> worker::DeliveryReport {
        let courier = Courier::new().expect("client");
        delivery_pass(&self.state, &courier, "a", 10)
            .await
            .expect("pass")
    }
}

/// Runs a test body on SQLite and on PostgreSQL: `on_both!(name, hooks,
/// |hall: Hall, receiver: Receiver| async move { ... })`, where `hooks`
/// lists the departments whose webhook goes to `receiver`, which fails its
/// first `fail_first` requests.
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
struct Received {
    content_type: String,
    timestamp: String,
    signature_valid: bool,
    event: Value,
    answered: u16,
}

#[derive(Default)]
struct Inbox {
    fail_left: AtomicU32,
    got: Mutex<Vec<Received>>,
}

struct Receiver {
    addr: SocketAddr,
    inbox: Arc<Inbox>,
}

impl Receiver {
    /// Listens on 127.0.0.1:0; answers 500 to the first `fail_first`
    /// requests, then 200 to every validly signed one.
    async fn start(fail_first: u32) -> Receiver {
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
    fn hooks(&self, departments: &[&str]) -> BTreeMap<DepartmentCode, Webhook> {
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

    fn got(&self) -> Vec<Received> {
        self.inbox.got.lock().expect("lock").clone()
    }
}

async fn receive(State(inbox): State<Arc<Inbox>>, headers: HeaderMap, body: Bytes) -> StatusCode {
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
fn task<'a>(case: &'a Value, department: &str) -> &'a Value {
    case["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| t["department"] == department)
        .unwrap_or_else(|| panic!("no {department} task"))
}

/// The events of `kind` about the task of `department`.
fn task_events<'a>(case: &'a Value, department: &str, kind: &str) -> Vec<&'a Value> {
    let id = task(case, department)["id"].clone();
    case["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == kind && e["data"]["task"] == id)
        .collect()
}

fn all_events(case: &Value, kind: &str) -> usize {
    case["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == kind)
        .count()
}

// ---------------------------------------------------------------------------
// Deadlines.

on_both!(
    task_accepted_before_national_day_gets_yellow_at_80_percent_and_red_after_its_deadline,
    departments = [],
    fail_first = 0,
    |hall: Hall, _receiver: Receiver| async move {
        let id = hall.accepted_karaoke().await;
        // 10 working days after 09-30: the holiday does not count, the
        // adjusted Saturday 10-10 does.
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["deadline"], "2026-10-20");
        assert_eq!(task(&case, "sthj")["promised_limit"], 10);

        // 10-15: 7 of 10 working days used, no card yet.
        hall.set_day(datetime!(2026-10-15 09:00 +08:00));
        let report = hall.deadline_pass().await;
        assert_eq!(report.checked, 1);
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["flag"], "none");
        assert!(task_events(&case, "sthj", "deadline_warning").is_empty());

        // 10-16: 8 of 10 used, yellow.
        hall.set_day(datetime!(2026-10-16 09:00 +08:00));
        hall.deadline_pass().await;
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["flag"], "warning");
        let warnings = task_events(&case, "sthj", "deadline_warning");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0]["actor"], "system");
        assert_eq!(warnings[0]["role"], "system");
        assert_eq!(warnings[0]["on"], "2026-10-16");
        assert_eq!(warnings[0]["data"]["deadline"], "2026-10-20");

        // 10-20, the last day: still yellow. 10-21: red.
        hall.set_day(datetime!(2026-10-20 09:00 +08:00));
        hall.deadline_pass().await;
        assert_eq!(task(&hall.case(&id).await, "sthj")["flag"], "warning");
        hall.set_day(datetime!(2026-10-21 09:00 +08:00));
        hall.deadline_pass().await;
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["flag"], "overdue");
        let overdue = task_events(&case, "sthj", "deadline_overdue");
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0]["on"], "2026-10-21");
        assert_eq!(task_events(&case, "sthj", "deadline_warning").len(), 1);
    }
);

on_both!(
    second_pass_the_same_day_records_nothing_twice,
    departments = [],
    fail_first = 0,
    |hall: Hall, _receiver: Receiver| async move {
        let id = hall.accepted_karaoke().await;
        hall.set_day(datetime!(2026-10-16 09:00 +08:00));
        let first = hall.deadline_pass().await;
        // The first stage: scjg (1 day) is red, sthj (10 days) yellow.
        assert_eq!((first.checked, first.events), (1, 2), "{first:?}");
        let before = hall.case(&id).await;

        let again = hall.deadline_pass().await;
        assert_eq!(
            again,
            worker::PassReport::default(),
            "checked today already"
        );

        // A change clears the day's check: the case is judged again and the
        // cards it already has are not raised twice.
        let reviewer = hall.login("reviewer-scjg").await;
        let scjg = task(&before, "scjg")["id"].as_str().expect("id").to_owned();
        let r = hall
            .json(
                "POST",
                &format!("/api/v1/tasks/{scjg}/decision"),
                &reviewer,
                json!({"outcome": "approve"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let third = hall.deadline_pass().await;
        assert_eq!((third.checked, third.events), (1, 0), "{third:?}");
        let after = hall.case(&id).await;
        for kind in ["deadline_warning", "deadline_overdue"] {
            assert_eq!(
                all_events(&after, kind),
                all_events(&before, kind),
                "{kind}"
            );
        }
    }
);

on_both!(
    supplement_pause_moves_the_deadline,
    departments = [],
    fail_first = 0,
    |hall: Hall, _receiver: Receiver| async move {
        let id = hall.accepted_karaoke().await;
        let case = hall.case(&id).await;
        let sthj = task(&case, "sthj")["id"].as_str().expect("id").to_owned();

        hall.set_day(datetime!(2026-10-08 09:00 +08:00));
        let reviewer = hall.login("reviewer-sthj").await;
        let r = hall
            .json(
                "POST",
                &format!("/api/v1/tasks/{sthj}/decision"),
                &reviewer,
                json!({"outcome": "supplement", "materials": ["eia_report_form"], "comment": "环评登记表缺少签章"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);

        // Four working days later (10-09, 10-10, 10-12, 10-13) the applicant
        // brings it: the task's deadline moves by those four.
        hall.set_day(datetime!(2026-10-13 09:00 +08:00));
        let version = hall.case(&id).await["version"].as_u64().expect("version");
        let applicant = hall.login("applicant").await;
        let r = hall
            .json(
                "POST",
                &format!("/api/v1/cases/{id}/supplement"),
                &applicant,
                json!({"version": version}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["deadline"], "2026-10-26");
        assert_eq!(task(&case, "sthj")["paused_working_days"], 4);

        // Without the pause 10-16 would be yellow; now it is 10-22.
        hall.set_day(datetime!(2026-10-16 09:00 +08:00));
        hall.deadline_pass().await;
        assert_eq!(task(&hall.case(&id).await, "sthj")["flag"], "none");
        hall.set_day(datetime!(2026-10-22 09:00 +08:00));
        hall.deadline_pass().await;
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["flag"], "warning");
        assert_eq!(
            task_events(&case, "sthj", "deadline_warning")[0]["data"]["deadline"],
            "2026-10-26"
        );
    }
);

// ---------------------------------------------------------------------------
// Webhooks.

on_both!(
    opened_task_reaches_its_department_as_a_signed_cloudevent,
    departments = ["sthj"],
    fail_first = 0,
    |hall: Hall, receiver: Receiver| async move {
        let id = hall.accepted_karaoke().await;
        let report = hall.delivery_pass().await;
        assert_eq!((report.delivered, report.failed), (1, 0), "{report:?}");

        let got = receiver.got();
        assert_eq!(got.len(), 1);
        let r = &got[0];
        assert_eq!(
            r.content_type,
            "application/cloudevents+json; charset=utf-8"
        );
        assert!(r.signature_valid);
        assert_eq!(r.timestamp, ACCEPTED.unix_timestamp().to_string());
        let e = &r.event;
        assert_eq!(e["specversion"], "1.0");
        assert_eq!(e["type"], "cn.yici.task.opened");
        assert!(e["id"].as_str().is_some_and(|s| !s.is_empty()), "{e}");
        assert_eq!(e["source"], format!("/yici/cases/{id}"));
        let case = hall.case(&id).await;
        assert_eq!(e["data"]["task_id"], task(&case, "sthj")["id"]);
        assert_eq!(e["data"]["department"], "sthj");

        assert_eq!(
            hall.delivery_pass().await,
            worker::DeliveryReport::default()
        );
        assert_eq!(receiver.got().len(), 1, "delivered once");
    }
);

on_both!(
    failing_receiver_gets_the_message_again_after_back_off,
    departments = ["sthj"],
    fail_first = 2,
    |hall: Hall, receiver: Receiver| async move {
        hall.accepted_karaoke().await;
        let at = |secs: i64| ACCEPTED + time::Duration::seconds(secs);

        let first = hall.delivery_pass().await;
        assert_eq!((first.delivered, first.failed), (0, 1));
        // The first retry waits 5 s, less up to a fifth of jitter.
        hall.clock.set(at(3));
        assert_eq!(
            hall.delivery_pass().await,
            worker::DeliveryReport::default()
        );
        hall.clock.set(at(5));
        let second = hall.delivery_pass().await;
        assert_eq!((second.delivered, second.failed), (0, 1));
        // The second waits twice as long: 8 to 10 s.
        hall.clock.set(at(5 + 7));
        assert_eq!(
            hall.delivery_pass().await,
            worker::DeliveryReport::default()
        );
        hall.clock.set(at(5 + 10));
        let third = hall.delivery_pass().await;
        assert_eq!((third.delivered, third.failed), (1, 0));
        hall.clock.set(at(2 * 3600));
        assert_eq!(
            hall.delivery_pass().await,
            worker::DeliveryReport::default()
        );

        let got = receiver.got();
        let answers: Vec<u16> = got.iter().map(|r| r.answered).collect();
        assert_eq!(answers, [500, 500, 200]);
        assert!(got.iter().all(|r| r.signature_valid));
        assert!(
            got.iter().all(|r| r.event["id"] == got[0].event["id"]),
            "the same message each time"
        );
        assert_eq!(got[2].timestamp, at(5 + 10).unix_timestamp().to_string());
    }
);

on_both!(
    department_without_a_webhook_gets_no_message,
    departments = ["sthj"],
    fail_first = 0,
    |hall: Hall, receiver: Receiver| async move {
        let id = hall.accepted_karaoke().await;
        // The first stage (scjg, sthj) decided opens the second (xf, wjw,
        // wglj), whose departments have no webhooks.
        let case = hall.case(&id).await;
        for d in ["scjg", "sthj"] {
            let t = task(&case, d)["id"].as_str().expect("id").to_owned();
            let reviewer = hall.login(&format!("reviewer-{d}")).await;
            let r = hall
                .json(
                    "POST",
                    &format!("/api/v1/tasks/{t}/decision"),
                    &reviewer,
                    json!({"outcome": "approve"}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        let case = hall.case(&id).await;
        for d in ["xf", "wjw", "wglj"] {
            assert_eq!(task(&case, d)["state"], "open", "{d}");
        }

        let report = hall.delivery_pass().await;
        assert_eq!(
            (report.delivered, report.failed),
            (1, 0),
            "nothing else is queued"
        );
        let departments: Vec<Value> = receiver
            .got()
            .iter()
            .map(|r| r.event["data"]["department"].clone())
            .collect();
        assert_eq!(departments, [json!("sthj")]);
    }
);

// ---------------------------------------------------------------------------
// Several servers.

on_both!(
    two_workers_deliver_every_message_exactly_once,
    departments = ["scjg", "sthj"],
    fail_first = 0,
    |hall: Hall, receiver: Receiver| async move {
        // Two tasks open per case, each announced to its department.
        for _ in 0..8 {
            hall.accepted_karaoke().await;
        }
        let courier = Courier::new().expect("client");
        let (a, b) = tokio::join!(
            delivery_pass(&hall.state, &courier, "server-a", 3),
            delivery_pass(&hall.state, &courier, "server-b", 3),
        );
        let (a, b) = (a.expect("a"), b.expect("b"));
        assert_eq!(a.delivered + b.delivered, 16, "{a:?} {b:?}");
        assert_eq!(a.failed + b.failed, 0);

        let got = receiver.got();
        assert_eq!(got.len(), 16, "no message sent twice");
        let ids: std::collections::BTreeSet<String> = got
            .iter()
            .map(|r| r.event["id"].as_str().expect("id").to_owned())
            .collect();
        assert_eq!(ids.len(), 16);
    }
);

on_both!(
    two_workers_record_every_deadline_event_once,
    departments = [],
    fail_first = 0,
    |hall: Hall, _receiver: Receiver| async move {
        let mut ids = Vec::new();
        for _ in 0..6 {
            ids.push(hall.accepted_karaoke().await);
        }
        hall.set_day(datetime!(2026-10-16 09:00 +08:00));
        let (a, b) = tokio::join!(
            deadline_pass(&hall.state, "server-a", 1),
            deadline_pass(&hall.state, "server-b", 1),
        );
        let (a, b) = (a.expect("a"), b.expect("b"));
        assert_eq!(
            a.checked + b.checked,
            6,
            "each case checked once: {a:?} {b:?}"
        );
        assert_eq!(
            a.events + b.events,
            6 * 2,
            "scjg red and sthj yellow in each"
        );
        assert_eq!(a.conflicts + b.conflicts, 0);
        for id in &ids {
            let case = hall.case(id).await;
            assert_eq!(task_events(&case, "scjg", "deadline_overdue").len(), 1);
            assert_eq!(task_events(&case, "sthj", "deadline_warning").len(), 1);
        }
    }
);

on_both!(
    workers_run_in_the_background_until_shut_down,
    departments = ["sthj"],
    fail_first = 0,
    |hall: Hall, receiver: Receiver| async move {
        hall.accepted_karaoke().await;
        let config = worker::WorkerConfig {
            deadline_interval: Duration::from_millis(50),
            delivery_interval: Duration::from_millis(50),
            ..worker::WorkerConfig::default()
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let workers = worker::spawn_workers(hall.state.clone(), config, async move {
            let _ = stopped.await;
        })
        .expect("workers");
        let today = hall.clock.today().to_string();
        let store = hall.state.store();
        for _ in 0..100 {
            let due = store.deadline_checks_due(&today).await.expect("count");
            if !receiver.got().is_empty() && due == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(receiver.got().len(), 1, "delivered in the background");
        let due = store.deadline_checks_due(&today).await.expect("count");
        assert_eq!(due, 0, "checked in the background");
        stop.send(()).expect("workers listen");
        tokio::time::timeout(Duration::from_secs(15), workers)
            .await
            .expect("workers stop")
            .expect("no panic");
    }
);
