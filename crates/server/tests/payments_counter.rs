//! 窗口收费 through the API: a clerk records that a case's fees were paid
//! at the counter (a paid order with its receipt, the case then issued), a
//! counter payment's refund handed back at the counter (never submitted to
//! the provider), bad input refused naming the field with nothing written,
//! and an online application owing a fee due before acceptance waiting for
//! its payment instead of being accepted at once. On both backends.

mod support;

use serde_json::{Value, json};
use support::payments::{
    approve, catalog_with_fee_before_acceptance, deliver_notices, issue, mortgage_case,
    open_payment, pay_at_sandbox, payments,
};
use support::{TestApp, assert_problem, form_for, withdraw};
use yici_service::Clock;

async fn counter(app: &TestApp, token: &str, id: &str, body: Value) -> support::Reply {
    app.json(
        "POST",
        &format!("/api/v1/cases/{id}/payments/counter"),
        Some(token),
        body,
        &[],
    )
    .await
}

async fn hand_back(app: &TestApp, token: &str, order: &str) -> support::Reply {
    app.json(
        "POST",
        &format!("/api/v1/payments/{order}/refund/counter"),
        Some(token),
        json!({}),
        &[],
    )
    .await
}

async fn fees(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app.get_as(&format!("/api/v1/cases/{id}/fees"), token).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

both!(
    a_fee_paid_at_the_counter_issues_and_its_refund_is_handed_back,
    |app: TestApp| async move {
        let (token, id) = mortgage_case(&app).await;
        let clerk = app.login("clerk").await;

        // Only a clerk records it; bad input names its field.
        let r = counter(&app, &token, &id, json!({"method": "cash"})).await;
        assert_problem(&r, 403, None);
        let r = counter(&app, &clerk, &id, json!({"method": "cheque"})).await;
        assert_eq!(
            assert_problem(&r, 422, Some("method"))["errors"][0]["rule"],
            "one_of"
        );
        let long = "9".repeat(65);
        let r = counter(
            &app,
            &clerk,
            &id,
            json!({"method": "card", "reference": long}),
        )
        .await;
        assert_eq!(
            assert_problem(&r, 422, Some("reference"))["errors"][0]["rule"],
            "max_length"
        );
        let before = fees(&app, &clerk, &id).await;
        assert_eq!(before["owed_fen"], 8000, "{before}");
        assert_eq!(before["payments"].as_array().map(Vec::len), Some(0));

        let r = counter(
            &app,
            &clerk,
            &id,
            json!({"method": "card", "reference": "POS-0001"}),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let paid = r.json();
        assert_eq!(paid["state"], "paid", "{paid}");
        assert_eq!(paid["provider"], "counter", "{paid}");
        assert_eq!(paid["amount_fen"], 8000);
        assert!(paid["receipt_url"].is_string(), "{paid}");
        let order = paid["id"].as_str().expect("id").to_owned();
        assert_eq!(fees(&app, &clerk, &id).await["owed_fen"], 0);
        let r = counter(&app, &clerk, &id, json!({"method": "cash"})).await;
        assert_eq!(
            assert_problem(&r, 422, Some("case"))["errors"][0]["rule"],
            "nothing_to_pay"
        );
        // The applicant has it among their payments, with its receipt.
        let mine = app.get_as("/api/v1/me/payments", &token).await.json();
        assert!(
            mine["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|o| o["id"] == order),
            "{mine}"
        );
        let r = app
            .get_as(&format!("/api/v1/payments/{order}/receipt"), &token)
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        // No provider is asked about it; nothing to hand back yet.
        let report = payments(&app).await;
        assert_eq!(report.reconciled, 0, "{report:?}");
        let r = hand_back(&app, &clerk, &order).await;
        assert_eq!(
            assert_problem(&r, 422, Some("payment"))["errors"][0]["rule"],
            "no_refund_due"
        );
        approve(&app, &id).await;
        let r = issue(&app, &id).await;
        assert_eq!(r.status, 200, "{}", r.body);

        // Another case paid at the counter, then withdrawn: its refund is
        // handed back at the counter, not submitted to the provider.
        let (token, id) = mortgage_case(&app).await;
        let r = counter(&app, &clerk, &id, json!({"method": "cash"})).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let order = r.json()["id"].as_str().expect("id").to_owned();
        withdraw(&app, &token, &id).await;
        let report = payments(&app).await;
        assert_eq!(
            (report.refunds_requested, report.refunds_submitted),
            (1, 0),
            "{report:?}"
        );
        let waiting = app
            .get_as(&format!("/api/v1/payments/{order}"), &clerk)
            .await
            .json();
        assert_eq!(waiting["refund"]["state"], "requested", "{waiting}");
        let r = hand_back(&app, &token, &order).await;
        assert_problem(&r, 403, None);
        let r = hand_back(&app, &clerk, &order).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let back = r.json();
        assert_eq!(back["state"], "refunded", "{back}");
        assert_eq!(back["refund"]["state"], "refunded", "{back}");
        assert_eq!(back["refund"]["reason"], "case_closed", "{back}");
        let r = hand_back(&app, &clerk, &order).await;
        assert_eq!(
            assert_problem(&r, 422, Some("payment"))["errors"][0]["rule"],
            "no_refund_due"
        );
    }
);

/// 不动产登记资料查询: online, its one material read from the exchange, so
/// an application is complete as submitted.
const SEARCH: &str = "330200-ZRZY-003";

async fn online_waits_for_a_fee_due_before_acceptance(postgres: bool) {
    let catalog = catalog_with_fee_before_acceptance(SEARCH);
    let calendar = yici_core::calendar::Calendar::official().clone();
    let app = TestApp::on_catalog(catalog, calendar, postgres, Clock::System).await;
    let token = support::exchange::applicant_with_records(&app).await;
    let plan = yici_catalog::plan(app.service().catalog(), SEARCH).expect("plan");
    let r = app
        .json(
            "POST",
            "/api/v1/cases",
            Some(&token),
            json!({"matter": SEARCH, "channel": "online", "form": form_for(&plan.form)}),
            &[],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let case = r.json();
    // Complete, but not accepted before its fee is paid.
    assert_eq!(case["status"], "pre_checked", "{case}");
    let id = case["id"].as_str().expect("id").to_owned();
    assert_eq!(fees(&app, &token, &id).await["owed_fen"], 2000);
    let (_, checkout) = open_payment(&app, &token, &id).await;
    pay_at_sandbox(&app, &checkout).await;
    assert_eq!(deliver_notices(&app).await, 1);
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), &token)
        .await
        .json();
    assert_eq!(case["status"], "accepted", "{case}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_application_owing_a_fee_waits_for_it_sqlite() {
    online_waits_for_a_fee_due_before_acceptance(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_application_owing_a_fee_waits_for_it_postgres() {
    online_waits_for_a_fee_due_before_acceptance(true).await;
}
