//! Two-way delivery in tests: the demo's transfer registration (an
//! original that may come by post, a result that may go by express, a ¥80
//! fee before issue), address book entries, the sandbox carrier's steps
//! taken by its worker with the clock moved on, and callbacks signed by
//! hand as the carrier (or a forger) would sign them.

use ed25519_dalek::SigningKey;
use serde_json::{Value, json};
use time::Duration;
use yici_service::Clock;
use yici_service::workers::{Courier, sandbox_carrier_pass};

use super::{CARRIER_SEED, CARRIER_STEP_MS, Reply, TestApp};

/// 国有建设用地使用权及房屋所有权转移登记: its old title certificate's
/// original may come by post; its result may go by express.
pub const TRANSFER: &str = "330200-ZRZY-001";
/// The material whose original is posted.
pub const OLD_CERTIFICATE: &str = "old_certificate_original";

/// 张三 (with the demo's records) applies online for a transfer
/// registration and gives its materials; the applicant's token and the
/// case id.
pub async fn transfer_case(app: &TestApp) -> (String, String) {
    super::payments::online_case(app, TRANSFER).await
}

/// A good address; `line` says where.
pub fn address(line: &str) -> Value {
    json!({
        "recipient": "张三", "phone": "13800000001",
        "region": "浙江省宁波市海曙区", "line": line, "postcode": "315000",
    })
}

/// Adds an address to the book of `token`'s account; its id.
pub async fn add_address(app: &TestApp, token: &str, line: &str) -> String {
    let r = app
        .json(
            "POST",
            "/api/v1/me/addresses",
            Some(token),
            address(line),
            &[],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().expect("id").to_owned()
}

/// Moves the clock past one carrier step and lets the sandbox carrier's
/// worker take every step due; how many yici answered.
pub async fn carrier_step(app: &TestApp, clock: &Clock) -> u64 {
    clock.set(clock.now() + Duration::milliseconds(CARRIER_STEP_MS + 1000));
    let courier = Courier::new().expect("client");
    sandbox_carrier_pass(app.service(), &courier, 32)
        .await
        .expect("carrier pass")
}

/// A case's tracking as `token` sees it.
pub async fn tracking(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app
        .get_as(&format!("/api/v1/cases/{id}/parcels"), token)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// The sandbox carrier's key, as it signs with it.
pub fn carrier_key() -> SigningKey {
    SigningKey::from_bytes(&CARRIER_SEED)
}

/// POSTs a callback saying `waybill` reached `state`, signed with `key`
/// at `ts` with `nonce`.
pub async fn carrier_notify(
    app: &TestApp,
    key: &SigningKey,
    ts: i64,
    nonce: &str,
    body: &Value,
) -> Reply {
    let raw = body.to_string();
    let signature = yici_callback::sign(key, ts, nonce, raw.as_bytes());
    let ts = ts.to_string();
    app.json(
        "POST",
        "/api/v1/parcels/notify",
        None,
        body.clone(),
        &[
            ("yici-carrier-timestamp", &ts),
            ("yici-carrier-nonce", nonce),
            ("yici-carrier-signature", &signature),
        ],
    )
    .await
}
