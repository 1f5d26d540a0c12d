//! Issue 18 §7: kill the server between the payment provider's notice and
//! its answer. The server stores the notice, then stops before answering
//! (`YICI_CRASH_AFTER_NOTICE`); the sandbox provider, which got no answer,
//! sends the notice again after the restart. Exactly one payment exists,
//! with one receipt, and the second notice changed nothing. On SQLite and
//! on PostgreSQL, with the real `yici serve` process and its own workers
//! delivering the notice over HTTP.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod http_client;
mod serve_process;
use http_client::http;
use serve_process::{PgDatabase, Server, form_for};

const MORTGAGE: &str = "330200-ZRZY-002";

fn post(server: &Server, path: &str, token: Option<&str>, body: &str) -> http_client::Answer {
    http(server.addr, "POST", path, token, &[], Some(body))
        .unwrap_or_else(|e| panic!("POST {path}: {e}\n{}", server.log_tail()))
}

/// Waits until `check` holds of the applicant's payments, at most a minute.
fn payments_until(server: &Server, token: &str, check: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let list = server.get("/api/v1/me/payments", token);
        if check(&list) {
            return list;
        }
        assert!(
            Instant::now() < deadline,
            "payments stayed {list}\n{}",
            server.log_tail()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn crash_between_notice_and_answer(database_url: Option<&str>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let log = dir.path().join("serve.log");
    let mut server = Server::start_with(
        &data,
        database_url,
        &log,
        &[("YICI_CRASH_AFTER_NOTICE", "1")],
    );

    // 张三 applies online for a mortgage registration and pays its fee.
    let token = server.login("applicant");
    let plan = server.get(&format!("/api/v1/matters/{MORTGAGE}/plan"), &token);
    let body =
        json!({"matter": MORTGAGE, "channel": "online", "form": form_for(&plan)}).to_string();
    let created = post(&server, "/api/v1/cases", Some(&token), &body);
    assert_eq!(created.status, 201, "{}", created.body);
    let case = created.json()["id"].as_str().expect("id").to_owned();
    let opened = post(
        &server,
        &format!("/api/v1/cases/{case}/payments"),
        Some(&token),
        "{}",
    );
    assert_eq!(opened.status, 201, "{}", opened.body);
    let opened = opened.json();
    let order = opened["payment"]["id"].as_str().expect("order").to_owned();
    let checkout = opened["checkout_url"]
        .as_str()
        .expect("checkout")
        .to_owned();
    let path = &checkout[checkout.find("/sandbox/").expect("sandbox path")..];
    let paid = post(&server, path, None, "");
    assert_eq!(paid.status, 303, "{}", paid.body);

    // The server's worker delivers the notice to itself; the server stores
    // it and stops before answering.
    let status = server.exited_within(Duration::from_secs(60));
    assert!(
        status.is_some_and(|s| !s.success()),
        "the server should have stopped: {status:?}\n{}",
        server.log_tail()
    );

    // Restarted without the fault: the provider sends the notice again.
    let server = Server::start(&data, database_url, &log);
    let token = server.login("applicant");
    let list = payments_until(&server, &token, |l| l["items"][0]["state"] == "paid");
    assert_eq!(list["total"], 1, "{list}");
    let supervisor = server.login("supervisor");
    let lines = payments_log_until(&server, &supervisor, &order);
    let applied = lines.iter().filter(|l| l["outcome"] == "applied").count();
    assert_eq!(applied, 1, "one notice changed the order: {lines:?}");
    let one = server.get(&format!("/api/v1/payments/{order}"), &token);
    assert!(one["receipt_url"].is_string(), "{one}");
    assert!(one["refund"].is_null(), "no refund: {one}");
    let fees = server.get(&format!("/api/v1/cases/{case}/fees"), &token);
    assert_eq!(fees["owed_fen"], 0, "{fees}");
    let receipts = server.get("/api/v1/me/certificates", &token);
    let count = receipts.as_array().map_or(0, |a| {
        a.iter()
            .filter(|c| {
                c["vct"]
                    .as_str()
                    .is_some_and(|v| v.ends_with("payment-receipt"))
            })
            .count()
    });
    assert_eq!(count, 1, "one receipt: {receipts}");
    server.kill();
}

/// The notices' log for `order` once the repeat has been heard too.
fn payments_log_until(server: &Server, token: &str, order: &str) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let log = server.get("/api/v1/payments/notices?per_page=100", token);
        let lines: Vec<Value> = log
            .as_array()
            .expect("lines")
            .iter()
            .filter(|l| l["order"] == order)
            .cloned()
            .collect();
        if lines.iter().any(|l| l["outcome"] == "already") {
            return lines;
        }
        assert!(
            Instant::now() < deadline,
            "the repeat never came: {lines:?}\n{}",
            server.log_tail()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_notice_stored_but_unanswered_is_heard_once_on_sqlite() {
    crash_between_notice_and_answer(None);
}

#[test]
fn a_notice_stored_but_unanswered_is_heard_once_on_postgres() {
    let db = PgDatabase::create();
    crash_between_notice_and_answer(Some(&db.url));
}
