//! Notifications on both backends: an online case's acceptance and the fee
//! it owes, a supplement asked for, the result issued, a booking's reminder
//! the day before and a department's reply to a 差评 reach the applicant's
//! message centre, written with their change, once; the worker sends each
//! as an e-mail through a real SMTP server (aiosmtpd) and as a text
//! message through the SMS sandbox (which logs it), once; marking read; nobody else's messages.

mod support;

use base64::Engine;
use serde_json::{Value, json};
use support::payments::*;
use support::smtp::SmtpServer;
use support::{TestApp, assert_problem};
use time::OffsetDateTime;
use time::macros::datetime;
use yici_service::Clock;
use yici_service::workers::{notification_pass, reminder_pass};

const MONDAY: OffsetDateTime = datetime!(2026-09-28 09:00 +08:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let smtp = SmtpServer::start();
    let clock = Clock::fixed(MONDAY);
    let (store, dir) = support::sqlite_store().await;
    let app = TestApp::with_smtp(store, clock, Some(dir), &smtp.url).await;
    told_once(app, smtp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let smtp = SmtpServer::start();
    let clock = Clock::fixed(MONDAY);
    let app = TestApp::with_smtp(support::pg_store().await, clock, None, &smtp.url).await;
    told_once(app, smtp).await;
}

async fn inbox(app: &TestApp, token: &str) -> Value {
    let r = app.get_as("/api/v1/me/messages?per_page=50", token).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn kinds(inbox: &Value) -> Vec<String> {
    let mut k: Vec<String> = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["kind"].as_str().expect("kind").to_owned())
        .collect();
    k.sort();
    k
}

/// The text of a received e-mail: its headers and its base64 body decoded.
fn decoded(raw: &str) -> String {
    let (head, body) = raw.split_once("\n\n").expect("headers and body");
    let b64: String = body.split_whitespace().collect();
    let text = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    format!("{head}\n\n{text}")
}

async fn told_once(app: TestApp, smtp: SmtpServer) {
    let (token, id) = mortgage_case(&app).await;

    // Accepted online, with a fee to pay: two messages, unread.
    let mine = inbox(&app, &token).await;
    assert_eq!(kinds(&mine), ["accepted", "fee_due"], "{mine}");
    assert_eq!(mine["unread"], 2);
    let fee = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["kind"] == "fee_due")
        .expect("fee")
        .clone();
    assert!(
        fee["body_zh"].as_str().expect("zh").contains("¥80.00"),
        "{fee}"
    );
    assert!(fee["body_en"].as_str().expect("en").contains("¥80.00"));
    assert_eq!(fee["link"], format!("/cases/{id}"));

    // A supplement asked for, naming the material.
    let reviewer = app.login("reviewer-zrzy").await;
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), &reviewer)
        .await
        .json();
    let task = case["tasks"][0]["id"].as_str().expect("task").to_owned();
    let r = app
        .json(
            "POST",
            &format!("/api/v1/tasks/{task}/decision"),
            Some(&reviewer),
            json!({"outcome": "supplement", "comment": "合同缺页", "materials": ["loan_contract"]}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mine = inbox(&app, &token).await;
    let asked = mine["items"][0].clone();
    assert_eq!(asked["kind"], "supplement_requested", "{mine}");
    assert!(
        asked["body_zh"]
            .as_str()
            .expect("zh")
            .contains("主债权合同及抵押合同"),
        "{asked}"
    );
    assert!(asked["body_zh"].as_str().expect("zh").contains("合同缺页"));

    // The worker sends each once: three e-mails, three text messages.
    let report = notification_pass(app.service(), 32).await.expect("pass");
    assert_eq!((report.sent, report.failed), (6, 0), "{report:?}");
    let again = notification_pass(app.service(), 32).await.expect("pass");
    assert_eq!(again, Default::default(), "nothing twice");
    let mails = smtp.received();
    assert_eq!(mails.len(), 3, "{mails:?}");
    let all = mails
        .iter()
        .map(|m| decoded(m))
        .collect::<Vec<_>>()
        .join("\n----\n");
    assert!(all.contains("To: zhangsan@example.com"), "{all}");
    assert!(all.contains("已受理") && all.contains("Accepted"), "{all}");
    assert!(all.contains(&format!("/cases/{id}")), "{all}");
    // How each went out, as an administrator traces it: the e-mail to the
    // account's address, the text (the SMS sandbox logs it) to its mobile.
    let admin = app.login("admin").await;
    let caller = app
        .service()
        .authenticate(&admin)
        .await
        .expect("session")
        .expect("admin");
    let desk = app.service().admin(&caller).expect("admin desk");
    let mine = inbox(&app, &token).await;
    for m in mine["items"].as_array().expect("items") {
        let d = desk
            .message_deliveries(m["id"].as_str().expect("id"))
            .await
            .expect("deliveries");
        assert_eq!(
            d,
            [
                (
                    "email".to_owned(),
                    "sent".to_owned(),
                    Some("zhangsan@example.com".to_owned())
                ),
                (
                    "sms".to_owned(),
                    "sent".to_owned(),
                    Some("13800000001".to_owned())
                ),
            ],
            "{m}"
        );
    }

    // The supplement given, approved, paid and issued: the result's news.
    let applicant = token.clone();
    let r = support::materials::give(
        &app,
        &applicant,
        &id,
        "loan_contract",
        "合同.pdf",
        "application/pdf",
        support::materials::PDF.to_vec(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), &applicant)
        .await
        .json();
    let r = app
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/supplement"),
            Some(&applicant),
            json!({"version": case["version"], "at_window": false}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    approve(&app, &id).await;
    let (_, url) = open_payment(&app, &token, &id).await;
    pay_at_sandbox(&app, &url).await;
    deliver_notices(&app).await;
    assert_eq!(issue(&app, &id).await.status, 200);
    assert!(kinds(&inbox(&app, &token).await).contains(&"result_issued".to_owned()));

    // A booking for tomorrow: its reminder, once.
    let r = app
        .json("POST", "/api/v1/bookings", Some(&token),
            json!({"window": "w-commerce", "day": "2026-09-29", "slot": "09:00", "matter": MORTGAGE}), &[])
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        reminder_pass(app.service(), 32).await.expect("reminders"),
        1
    );
    assert_eq!(
        reminder_pass(app.service(), 32).await.expect("reminders"),
        0
    );
    let mine = inbox(&app, &token).await;
    let reminder = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["kind"] == "booking_reminder")
        .expect("reminder")
        .clone();
    assert!(
        reminder["body_zh"]
            .as_str()
            .expect("zh")
            .contains("2026-09-29 09:00"),
        "{reminder}"
    );

    // Read: the count drops; another applicant cannot mark it.
    let before = mine["unread"].as_u64().expect("unread");
    let msg = reminder["id"].as_str().expect("id");
    let r = app
        .json(
            "POST",
            &format!("/api/v1/me/messages/{msg}/read"),
            Some(&token),
            json!({}),
            &[],
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(
        inbox(&app, &token).await["unread"].as_u64(),
        Some(before - 1)
    );
    let li = app.login("applicant2").await;
    let r = app
        .json(
            "POST",
            &format!("/api/v1/me/messages/{msg}/read"),
            Some(&li),
            json!({}),
            &[],
        )
        .await;
    assert_problem(&r, 404, None);
    assert_eq!(inbox(&app, &li).await["total"], 0);
    let clerk = app.login("clerk").await;
    assert_problem(&app.get_as("/api/v1/me/messages", &clerk).await, 403, None);
}
