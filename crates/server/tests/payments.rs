//! 统一支付 through the API, on both backends: a case's fee blocks issue
//! until paid; paying online through the sandbox's checkout; the provider's
//! signed notice delivered over HTTP; forged, stale, replayed and
//! mismatched notices refused and logged with nothing changed; a double
//! payment refunded; a late notice after a refund changing nothing; the
//! reconciler finding a payment whose notice never came and closing an
//! abandoned order; a payment on a withdrawn case refunded; the receipt an
//! SD-JWT VC; who may see what.

mod support;

use base64::Engine;
use ed25519_dalek::SigningKey;
use serde_json::{Value, json};
use support::payments::*;
use support::{TestApp, assert_problem, withdraw};
use time::OffsetDateTime;
use time::macros::datetime;
use yici_service::Clock;

const MONDAY: OffsetDateTime = datetime!(2026-09-28 09:00 +08:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let clock = Clock::fixed(MONDAY);
    paying_fees(TestApp::sqlite(clock.clone()).await, clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let clock = Clock::fixed(MONDAY);
    paying_fees(TestApp::postgres(clock.clone()).await, clock).await;
}

fn now(clock: &Clock) -> i64 {
    clock.now_ms() / 1000
}

fn notice(order: &Value, state: &str, transaction: &str) -> String {
    json!({
        "order": order["id"], "transaction": transaction, "state": state,
        "amount_fen": order["amount_fen"], "paid_ms": 1, "refund": null,
    })
    .to_string()
}

async fn order(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app.get_as(&format!("/api/v1/payments/{id}"), token).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

async fn refused_lines(app: &TestApp, rule: &str) -> usize {
    let supervisor = app.login("supervisor").await;
    let log = app
        .get_as("/api/v1/payments/notices?per_page=100", &supervisor)
        .await
        .json();
    log.as_array()
        .expect("lines")
        .iter()
        .filter(|l| l["outcome"] == "refused" && l["rule"] == rule)
        .count()
}

async fn paying_fees(app: TestApp, clock: Clock) {
    let (token, id) = mortgage_case(&app).await;

    // The fee, before any payment.
    let fees = app
        .get_as(&format!("/api/v1/cases/{id}/fees"), &token)
        .await
        .json();
    assert_eq!(fees["owed_fen"], 8000, "{fees}");
    assert_eq!(fees["fees"][0]["code"], "registration");
    assert_eq!(fees["fees"][0]["due"], "before_issue");
    assert_eq!(fees["fees"][0]["paid"], false);

    // Approved, but unpaid: the result cannot be issued.
    approve(&app, &id).await;
    let refused = issue(&app, &id).await;
    let p = assert_problem(&refused, 422, Some("fees"));
    assert_eq!(p["errors"][0]["rule"], "fee_unpaid", "{p}");

    // Two orders opened (two tabs): both can be paid at the provider.
    let (first, first_url) = open_payment(&app, &token, &id).await;
    let (second, second_url) = open_payment(&app, &token, &id).await;
    assert_eq!(first["state"], "pending");
    assert_eq!(first["amount_fen"], 8000);
    assert!(first_url.contains("/sandbox/pay/"), "{first_url}");
    pay_at_sandbox(&app, &first_url).await;
    assert_eq!(
        deliver_notices(&app).await,
        1,
        "the notice reached yici over HTTP"
    );
    let paid = order(&app, &token, first["id"].as_str().expect("id")).await;
    assert_eq!(paid["state"], "paid", "{paid}");
    let transaction = paid["transaction_id"]
        .as_str()
        .expect("transaction")
        .to_owned();
    let fees = app
        .get_as(&format!("/api/v1/cases/{id}/fees"), &token)
        .await
        .json();
    assert_eq!(fees["owed_fen"], 0);
    assert_eq!(fees["fees"][0]["paid"], true);
    // Nothing is left to pay.
    let r = app
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/payments"),
            Some(&token),
            json!({}),
            &[],
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, Some("case"))["errors"][0]["rule"],
        "nothing_to_pay"
    );

    // The receipt: an SD-JWT VC of the collecting department.
    let receipt_url = paid["receipt_url"].as_str().expect("receipt url");
    let r = app.get_as(receipt_url, &token).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "application/dc+sd-jwt");
    let jwt = r.body.split('~').next().expect("jwt");
    let payload = jwt.split('.').nth(1).expect("payload");
    let payload: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("b64"),
    )
    .expect("json");
    assert_eq!(payload["vct"], "urn:yici:certificate:payment-receipt");
    assert!(
        payload["iss"]
            .as_str()
            .expect("iss")
            .ends_with("/departments/zrzy"),
        "{payload}"
    );
    let checked = support::certificates::verify(&app, &r.body).await;
    assert_eq!(checked.status, 200, "{}", checked.body);
    let checked = checked.json();
    assert_eq!(checked["valid"], true, "{checked}");
    assert_eq!(checked["status"], "valid");
    assert_eq!(checked["disclosed"]["amount"], "80.00", "{checked}");
    assert_eq!(checked["disclosed"]["receipt_no"], first["id"], "{checked}");

    // Forged: another key. Stale: signed long ago. Both refused, logged,
    // and the order as it was.
    let before = order(&app, &token, second["id"].as_str().expect("id")).await;
    let forger = SigningKey::from_bytes(&[6; 32]);
    let body = notice(&second, "paid", "forged-1");
    let r = notify(&app, &forger, now(&clock), "forged1", &body).await;
    assert_eq!(
        assert_problem(&r, 422, Some("yici-pay-signature"))["errors"][0]["rule"],
        "bad_signature"
    );
    let r = notify(&app, &provider_key(), now(&clock) - 3600, "stale1", &body).await;
    assert_eq!(
        assert_problem(&r, 422, None)["errors"][0]["rule"],
        "stale_timestamp"
    );
    let tampered = body.replace("forged-1", "forged-2");
    let sig = yici_payment::notice::sign(&provider_key(), now(&clock), "tamper1", body.as_bytes());
    let ts = now(&clock).to_string();
    let r = app
        .json(
            "POST",
            "/api/v1/payments/notify",
            None,
            serde_json::from_str(&tampered).expect("json"),
            &[
                ("yici-pay-timestamp", &ts),
                ("yici-pay-nonce", "tamper1"),
                ("yici-pay-signature", &sig),
            ],
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, None)["errors"][0]["rule"],
        "bad_signature"
    );
    let r = notify(&app, &provider_key(), now(&clock), "nosuch1",
        &json!({"order": "pay-nobody", "transaction": "t", "state": "paid", "amount_fen": 1, "paid_ms": 1, "refund": null}).to_string()).await;
    assert_problem(&r, 404, None);
    let wrong_amount = json!({"order": second["id"], "transaction": "t", "state": "paid", "amount_fen": 1, "paid_ms": 1, "refund": null}).to_string();
    let r = notify(&app, &provider_key(), now(&clock), "amount1", &wrong_amount).await;
    assert_eq!(
        assert_problem(&r, 422, Some("amount_fen"))["errors"][0]["rule"],
        "amount_mismatch"
    );
    let r = app
        .json(
            "POST",
            "/api/v1/payments/notify",
            None,
            json!({"order": "x"}),
            &[],
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, Some("yici-pay-timestamp"))["errors"][0]["rule"],
        "missing_header"
    );
    assert_eq!(
        order(&app, &token, second["id"].as_str().expect("id")).await,
        before,
        "nothing changed"
    );
    assert_eq!(refused_lines(&app, "bad_signature").await, 2);
    assert_eq!(refused_lines(&app, "stale_timestamp").await, 1);
    assert_eq!(refused_lines(&app, "amount_mismatch").await, 1);

    // A genuine repeat of the first order's notice changes nothing; the
    // same signed request sent again is a replay and refused.
    let repeat = notice(&paid, "paid", &transaction);
    let r = notify(&app, &provider_key(), now(&clock), "repeat1", &repeat).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["changed"], false);
    let r = notify(&app, &provider_key(), now(&clock), "repeat1", &repeat).await;
    assert_eq!(
        assert_problem(&r, 422, Some("yici-pay-nonce"))["errors"][0]["rule"],
        "replayed_nonce"
    );
    assert_eq!(refused_lines(&app, "replayed_nonce").await, 1);

    // The second tab pays too: a double payment, refunded.
    pay_at_sandbox(&app, &second_url).await;
    assert_eq!(deliver_notices(&app).await, 1);
    let double = order(&app, &token, second["id"].as_str().expect("id")).await;
    assert_eq!(double["state"], "paid");
    assert_eq!(double["refund"]["reason"], "double_payment", "{double}");
    let report = payments(&app).await;
    assert_eq!(report.refunds_submitted, 1, "{report:?}");
    assert_eq!(deliver_notices(&app).await, 1, "the refund's notice");
    let refunded = order(&app, &token, second["id"].as_str().expect("id")).await;
    assert_eq!(refunded["state"], "refunded", "{refunded}");
    assert_eq!(refunded["refund"]["state"], "refunded");
    let fees = app
        .get_as(&format!("/api/v1/cases/{id}/fees"), &token)
        .await
        .json();
    assert_eq!(
        fees["fees"][0]["paid"], true,
        "the first payment still pays the fee"
    );
    // Out of order: the payment's notice again, after the refund.
    let late = notice(
        &refunded,
        "paid",
        refunded["transaction_id"].as_str().expect("t"),
    );
    let r = notify(&app, &provider_key(), now(&clock), "late1", &late).await;
    assert_eq!(r.json()["state"], "refunded", "{}", r.body);

    // Paid: the result is issued.
    let r = issue(&app, &id).await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Who sees what.
    let other = app.login("applicant2").await;
    let r = app
        .get_as(
            &format!("/api/v1/payments/{}", first["id"].as_str().expect("id")),
            &other,
        )
        .await;
    assert_problem(&r, 404, None);
    let reviewer = app.login("reviewer-zrzy").await;
    assert_problem(&app.get_as("/api/v1/payments", &reviewer).await, 403, None);
    let clerk = app.login("clerk").await;
    let window = app.get_as("/api/v1/payments", &clerk).await.json();
    assert_eq!(window["total"], 2, "{window}");
    let mine = app.get_as("/api/v1/me/payments", &token).await.json();
    assert_eq!(mine["total"], 2);

    reconciling(&app, &clock, &token).await;
}

/// The reconciler: a payment whose notice never came is found by asking
/// the provider; an order abandoned at the checkout is closed after two
/// hours; a payment on a case withdrawn afterwards is refunded.
async fn reconciling(app: &TestApp, clock: &Clock, token: &str) {
    let (_, id) = mortgage_case(app).await;
    let (lost, lost_url) = open_payment(app, token, &id).await;
    pay_at_sandbox(app, &lost_url).await;
    // No delivery: the notice is lost. Five minutes on, the reconciler asks.
    assert_eq!(payments(app).await.queried, 0, "too early to ask");
    clock.set(clock.now() + time::Duration::minutes(6));
    let report = payments(app).await;
    assert_eq!((report.queried, report.reconciled), (1, 1), "{report:?}");
    let found = order(app, token, lost["id"].as_str().expect("id")).await;
    assert_eq!(found["state"], "paid");
    assert!(found["receipt_url"].is_string());
    // The notice arrives at last: nothing changes.
    assert_eq!(deliver_notices(app).await, 1);
    assert_eq!(
        order(app, token, lost["id"].as_str().expect("id")).await["state"],
        "paid"
    );

    // Abandoned: closed after the expiry.
    let (_, other) = mortgage_case(app).await;
    let (abandoned, _) = open_payment(app, token, &other).await;
    clock.set(clock.now() + time::Duration::hours(3));
    let report = payments(app).await;
    assert_eq!(report.reconciled, 1, "{report:?}");
    assert_eq!(
        order(app, token, abandoned["id"].as_str().expect("id")).await["state"],
        "closed"
    );

    // Two orders the provider never heard of (the server stopped between
    // writing and opening them) are closed too, with no transaction.
    for n in 0..2 {
        let now = clock.now_ms();
        app.store
            .create_order(&yici_store::payments::NewOrder {
                id: format!("pay-unopened-{n}"),
                case_id: other.clone(),
                department: "zrzy".into(),
                region: "330212".into(),
                payer: "u-applicant".into(),
                subject: support::zhang_san(),
                provider: "sandbox".into(),
                items: vec![yici_store::payments::OrderItem {
                    fee: format!("{MORTGAGE}/registration"),
                    name_zh: "不动产登记费（住宅）".into(),
                    name_en: "Real-estate registration fee (housing)".into(),
                    units: 1,
                    amount_fen: 8000,
                }],
                created_ms: now,
            })
            .await
            .expect("order written");
    }
    clock.set(clock.now() + time::Duration::hours(3));
    let report = payments(app).await;
    assert_eq!(report.reconciled, 2, "{report:?}");
    for n in 0..2 {
        let o = order(app, token, &format!("pay-unopened-{n}")).await;
        assert_eq!(o["state"], "closed", "{o}");
        assert!(o["transaction_id"].is_null(), "{o}");
    }

    // Withdrawn after payment: refunded.
    withdraw(app, token, &id).await;
    let report = payments(app).await;
    assert_eq!(
        (report.refunds_requested, report.refunds_submitted),
        (1, 1),
        "{report:?}"
    );
    assert_eq!(deliver_notices(app).await, 1);
    let back = order(app, token, lost["id"].as_str().expect("id")).await;
    assert_eq!(back["state"], "refunded");
    assert_eq!(back["refund"]["reason"], "case_closed");
    let r = app
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/payments"),
            Some(token),
            json!({}),
            &[],
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, Some("case"))["errors"][0]["rule"],
        "case_closed"
    );
}
