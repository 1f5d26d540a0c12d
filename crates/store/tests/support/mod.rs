//! Shared fixtures of the store tests: a fresh store per test on each
//! backend, and one way to build a case.

#![allow(dead_code)]

use serde_json::json;
use time::Date;
use time::macros::date;
use uuid::Uuid;
use yici_core::calendar::WorkingDays;
use yici_core::case::{
    Actor, Applicant, Case, CaseId, Channel, Event, Role, Target, TaskId, TaskSpec,
};
use yici_core::catalog::{DepartmentCode, MatterCode, OneThingCode, WindowCode};
use yici_core::identifier::{RegionCode, ResidentId};
use yici_store::{ConnectOptions, Store};

/// Where the PostgreSQL tests connect. A missing server fails the tests:
/// every storage test runs on both backends or the suite is red.
pub fn pg_url() -> String {
    std::env::var("YICI_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A store on a fresh SQLite file; keep the TempDir alive.
pub async fn sqlite() -> (Store, Option<tempfile::TempDir>) {
    let (store, _, dir) = sqlite_with_url().await;
    (store, dir)
}

/// A store on a fresh SQLite file, with its URL for direct tampering.
pub async fn sqlite_with_url() -> (Store, Raw, Option<tempfile::TempDir>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = yici_store::sqlite_url(dir.path());
    let store = Store::connect(&url, &ConnectOptions::default())
        .await
        .expect("SQLite store");
    (store, Raw { url, schema: None }, Some(dir))
}

/// A store on PostgreSQL, with its URL and schema for direct tampering.
pub async fn postgres_with_url() -> (Store, Raw, Option<tempfile::TempDir>) {
    let schema = format!("yt_{}", Uuid::new_v4().simple());
    let options = ConnectOptions {
        schema: Some(schema.clone()),
        max_connections: Some(4),
    };
    let store = Store::connect(&pg_url(), &options)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL is required ({}): {e}", pg_url()));
    (
        store,
        Raw {
            url: pg_url(),
            schema: Some(schema),
        },
        None,
    )
}

/// Direct access to a store's database, bypassing the store: what an
/// attacker with database access could do.
pub struct Raw {
    url: String,
    schema: Option<String>,
}

impl Raw {
    async fn connect(&self) -> sqlx::AnyConnection {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("raw connection");
        if let Some(s) = &self.schema {
            sqlx::query(&format!("SET search_path TO \"{s}\""))
                .execute(&mut conn)
                .await
                .expect("schema");
        }
        conn
    }

    /// Whether this is the PostgreSQL database (else SQLite).
    pub fn is_postgres(&self) -> bool {
        self.schema.is_some()
    }

    /// A second store on the same database: another server.
    pub async fn store(&self) -> Store {
        let options = ConnectOptions {
            schema: self.schema.clone(),
            max_connections: Some(4),
        };
        Store::connect(&self.url, &options)
            .await
            .expect("second store")
    }

    /// Runs one SQL statement.
    pub async fn exec(&self, sql: &str) {
        sqlx::query(sql)
            .execute(&mut self.connect().await)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Runs one query returning a single integer.
    pub async fn int(&self, sql: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sql)
            .fetch_one(&mut self.connect().await)
            .await
            .and_then(|r| r.try_get::<i64, _>(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// Runs an async test body once per backend with raw database access.
#[macro_export]
macro_rules! both_raw {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let (store, raw, _dir) = support::sqlite_with_url().await;
                ($body)(store, raw).await;
            }

            #[tokio::test]
            async fn postgres() {
                let (store, raw, _dir) = support::postgres_with_url().await;
                ($body)(store, raw).await;
            }
        }
    };
}

/// A store on PostgreSQL in a schema of its own.
pub async fn postgres() -> (Store, Option<tempfile::TempDir>) {
    let schema = format!("yt_{}", Uuid::new_v4().simple());
    let options = ConnectOptions {
        schema: Some(schema),
        max_connections: Some(4),
    };
    let store = Store::connect(&pg_url(), &options).await.unwrap_or_else(|e| {
        panic!(
            "PostgreSQL is required for the storage tests ({}): {e}; run scripts/test, which starts it",
            pg_url()
        )
    });
    (store, None)
}

/// Runs an async test body once per backend.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let (store, _dir) = support::sqlite().await;
                ($body)(store).await;
            }

            #[tokio::test]
            async fn postgres() {
                let (store, _dir) = support::postgres().await;
                ($body)(store).await;
            }
        }
    };
}

pub const TODAY: Date = date!(2026 - 09 - 30);

pub fn clerk() -> Actor {
    Actor {
        user: "clerk-1".into(),
        role: Role::Clerk,
    }
}

pub fn reviewer() -> Actor {
    Actor {
        user: "reviewer-1".into(),
        role: Role::Reviewer,
    }
}

fn spec(n: u128, matter: &str, department: &str, stage: usize, depends_on: &[&str]) -> TaskSpec {
    TaskSpec {
        id: TaskId::from_uuid(Uuid::from_u128(n)),
        matter: MatterCode::parse(matter).expect("matter"),
        department: DepartmentCode::parse(department).expect("department"),
        stage,
        depends_on: depends_on
            .iter()
            .map(|m| MatterCode::parse(m).expect("matter"))
            .collect(),
        promised_limit: WorkingDays::new(5).expect("days"),
        rule_decidable: false,
    }
}

/// A window case of two stages: a licence, then a fire check, by a person
/// of 鄞州区.
pub fn window_case() -> (Case, Vec<Event>) {
    let id = CaseId::from_uuid(Uuid::now_v7());
    let base = id.as_uuid().as_u128();
    Case::submit(
        id,
        Applicant::Person {
            resident_id: ResidentId::parse("11010519491231002X").expect("id"),
            name: "张三".into(),
            region: RegionCode::parse("330212").expect("region"),
        },
        Target::OneThing(OneThingCode::parse("ot-shop").expect("code")),
        Channel::Window {
            window: WindowCode::parse("w-commerce").expect("window"),
        },
        json!({"enterprise.name": "三味小馆"}),
        vec![
            spec(base ^ 1, "M-LICENCE", "scjg", 1, &[]),
            spec(base ^ 2, "M-FIRE", "xf", 2, &["M-LICENCE"]),
        ],
        1,
        TODAY,
        &clerk(),
    )
    .expect("submit")
}

/// A window case written and accepted: its tasks are open.
pub async fn accepted_case(store: &Store) -> Case {
    use yici_core::calendar::Calendar;
    use yici_core::case::{Action, apply};
    let (case, events) = window_case();
    store
        .insert_case(&case, "u", &events, &[], None, now())
        .await
        .expect("insert");
    let t = apply(&case, Action::Accept, &clerk(), TODAY, Calendar::official()).expect("accept");
    store
        .update_case(&t.case, case.version, &t.events, &[], now())
        .await
        .expect("update");
    t.case
}

/// The applicant's granted consent `id` to reads for `case_id`, with its
/// event.
pub fn granted_consent(
    id: &str,
    case_id: &str,
) -> (
    yici_store::exchange::Consent,
    yici_store::exchange::SideEvent,
) {
    let consent = yici_store::exchange::Consent {
        id: id.to_owned(),
        case_id: case_id.to_owned(),
        subject: "330212199001011234".into(),
        scope: "[]".into(),
        status: "granted".into(),
        decided_ms: now(),
        expires_ms: now() + 86_400_000,
    };
    let event = yici_store::exchange::SideEvent {
        kind: yici_core::case::EventKind::ConsentGranted,
        actor: "applicant".into(),
        role: Role::Applicant,
        on: TODAY,
        data: json!({}),
    };
    (consent, event)
}

pub fn now() -> i64 {
    1_790_000_000_000
}
