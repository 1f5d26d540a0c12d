//! 双向寄递 through the API, on both backends: the address book with its
//! rules; an original posted (a courier picks it up, the window receives
//! it, sees it and sends it back, no trip); the result sent by express to
//! an address that cannot be served (failed: back at the window), then
//! sent again and delivered, which delivers the case with no trip; the
//! carrier's callbacks signed, refused when forged, stale, replayed or
//! for an unknown waybill, taken once when late or repeated; the
//! applicant told of each move; who may do what.

mod support;

use serde_json::{Value, json};
use support::parcels::*;
use support::payments::{approve, deliver_notices, issue, open_payment, pay_at_sandbox};
use support::{TestApp, assert_problem};
use time::OffsetDateTime;
use time::macros::datetime;
use yici_service::Clock;

const MONDAY: OffsetDateTime = datetime!(2026-09-28 09:00 +08:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let clock = Clock::fixed(MONDAY);
    two_way_delivery(TestApp::sqlite(clock.clone()).await, clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let clock = Clock::fixed(MONDAY);
    two_way_delivery(TestApp::postgres(clock.clone()).await, clock).await;
}

async fn two_way_delivery(app: TestApp, clock: Clock) {
    let (token, id) = transfer_case(&app).await;
    let book = address_book(&app, &token).await;
    original_by_post(&app, &clock, &token, &id, &book).await;
    result_by_express(&app, &clock, &token, &id).await;
}

/// Adds, corrects and removes addresses; answers the id of a good one.
async fn address_book(app: &TestApp, token: &str) -> String {
    let bad = json!({"recipient": " ", "phone": "12345", "region": "浙江省", "line": "路", "postcode": "31500"});
    let r = app
        .json("POST", "/api/v1/me/addresses", Some(token), bad, &[])
        .await;
    let p = assert_problem(&r, 422, Some("recipient"));
    let rules: Vec<&str> = p["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["rule"].as_str().expect("rule"))
        .collect();
    assert_eq!(
        rules,
        ["required", "malformed_phone", "malformed_postcode"],
        "{p}"
    );
    let unknown = json!({"recipient": "张三", "phone": "13800000001", "region": "x", "line": "y", "floor": 3});
    let r = app
        .json("POST", "/api/v1/me/addresses", Some(token), unknown, &[])
        .await;
    assert_problem(&r, 422, None);

    let home = add_address(app, token, "中山西路 1 号 101 室").await;
    let wrong = add_address(app, token, "查无此处 无法投递").await;
    let spare = add_address(app, token, "药行街 9 号").await;
    let r = app
        .json(
            "PUT",
            &format!("/api/v1/me/addresses/{spare}"),
            Some(token),
            address("药行街 10 号"),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["line"], "药行街 10 号");
    let r = app
        .json(
            "DELETE",
            &format!("/api/v1/me/addresses/{spare}"),
            Some(token),
            json!({}),
            &[],
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let list = app.get_as("/api/v1/me/addresses", token).await.json();
    let ids: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, [home.as_str(), wrong.as_str()]);

    // Another account's book is not reachable, nor is a clerk's a book.
    let other = app.login("applicant2").await;
    let r = app
        .json(
            "PUT",
            &format!("/api/v1/me/addresses/{home}"),
            Some(&other),
            address("x 路"),
            &[],
        )
        .await;
    assert_problem(&r, 404, None);
    let clerk = app.login("clerk").await;
    let r = app.get_as("/api/v1/me/addresses", &clerk).await;
    assert_problem(&r, 403, None);
    format!("{home} {wrong}")
}

async fn parcel_of<'a>(t: &'a Value, kind: &str) -> &'a Value {
    t["parcels"]
        .as_array()
        .expect("parcels")
        .iter()
        .rev()
        .find(|p| p["kind"] == kind)
        .expect("a parcel of that kind")
}

async fn original_by_post(app: &TestApp, clock: &Clock, token: &str, id: &str, book: &str) {
    let home = book.split(' ').next().expect("home");
    let clerk = app.login("clerk").await;
    let post = |material: &str, address: &str| json!({"material": material, "address_id": address});
    let uri = format!("/api/v1/cases/{id}/originals");
    // Only an original the matter takes by post.
    let r = app
        .json(
            "POST",
            &uri,
            Some(token),
            post("house_sale_contract", home),
            &[],
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, Some("material"))["errors"][0]["rule"],
        "not_by_post"
    );
    let r = app
        .json(
            "POST",
            &uri,
            Some(token),
            post(OLD_CERTIFICATE, "nope"),
            &[],
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, Some("address"))["errors"][0]["rule"],
        "unknown_address"
    );
    let r = app
        .json("POST", &uri, Some(token), post(OLD_CERTIFICATE, home), &[])
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let parcel = r.json();
    assert_eq!(
        (parcel["kind"].as_str(), parcel["state"].as_str()),
        (Some("original_in"), Some("created"))
    );
    let r = app
        .json("POST", &uri, Some(token), post(OLD_CERTIFICATE, home), &[])
        .await;
    assert_eq!(
        assert_problem(&r, 422, Some("material"))["errors"][0]["rule"],
        "already_posted"
    );
    let pid = parcel["id"].as_str().expect("id");

    // Not at the window yet.
    let receive = format!("/api/v1/parcels/{pid}/receive");
    let r = app
        .json("POST", &receive, Some(&clerk), json!({}), &[])
        .await;
    assert_eq!(
        assert_problem(&r, 422, Some("parcel"))["errors"][0]["rule"],
        "not_arrived"
    );
    // The applicant cannot receive at the window.
    let r = app
        .json("POST", &receive, Some(token), json!({}), &[])
        .await;
    assert_problem(&r, 403, None);

    for _ in 0..3 {
        assert_eq!(carrier_step(app, clock).await, 1);
    }
    let t = tracking(app, token, id).await;
    let arrived = parcel_of(&t, "original_in").await;
    assert_eq!(arrived["state"], "delivered", "{t}");
    let states: Vec<&str> = arrived["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["state"].as_str().expect("state"))
        .collect();
    assert_eq!(states, ["created", "picked_up", "in_transit", "delivered"]);

    let r = app
        .json("POST", &receive, Some(&clerk), json!({}), &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["received_ms"].is_i64());
    let r = app
        .json("POST", &receive, Some(&clerk), json!({}), &[])
        .await;
    assert_eq!(
        assert_problem(&r, 422, Some("parcel"))["errors"][0]["rule"],
        "already_received"
    );
    // The original is seen on its files: no trip for it.
    let files = app
        .get_as(&format!("/api/v1/cases/{id}/files"), &clerk)
        .await
        .json();
    let seen = files["items"]
        .as_array()
        .or(files.as_array())
        .expect("files")
        .iter()
        .filter(|f| f["material"] == OLD_CERTIFICATE)
        .all(|f| f["original_seen_by"].is_string());
    assert!(seen, "{files}");

    let back = format!("/api/v1/parcels/{pid}/return");
    let r = app.json("POST", &back, Some(&clerk), json!({}), &[]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["kind"], "original_back");
    let r = app.json("POST", &back, Some(&clerk), json!({}), &[]).await;
    assert_eq!(
        assert_problem(&r, 422, Some("parcel"))["errors"][0]["rule"],
        "already_returned"
    );
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), token)
        .await
        .json();
    assert_eq!(case["trips"], 0, "{case}");
}

async fn result_by_express(app: &TestApp, clock: &Clock, token: &str, id: &str) {
    let clerk = app.login("clerk").await;
    let list = app.get_as("/api/v1/me/addresses", token).await.json();
    let home = list[0]["id"].as_str().expect("home").to_owned();
    let wrong = list[1]["id"].as_str().expect("wrong").to_owned();
    let choose = |address: &str| json!({"address_id": address});
    let delivery = format!("/api/v1/cases/{id}/delivery");
    let ship = format!("/api/v1/cases/{id}/parcels");

    // Nothing to send before the result is issued, nor without an address.
    let r = app.json("POST", &ship, Some(&clerk), json!({}), &[]).await;
    assert_eq!(
        assert_problem(&r, 422, Some("case"))["errors"][0]["rule"],
        "not_issued"
    );
    approve(app, id).await;
    let (_, url) = open_payment(app, token, id).await;
    pay_at_sandbox(app, &url).await;
    assert_eq!(deliver_notices(app).await, 1);
    let r = issue(app, id).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app.json("POST", &ship, Some(&clerk), json!({}), &[]).await;
    assert_eq!(
        assert_problem(&r, 422, Some("address"))["errors"][0]["rule"],
        "no_address"
    );

    // First to an address the carrier cannot serve: it fails and is back
    // at the window; the case is not delivered.
    let r = app
        .json("PUT", &delivery, Some(token), choose(&wrong), &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app.json("POST", &ship, Some(&clerk), json!({}), &[]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = app.json("POST", &ship, Some(&clerk), json!({}), &[]).await;
    assert_eq!(
        assert_problem(&r, 422, Some("case"))["errors"][0]["rule"],
        "already_sent"
    );
    for _ in 0..3 {
        carrier_step(app, clock).await;
    }
    let t = tracking(app, token, id).await;
    assert_eq!(parcel_of(&t, "result").await["state"], "failed", "{t}");
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), token)
        .await
        .json();
    assert_eq!(case["status"], "result_issued");

    // The applicant corrects the address; the window sends it again.
    let r = app
        .json("PUT", &delivery, Some(token), choose(&home), &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["delivery_address"]["line"], "中山西路 1 号 101 室");
    let r = app.json("POST", &ship, Some(&clerk), json!({}), &[]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let waybill = r.json()["waybill"].as_str().expect("waybill").to_owned();

    callbacks_refused_and_replayed(app, clock, &waybill).await;

    // The sandbox walks it on; its late `picked_up` and `in_transit`
    // change nothing, its `delivered` delivers the case.
    for _ in 0..3 {
        carrier_step(app, clock).await;
    }
    let t = tracking(app, token, id).await;
    let result = parcel_of(&t, "result").await;
    assert_eq!(result["state"], "delivered", "{t}");
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), token)
        .await
        .json();
    assert_eq!(case["status"], "delivered", "{case}");
    assert_eq!(case["delivery"]["mode"], "express");
    assert_eq!(case["delivery"]["tracking"], waybill.as_str());
    assert_eq!(case["trips"], 0, "posted original, express result: no trip");
    let r = app
        .json("PUT", &delivery, Some(token), choose(&home), &[])
        .await;
    assert_eq!(
        assert_problem(&r, 422, Some("case"))["errors"][0]["rule"],
        "case_closed"
    );

    // The applicant was told of each move.
    let messages = app
        .get_as("/api/v1/me/messages?per_page=100", token)
        .await
        .json();
    let moved = messages["items"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["kind"] == "parcel_moved")
        .count();
    assert!(moved >= 12, "{messages}");
    // Someone else's case is not tracked.
    let other = app.login("applicant2").await;
    let r = app
        .get_as(&format!("/api/v1/cases/{id}/parcels"), &other)
        .await;
    assert_problem(&r, 404, None);
}

async fn callbacks_refused_and_replayed(app: &TestApp, clock: &Clock, waybill: &str) {
    let now = clock.now_ms() / 1000;
    let key = carrier_key();
    let body = |state: &str| json!({"waybill": waybill, "state": state, "at_ms": clock.now_ms()});
    let forger = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let r = carrier_notify(app, &forger, now, "forged1", &body("delivered")).await;
    assert_eq!(
        assert_problem(&r, 422, Some("yici-carrier-signature"))["errors"][0]["rule"],
        "bad_signature"
    );
    let r = carrier_notify(app, &key, now - 3600, "stale1", &body("delivered")).await;
    assert_eq!(
        assert_problem(&r, 422, Some("yici-carrier-signature"))["errors"][0]["rule"],
        "stale_timestamp"
    );
    let unknown = json!({"waybill": "SBX000000000000", "state": "delivered", "at_ms": 1});
    let r = carrier_notify(app, &key, now, "unknown1", &unknown).await;
    assert_problem(&r, 404, None);
    let r = carrier_notify(
        app,
        &key,
        now,
        "weird1",
        &json!({"waybill": waybill, "state": "lost", "at_ms": 1}),
    )
    .await;
    assert_eq!(
        assert_problem(&r, 422, Some("body"))["errors"][0]["rule"],
        "malformed_notice"
    );

    // A genuine callback moves the parcel once; the same one again is a replay.
    let in_transit = body("in_transit");
    let r = carrier_notify(app, &key, now, "genuine1", &in_transit).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["changed"], true);
    let r = carrier_notify(app, &key, now, "genuine1", &in_transit).await;
    assert_eq!(
        assert_problem(&r, 422, Some("yici-carrier-nonce"))["errors"][0]["rule"],
        "replayed_nonce"
    );
    // A late report (picked up, after in transit) changes nothing.
    let r = carrier_notify(app, &key, now, "late1", &body("picked_up")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.json()["changed"].as_bool(), r.json()["state"].as_str()),
        (Some(false), Some("in_transit"))
    );

    let supervisor = app.login("supervisor").await;
    let log = app
        .get_as("/api/v1/parcels/callbacks?per_page=100", &supervisor)
        .await
        .json();
    let refused: Vec<&str> = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|l| l["outcome"] == "refused")
        .map(|l| l["rule"].as_str().expect("rule"))
        .collect();
    for rule in [
        "bad_signature",
        "stale_timestamp",
        "unknown_waybill",
        "malformed_notice",
        "replayed_nonce",
    ] {
        assert!(refused.contains(&rule), "{rule} logged: {log}");
    }
}
