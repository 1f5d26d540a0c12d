//! Bad input to sign-in and to submitting a case, and to every endpoint's
//! body: 4xx problem+json naming the field and the rule, nothing written.

mod support;

use serde_json::{Value, json};
use support::refusal::*;
use support::{karaoke_form, zhang_san};

// --- POST /api/v1/sessions ---------------------------------------------

#[tokio::test]
async fn sign_in_refusals_name_field_and_rule() {
    let desk = Desk::new().await;
    #[rustfmt::skip]
    let rows = [
        bad("wrong password", json!({"username": "clerk", "password": "nope"}), 422, "password", "credentials"),
        bad("unknown user", json!({"username": "nobody", "password": "demo"}), 422, "password", "credentials"),
        bad("number for string", json!({"username": 5, "password": "demo"}), 422, "username", "type"),
    ];
    for b in &rows {
        check(&desk.send("/api/v1/sessions", b).await, b);
    }
}

#[tokio::test]
async fn sign_in_over_64_kib_is_413() {
    let desk = Desk::new().await;
    let b = refused("oversized", json!(null), 413).raw(oversized());
    check(&desk.send("/api/v1/sessions", &b).await, &b);
}

#[tokio::test]
async fn sign_in_without_password_names_the_missing_field() {
    let desk = Desk::new().await;
    let b = bad(
        "missing",
        json!({"username": "clerk"}),
        422,
        "password",
        "required",
    );
    check(&desk.send("/api/v1/sessions", &b).await, &b);
}

// --- POST /api/v1/cases ----------------------------------------------------

#[tokio::test]
async fn unknown_or_ambiguous_target_is_422_and_creates_nothing() {
    let desk = Desk::new().await;
    let a = &desk.app;
    #[rustfmt::skip]
    let rows = [
        bad("unknown one-thing", with(a, &["one_thing"], json!("ot-nope")), 422, "one_thing", "unknown_one_thing"),
        bad("malformed one-thing code", with(a, &["one_thing"], json!("开KTV")), 422, "one_thing", "charset"),
        bad("unknown matter", json!({"matter": "330200-XXX-999", "one_thing": null, "channel": "window", "applicant": window(a)["applicant"], "form": {}}), 422, "matter", "unknown_matter"),
        bad("both one-thing and matter", with(a, &["matter"], json!(SHOW)), 422, "one_thing", "one_of"),
        bad("neither one-thing nor matter", without(a, &["one_thing"]), 422, "one_thing", "one_of"),
    ];
    desk.refuse_all("/api/v1/cases", &rows, None).await;
}

#[tokio::test]
async fn invalid_applicant_identifiers_are_422_naming_identifier_and_rule() {
    let desk = Desk::new().await;
    let a = &desk.app;
    let uscc = yici_service::demo::uscc("330212", "MA2H7K3L");
    let enterprise = |uscc: &str| json!({"kind": "enterprise", "uscc": uscc, "name": "宁波欢唱", "region": "330212"});
    #[rustfmt::skip]
    let rows = [
        bad("resident ID check digit", with(a, &["applicant", "resident_id"], json!(broken_check(&zhang_san()))), 422, "applicant.resident_id", "check_digit"),
        bad("resident ID impossible date", with(a, &["applicant", "resident_id"], json!(yici_service::demo::resident_id("33021219900230001"))), 422, "applicant.resident_id", "birth_date"),
        bad("resident ID too short", with(a, &["applicant", "resident_id"], json!("3302121990")), 422, "applicant.resident_id", "length"),
        bad("USCC check digit", with(a, &["applicant"], enterprise(&broken_check(&uscc))), 422, "applicant.uscc", "check_digit"),
        bad("USCC charset", with(a, &["applicant"], enterprise("91330212MA2H7K3L0!")), 422, "applicant.uscc", "charset"),
        bad("region", with(a, &["applicant", "region"], json!("33A212")), 422, "applicant.region", "charset"),
        bad("blank name", with(a, &["applicant", "name"], json!("  ")), 422, "applicant.name", "length"),
        bad("unknown applicant kind", with(a, &["applicant", "kind"], json!("alien")), 422, "applicant.kind", "one_of"),
    ];
    desk.refuse_all("/api/v1/cases", &rows, None).await;
}

#[tokio::test]
async fn form_field_failing_its_validation_is_422_naming_field_and_rule() {
    let desk = Desk::new().await;
    let a = &desk.app;
    let f = |k: &'static str, v: Value| with(a, &["form", k], v);
    let mut retirement = window(a);
    retirement["one_thing"] = json!("ot-retirement");
    retirement["form"] = retirement_form(a);
    retirement["form"]["bank.account"] = json!("62220212AB");
    let mut show = window(a);
    show["one_thing"] = Value::Null;
    show["matter"] = json!(SHOW);
    show["form"] = show_form(a);
    show["form"]["show.date"] = json!("2026-02-30");
    #[rustfmt::skip]
    let rows = [
        bad("missing required", without(a, &["form", "venue.area"]), 422, "form.venue.area", "required"),
        bad("unknown form field", f("venue.colour", json!("红")), 422, "form.venue.colour", "unknown_field"),
        bad("below min", f("venue.area", json!(0)), 422, "form.venue.area", "min"),
        bad("above max", f("venue.rooms", json!(5000)), 422, "form.venue.rooms", "max"),
        bad("not a choice", f("karaoke.kind", json!("夜总会")), 422, "form.karaoke.kind", "choice"),
        bad("not a phone", f("applicant.phone", json!("12345")), 422, "form.applicant.phone", "phone"),
        bad("over max length", f("enterprise.name", json!("店".repeat(101))), 422, "form.enterprise.name", "max_length"),
        bad("resident ID in form", f("enterprise.legal_rep_resident_id", json!(broken_check(&zhang_san()))), 422, "form.enterprise.legal_rep_resident_id", "check_digit"),
        bad("region in form", f("venue.region", json!("3302")), 422, "form.venue.region", "length"),
        bad("pattern", retirement, 422, "form.bank.account", "pattern"),
        bad("impossible date", show, 422, "form.show.date", "date"),
    ];
    desk.refuse_all("/api/v1/cases", &rows, None).await;
}

#[tokio::test]
async fn wrong_json_types_are_422_naming_field_and_rule() {
    let desk = Desk::new().await;
    let a = &desk.app;
    #[rustfmt::skip]
    let rows = [
        bad("string for number in form", with(a, &["form", "venue.area"], json!("100")), 422, "form.venue.area", "type"),
        bad("number for string in form", with(a, &["form", "enterprise.name"], json!(5)), 422, "form.enterprise.name", "type"),
        bad("number for channel", with(a, &["channel"], json!(5)), 422, "channel", "type"),
        bad("string for applicant", with(a, &["applicant"], json!("张三")), 422, "applicant", "type"),
    ];
    desk.refuse_all("/api/v1/cases", &rows, None).await;
}

#[tokio::test]
async fn wrong_channel_or_window_is_422_and_creates_nothing() {
    let desk = Desk::new().await;
    let a = &desk.app;
    let online =
        |app| json!({"one_thing": "ot-karaoke", "channel": "online", "form": karaoke_form(app)});
    let mut for_li_mei = online(a);
    for_li_mei["applicant"] = json!({"kind": "person", "resident_id": yici_service::demo::resident_id("33020319881115002"), "name": "李梅", "region": "330203"});
    #[rustfmt::skip]
    let rows = [
        bad("unknown channel", with(a, &["channel"], json!("fax")), 422, "channel", "one_of"),
        bad("clerk online", with(a, &["channel"], json!("online")), 422, "channel", "channel_for_role"),
        bad("applicant at a window", with(a, &["channel"], json!("window")), 422, "channel", "channel_for_role").by(Who::Applicant),
        bad("window without applicant", without(a, &["applicant"]), 422, "applicant", "required"),
        bad("another clerk's window", with(a, &["window"], json!("w-social")), 422, "window", "own_window"),
        bad("applicant outside the city", with(a, &["applicant", "region"], json!("330106")), 422, "applicant.region", "outside_city"),
        bad("idempotency key too long", window(a), 422, "Idempotency-Key", "format").header("idempotency-key", &"k".repeat(201)),
        refused("applicant for someone else", for_li_mei, 403).by(Who::Applicant),
        refused("reviewer submits", window(a), 403).by(Who::Reviewer),
        refused("no session", window(a), 401).by(Who::Nobody),
    ];
    desk.refuse_all("/api/v1/cases", &rows, None).await;
}

#[tokio::test]
async fn body_over_64_kib_is_413_and_creates_nothing() {
    let desk = Desk::new().await;
    let mut big = window(&desk.app);
    big["form"]["venue.address"] = json!("路".repeat(30 * 1024));
    #[rustfmt::skip]
    let rows = [
        refused("64 KiB + a little", json!(null), 413).raw(big.to_string()),
        refused("over the 1 MiB read limit", json!(null), 413).raw("x".repeat(2 * 1024 * 1024)),
    ];
    desk.refuse_all("/api/v1/cases", &rows, None).await;
}

#[tokio::test]
async fn reused_idempotency_key_with_another_body_is_422_and_creates_nothing() {
    let desk = Desk::new().await;
    let a = &desk.app;
    let first = refused("first", window(a), 201).header("idempotency-key", "twice");
    assert_eq!(desk.send("/api/v1/cases", &first).await.status, 201);
    let rows = [bad(
        "another body",
        with(a, &["applicant", "name"], json!("李四")),
        422,
        "Idempotency-Key",
        "idempotency_key_reused",
    )
    .header("idempotency-key", "twice")];
    desk.refuse_all("/api/v1/cases", &rows, None).await;
    assert_eq!(desk.cases().await, 1);
}

#[tokio::test]
async fn missing_body_field_names_the_field_with_rule_required() {
    let desk = Desk::new().await;
    let a = &desk.app;
    #[rustfmt::skip]
    let rows = [
        bad("missing channel", without(a, &["channel"]), 422, "channel", "required"),
        bad("missing applicant name", without(a, &["applicant", "name"]), 422, "applicant.name", "required"),
    ];
    desk.refuse_all("/api/v1/cases", &rows, None).await;
}

#[tokio::test]
async fn unknown_body_field_is_named_with_rule_unknown_field() {
    let desk = Desk::new().await;
    let rows = [bad(
        "unknown field",
        with(&desk.app, &["priority"], json!("high")),
        422,
        "priority",
        "unknown_field",
    )];
    desk.refuse_all("/api/v1/cases", &rows, None).await;
}

// --- every endpoint -----------------------------------------------------------

#[tokio::test]
async fn malformed_json_is_422_naming_the_body_on_every_endpoint() {
    let desk = Desk::new().await;
    let (id, scjg, _) = accepted(&desk).await;
    #[rustfmt::skip]
    let table = [
        ("/api/v1/sessions".to_owned(), "{\"username\": ", Who::Nobody),
        ("/api/v1/cases".to_owned(), "{\"one_thing\": \"ot-karaoke\",", Who::Clerk),
        (format!("/api/v1/cases/{id}/reject"), "{\"version\": 2", Who::Clerk),
        (format!("/api/v1/tasks/{scjg}/decision"), "{\"outcome\":", Who::Reviewer),
    ];
    for (uri, raw, who) in table {
        let b = bad("malformed JSON", json!(null), 422, "body", "json_syntax")
            .raw(raw.to_owned())
            .by(who);
        desk.refuse_all(&uri, &[b], Some(&id)).await;
    }
}

#[tokio::test]
async fn form_that_is_not_an_object_is_422_naming_form() {
    let desk = Desk::new().await;
    let b = bad(
        "form not an object",
        with(&desk.app, &["form"], json!("everything")),
        422,
        "form",
        "type",
    );
    desk.refuse_all("/api/v1/cases", &[b], None).await;
}
