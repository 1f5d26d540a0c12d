//! `yici ledger verify` and `export` on a real data directory, with the
//! database tampered with directly.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;
use time::macros::date;
use uuid::Uuid;
use yici_core::calendar::WorkingDays;
use yici_core::case::{Actor, Applicant, Case, CaseId, Channel, Role, Target, TaskId, TaskSpec};
use yici_core::catalog::{DepartmentCode, MatterCode, OneThingCode, WindowCode};
use yici_core::identifier::{RegionCode, ResidentId};
use yici_ledger::TreeHead;
use yici_store::{ConnectOptions, Store};

fn yici(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yici"))
        .args(args)
        .output()
        .expect("yici runs")
}

/// A data directory with a signed log of a few cases and its key file.
async fn history(dir: &Path, cases: usize) {
    let store = Store::connect(&yici_store::sqlite_url(dir), &ConnectOptions::default())
        .await
        .expect("store");
    let clerk = Actor {
        user: "clerk".into(),
        role: Role::Clerk,
    };
    for _ in 0..cases {
        let id = CaseId::from_uuid(Uuid::now_v7());
        let (case, events) = Case::submit(
            id,
            Applicant::Person {
                resident_id: ResidentId::parse("11010519491231002X").expect("id"),
                name: "张三".into(),
                region: RegionCode::parse("330212").expect("region"),
            },
            Target::OneThing(OneThingCode::parse("ot-x").expect("code")),
            Channel::Window {
                window: WindowCode::parse("w").expect("window"),
            },
            json!({}),
            vec![TaskSpec {
                id: TaskId::from_uuid(Uuid::now_v7()),
                matter: MatterCode::parse("M").expect("m"),
                department: DepartmentCode::parse("d").expect("d"),
                stage: 1,
                depends_on: vec![],
                promised_limit: WorkingDays::new(3).expect("days"),
                rule_decidable: false,
            }],
            1,
            date!(2026 - 09 - 30),
            &clerk,
        )
        .expect("submit");
        store
            .insert_case(&case, "o", &events, &[], None, 1_790_000_000_000)
            .await
            .expect("insert");
    }
    let key = dir.join("ledger.key");
    if !key.exists() {
        std::fs::write(&key, hex::encode([5u8; 32])).expect("key");
    }
    let signer = yici_ledger::LogSigner::from_seed(&[5; 32]);
    let f = store.ledger_frontier().await.expect("frontier");
    let head = signer.sign(TreeHead {
        size: f.size(),
        root_hash: f.root(),
        timestamp_ms: 1,
    });
    store.insert_tree_head(&head).await.expect("head");
    store.close().await;
}

async fn tamper(dir: &Path, sql: &str) {
    use sqlx::Connection;
    let url = format!("sqlite://{}", dir.join("yici.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("connect");
    sqlx::query(sql).execute(&mut conn).await.expect("tamper");
}

fn verify(dir: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let data = dir.to_string_lossy();
    let mut args = vec!["ledger", "verify", "--data", &data, "--format", "json"];
    args.extend_from_slice(extra);
    let out = yici(&args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), report)
}

fn kinds(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn intact_log_verifies() {
    let dir = tempfile::tempdir().expect("tmp");
    history(dir.path(), 3).await;
    let (code, report) = verify(dir.path(), &[]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["heads_checked"], 1);
}

#[tokio::test]
async fn updated_row_is_reported_by_event_and_exits_non_zero() {
    let dir = tempfile::tempdir().expect("tmp");
    history(dir.path(), 3).await;
    tamper(
        dir.path(),
        "UPDATE case_events SET to_state = 'rejected' WHERE rowid = 2",
    )
    .await;
    let (code, report) = verify(dir.path(), &[]);
    assert_eq!(code, Some(1));
    let k = kinds(&report);
    assert!(
        k.contains(&"modified".to_owned()) && k.contains(&"tree_head".to_owned()),
        "{report}"
    );
    assert!(
        report["findings"][0]["event"]
            .as_str()
            .is_some_and(|e| e.contains('/'))
    );
}

#[tokio::test]
async fn deleted_row_is_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    history(dir.path(), 3).await;
    tamper(dir.path(), "DELETE FROM case_events WHERE rowid = 3").await;
    let (code, report) = verify(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(kinds(&report).contains(&"deleted".to_owned()), "{report}");
}

#[tokio::test]
async fn swapped_rows_are_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    history(dir.path(), 3).await;
    // Swap the content of the first two events (of different kinds).
    tamper(
        dir.path(),
        "UPDATE case_events SET data = CASE rowid WHEN 1 THEN (SELECT data FROM case_events WHERE rowid = 2) ELSE (SELECT data FROM case_events WHERE rowid = 1) END, \
         kind = CASE rowid WHEN 1 THEN (SELECT kind FROM case_events WHERE rowid = 2) ELSE (SELECT kind FROM case_events WHERE rowid = 1) END \
         WHERE rowid IN (1, 2)",
    )
    .await;
    let (code, report) = verify(dir.path(), &[]);
    assert_eq!(code, Some(1), "{report}");
    assert!(kinds(&report).contains(&"modified".to_owned()), "{report}");
}

#[tokio::test]
async fn export_then_verify_proves_the_log_extends_the_exported_head() {
    let dir = tempfile::tempdir().expect("tmp");
    history(dir.path(), 2).await;
    let exported = dir.path().join("heads.jsonl");
    let out = yici(&[
        "ledger",
        "export",
        "--data",
        &dir.path().to_string_lossy(),
        "--out",
        &exported.to_string_lossy(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    history(dir.path(), 2).await;
    let since = exported.to_string_lossy().into_owned();
    let (code, report) = verify(dir.path(), &["--since", &since]);
    assert_eq!(code, Some(0), "{report}");
    // Rewriting history before the exported head is caught, even when the
    // attacker also rewrites the database's own heads.
    tamper(dir.path(), "DELETE FROM ledger_heads").await;
    tamper(
        dir.path(),
        "UPDATE case_events SET actor = 'x' WHERE rowid = 1",
    )
    .await;
    let (code, report) = verify(dir.path(), &["--since", &since]);
    assert_eq!(code, Some(1));
    assert!(kinds(&report).contains(&"tree_head".to_owned()), "{report}");
}

#[tokio::test]
async fn missing_database_is_an_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = yici(&["ledger", "verify", "--data", &dir.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
}
