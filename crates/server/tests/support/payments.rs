//! Paying a case's fees in tests: the demo's mortgage registration (one fee
//! of ¥80 due before issue), the sandbox provider's checkout, its notices
//! delivered by the worker, and notices signed by hand as the provider (or
//! a forger) would sign them.

use ed25519_dalek::SigningKey;
use serde_json::{Value, json};
use yici_service::workers::{Courier, payments_pass, sandbox_notice_pass};

use super::{Reply, SANDBOX_SEED, TestApp};

/// The demo matter with a fee: 不动产抵押权首次登记, ¥80 before issue.
pub const MORTGAGE: &str = "330200-ZRZY-002";

/// 张三 (with the demo's records) applies online for a mortgage
/// registration and gives its materials, so the system accepts it; returns
/// the applicant's token and the case id.
pub async fn mortgage_case(app: &TestApp) -> (String, String) {
    online_case(app, MORTGAGE).await
}

/// 张三 (with the demo's records) applies online for `matter` and gives
/// its materials, so the system accepts it; the applicant's token and the
/// case id.
pub async fn online_case(app: &TestApp, matter: &str) -> (String, String) {
    let token = super::exchange::applicant_with_records(app).await;
    let plan = yici_catalog::plan(app.service().catalog(), matter).expect("plan");
    let form = super::form_for(&plan.form);
    let r = app
        .json(
            "POST",
            "/api/v1/cases",
            Some(&token),
            json!({"matter": matter, "channel": "online", "form": form}),
            &[],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().expect("id").to_owned();
    let case = super::materials::give_missing(app, &token, &id).await;
    assert_eq!(case["status"], "accepted", "{case}");
    (token, id)
}

/// The zrzy reviewer approves every open task of case `id`.
pub async fn approve(app: &TestApp, id: &str) {
    let reviewer = app.login("reviewer-zrzy").await;
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), &reviewer)
        .await
        .json();
    for t in case["tasks"].as_array().expect("tasks") {
        if t["state"] != "open" {
            continue;
        }
        let uri = format!("/api/v1/tasks/{}/decision", t["id"].as_str().expect("id"));
        let r = app
            .json(
                "POST",
                &uri,
                Some(&reviewer),
                json!({"outcome": "approve"}),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

/// The clerk tries to issue case `id`.
pub async fn issue(app: &TestApp, id: &str) -> Reply {
    let clerk = app.login("clerk").await;
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), &clerk)
        .await
        .json();
    app.json(
        "POST",
        &format!("/api/v1/cases/{id}/issue"),
        Some(&clerk),
        json!({"version": case["version"]}),
        &[],
    )
    .await
}

/// The applicant opens a payment of case `id`: the order and the checkout URL.
pub async fn open_payment(app: &TestApp, token: &str, id: &str) -> (Value, String) {
    let r = app
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/payments"),
            Some(token),
            json!({}),
            &[],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let v = r.json();
    (
        v["payment"].clone(),
        v["checkout_url"].as_str().expect("url").to_owned(),
    )
}

/// The payer confirms at the sandbox's checkout.
pub async fn pay_at_sandbox(app: &TestApp, checkout_url: &str) {
    let transaction = checkout_url.rsplit('/').next().expect("transaction");
    app.service()
        .sandbox_pay(transaction)
        .await
        .expect("paid at the sandbox");
}

/// The sandbox's due notices are delivered to the app over HTTP; how many
/// it answered 2xx.
pub async fn deliver_notices(app: &TestApp) -> u64 {
    let courier = Courier::new().expect("client");
    sandbox_notice_pass(app.service(), &courier, 32)
        .await
        .expect("notice pass")
}

/// One pass of the reconciler and the refunds.
pub async fn payments(app: &TestApp) -> yici_service::workers::PaymentsReport {
    payments_pass(app.service(), 32)
        .await
        .expect("payments pass")
}

/// The sandbox's key, as the provider signs with it.
pub fn provider_key() -> SigningKey {
    SigningKey::from_bytes(&SANDBOX_SEED)
}

/// POSTs `body` to the notify URL, signed with `key` at `ts` with `nonce`.
pub async fn notify(app: &TestApp, key: &SigningKey, ts: i64, nonce: &str, body: &str) -> Reply {
    let signature = yici_payment::notice::sign(key, ts, nonce, body.as_bytes());
    let ts = ts.to_string();
    let body: Value = serde_json::from_str(body).expect("json body");
    app.json(
        "POST",
        "/api/v1/payments/notify",
        None,
        body,
        &[
            ("yici-pay-timestamp", &ts),
            ("yici-pay-nonce", nonce),
            ("yici-pay-signature", &signature),
        ],
    )
    .await
}

/// The demo catalog with a ¥20 fee due before acceptance added to
/// `matter` (its TOML patched in a copy, as a department would write it).
pub fn catalog_with_fee_before_acceptance(matter: &str) -> yici_core::catalog::Catalog {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).expect("catalog copy");
        for entry in std::fs::read_dir(from).expect("catalog dir") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("copied");
            }
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    copy(&super::demo_catalog_dir(), dir.path());
    let department = matter
        .split('-')
        .nth(1)
        .expect("a matter code")
        .to_lowercase();
    let path = dir.path().join(format!("matters/{department}.toml"));
    let text = std::fs::read_to_string(&path).expect("matters file");
    let at = text.find(matter).expect("the matter");
    // A fee belongs to the [[matter]] above it: put it before the next one.
    let next = text[at..]
        .find("\n[[matter]]")
        .map_or(text.len(), |i| at + i);
    let fee = r#"
[[matter.fee]]
code = "search_fee"
name = { zh = "查询费（测试）", en = "Search fee (test)" }
amount_fen = 2000
basis = "测试用收费项目"
due = "before_acceptance"
"#;
    std::fs::write(&path, format!("{}{fee}{}", &text[..next], &text[next..])).expect("patched");
    yici_catalog::load_dir(dir.path()).expect("patched catalog loads")
}
