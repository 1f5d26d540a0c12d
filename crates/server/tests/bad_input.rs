//! Bad input on every write endpoint (DESIGN invariant 2): a 4xx
//! `application/problem+json` naming the field and the rule, and nothing
//! written — no case created, no version or event added.

mod support;

use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};
use support::{Reply, TestApp, assert_problem, form_for, karaoke_form, zhang_san};

/// Who sends a request.
#[derive(Debug, Clone, Copy)]
enum Who {
    Nobody,
    Clerk,
    Applicant,
    Reviewer,
}

/// One bad request and the problem it must get.
struct Bad {
    what: &'static str,
    who: Who,
    body: String,
    headers: Vec<(&'static str, String)>,
    status: u16,
    /// `(field, rule)` of the first error, for validation problems.
    field: Option<(&'static str, &'static str)>,
}

fn bad(
    what: &'static str,
    body: Value,
    status: u16,
    field: &'static str,
    rule: &'static str,
) -> Bad {
    Bad {
        what,
        who: Who::Clerk,
        body: body.to_string(),
        headers: Vec::new(),
        status,
        field: Some((field, rule)),
    }
}

fn refused(what: &'static str, body: Value, status: u16) -> Bad {
    Bad {
        field: None,
        ..bad(what, body, status, "", "")
    }
}

impl Bad {
    fn by(mut self, who: Who) -> Self {
        self.who = who;
        self
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    fn raw(mut self, body: String) -> Self {
        self.body = body;
        self
    }
}

/// The demo application with the tokens the tables need.
struct Desk {
    app: TestApp,
    clerk: String,
    applicant: String,
    supervisor: String,
    reviewer: String,
}

impl Desk {
    async fn new() -> Self {
        let app = TestApp::demo().await;
        Desk {
            clerk: app.login("clerk").await,
            applicant: app.login("applicant").await,
            supervisor: app.login("supervisor").await,
            reviewer: app.login("reviewer-scjg").await,
            app,
        }
    }

    fn token(&self, who: Who) -> Option<&str> {
        match who {
            Who::Nobody => None,
            Who::Clerk => Some(&self.clerk),
            Who::Applicant => Some(&self.applicant),
            Who::Reviewer => Some(&self.reviewer),
        }
    }

    async fn send(&self, uri: &str, b: &Bad) -> Reply {
        let mut req = Request::post(uri).header("content-type", "application/json");
        if let Some(t) = self.token(b.who) {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in &b.headers {
            req = req.header(*k, v.as_str());
        }
        self.app
            .send(req.body(Body::from(b.body.clone())).expect("request"))
            .await
    }

    /// How many cases exist, as the supervisor sees it.
    async fn cases(&self) -> u64 {
        let r = self.app.get_as("/api/v1/cases", &self.supervisor).await;
        r.json()["total"].as_u64().expect("total")
    }

    /// A case's version and the length of its history.
    async fn history(&self, id: &str) -> (u64, usize) {
        let r = self
            .app
            .get_as(&format!("/api/v1/cases/{id}"), &self.supervisor)
            .await;
        let case = r.json();
        let events = case["events"].as_array().map_or(0, Vec::len);
        (case["version"].as_u64().expect("version"), events)
    }

    async fn post(&self, who: Who, uri: &str, body: Value) -> Value {
        let r = self.send(uri, &refused("setup", body, 0).by(who)).await;
        assert!(r.status.is_success(), "{uri}: {}", r.body);
        r.json()
    }

    /// A karaoke case submitted at the window (version 1).
    async fn karaoke(&self) -> Value {
        self.post(Who::Clerk, "/api/v1/cases", window(&self.app))
            .await
    }

    /// A single-matter case (one task, 营业性演出审批) taken up to `result_issued`.
    async fn issued(&self) -> String {
        let mut body = window(&self.app);
        body["one_thing"] = Value::Null;
        body["matter"] = json!(SHOW);
        body["form"] = show_form(&self.app);
        let case = self.post(Who::Clerk, "/api/v1/cases", body).await;
        let id = case["id"].as_str().expect("id").to_owned();
        let act = |a: &str| format!("/api/v1/cases/{id}/{a}");
        self.post(Who::Clerk, &act("accept"), json!({"version": 1}))
            .await;
        let task = case["tasks"][0]["id"].as_str().expect("task");
        let reviewer = self.app.login("reviewer-wglj").await;
        let r = self
            .app
            .json(
                "POST",
                &format!("/api/v1/tasks/{task}/decision"),
                Some(&reviewer),
                json!({"outcome": "approve"}),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json()["version"].as_u64().expect("version");
        self.post(Who::Clerk, &act("issue"), json!({"version": v}))
            .await;
        id
    }

    /// Sends every row to `uri`, checks its problem, and checks that the
    /// number of cases (and case `id`'s version and history) did not move.
    async fn refuse_all(&self, uri: &str, rows: &[Bad], id: Option<&str>) {
        for b in rows {
            let before = (self.cases().await, self.history_of(id).await);
            let r = self.send(uri, b).await;
            check(&r, b);
            let after = (self.cases().await, self.history_of(id).await);
            assert_eq!(before, after, "{}: something was written", b.what);
        }
    }

    async fn history_of(&self, id: Option<&str>) -> Option<(u64, usize)> {
        match id {
            Some(id) => Some(self.history(id).await),
            None => None,
        }
    }
}

fn check(r: &Reply, b: &Bad) {
    assert_eq!(r.status.as_u16(), b.status, "{}: {}", b.what, r.body);
    let p = assert_problem(r, b.status, b.field.map(|(f, _)| f));
    if let Some((field, rule)) = b.field {
        assert_eq!(p["errors"][0]["field"], field, "{}: {p}", b.what);
        assert_eq!(p["errors"][0]["rule"], rule, "{}: {p}", b.what);
    }
}

/// The single matter used for delivery: one department, one task.
const SHOW: &str = "330200-WGLJ-002";

fn show_form(app: &TestApp) -> Value {
    let plan = yici_catalog::plan(app.state.catalog(), SHOW).expect("plan");
    form_for(&plan.form)
}

fn retirement_form(app: &TestApp) -> Value {
    let code = yici_core::catalog::OneThingCode::parse("ot-retirement").expect("code");
    form_for(&app.state.plan(&code).expect("plan").form)
}

/// A complete karaoke application at the clerk's window.
fn window(app: &TestApp) -> Value {
    json!({
        "one_thing": "ot-karaoke",
        "channel": "window",
        "applicant": {"kind": "person", "resident_id": zhang_san(), "name": "张三", "region": "330212"},
        "form": karaoke_form(app),
    })
}

/// `window` with the value at `path` (form keys whole: `["form", "venue.area"]`) set to `v`.
fn with(app: &TestApp, path: &[&str], v: Value) -> Value {
    let mut body = window(app);
    let mut at = &mut body;
    for p in &path[..path.len() - 1] {
        at = &mut at[*p];
    }
    at[path[path.len() - 1]] = v;
    body
}

/// `window` without the value at `path`.
fn without(app: &TestApp, path: &[&str]) -> Value {
    let mut body = window(app);
    let mut at = &mut body;
    for p in &path[..path.len() - 1] {
        at = &mut at[*p];
    }
    at.as_object_mut()
        .expect("object")
        .remove(path[path.len() - 1]);
    body
}

/// The last character replaced, so that a check digit fails.
fn broken_check(id: &str) -> String {
    let last = if id.ends_with('1') { '2' } else { '1' };
    format!("{}{last}", &id[..id.len() - 1])
}

fn oversized() -> String {
    json!({"padding": "x".repeat(70 * 1024)}).to_string()
}

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
    let uscc = yici_server::demo::uscc("330212", "MA2H7K3L");
    let enterprise = |uscc: &str| json!({"kind": "enterprise", "uscc": uscc, "name": "宁波欢唱", "region": "330212"});
    #[rustfmt::skip]
    let rows = [
        bad("resident ID check digit", with(a, &["applicant", "resident_id"], json!(broken_check(&zhang_san()))), 422, "applicant.resident_id", "check_digit"),
        bad("resident ID impossible date", with(a, &["applicant", "resident_id"], json!(yici_server::demo::resident_id("33021219900230001"))), 422, "applicant.resident_id", "birth_date"),
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
    for_li_mei["applicant"] = json!({"kind": "person", "resident_id": yici_server::demo::resident_id("33020319881115002"), "name": "李梅", "region": "330203"});
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

// --- POST /api/v1/cases/{id}/{action} ----------------------------------------

#[tokio::test]
async fn action_without_version_is_428_and_with_a_stale_one_409() {
    let desk = Desk::new().await;
    let id = desk.karaoke().await["id"].as_str().expect("id").to_owned();
    #[rustfmt::skip]
    let rows = [
        refused("no version", json!({}), 428),
        refused("stale version in body", json!({"version": 7}), 409),
        refused("stale If-Match", json!({}), 409).header("if-match", "\"0\""),
        bad("If-Match not a version", json!({}), 422, "If-Match", "version") .header("if-match", "\"abc\""),
        bad("string for version", json!({"version": "1"}), 422, "version", "type"),
    ];
    desk.refuse_all(&format!("/api/v1/cases/{id}/accept"), &rows, Some(&id))
        .await;
}

#[tokio::test]
async fn action_fields_breaking_their_rules_are_422_naming_field_and_rule() {
    let desk = Desk::new().await;
    let id = desk.karaoke().await["id"].as_str().expect("id").to_owned();
    let uri = |a: &str| format!("/api/v1/cases/{id}/{a}");
    #[rustfmt::skip]
    let table = [
        ("accept-with-deficiency", bad("no materials", json!({"version": 1, "due_in": 5}), 422, "materials", "required")),
        ("accept-with-deficiency", bad("empty materials", json!({"version": 1, "materials": [], "due_in": 5}), 422, "materials", "deficiency_materials_required")),
        ("accept-with-deficiency", bad("malformed material", json!({"version": 1, "materials": ["租赁 合同"], "due_in": 5}), 422, "materials", "charset")),
        ("accept-with-deficiency", bad("no due_in", json!({"version": 1, "materials": ["venue_lease"]}), 422, "due_in", "required")),
        ("accept-with-deficiency", bad("due_in too large", json!({"version": 1, "materials": ["venue_lease"], "due_in": 5000}), 422, "due_in", "too_many_working_days")),
        ("accept-with-deficiency", bad("negative due_in", json!({"version": 1, "materials": ["venue_lease"], "due_in": -1}), 422, "due_in", "type")),
        ("reject", bad("no reason", json!({"version": 1}), 422, "reason", "reason_required")),
        ("reject", bad("blank reason", json!({"version": 1, "reason": "   "}), 422, "reason", "reason_required")),
        ("reject", bad("number for reason", json!({"version": 1, "reason": 5}), 422, "reason", "type")),
        ("deliver", bad("no mode", json!({"version": 1}), 422, "mode", "required")),
        ("deliver", bad("unknown mode", json!({"version": 1, "mode": "pigeon"}), 422, "mode", "one_of")),
        ("rate", bad("score out of range", json!({"version": 1, "score": 9}), 422, "score", "rating_range") .by(Who::Applicant)),
        ("rate", bad("string for score", json!({"version": 1, "score": "5"}), 422, "score", "type") .by(Who::Applicant)),
        ("accept", refused("body over 64 KiB", json!(null), 413).raw(oversized())),
        ("frobnicate", refused("unknown action", json!({"version": 1}), 404)),
    ];
    for (action, b) in table {
        desk.refuse_all(&uri(action), &[b], Some(&id)).await;
    }
}

#[tokio::test]
async fn action_not_allowed_now_or_for_the_role_writes_nothing() {
    let desk = Desk::new().await;
    let id = desk.karaoke().await["id"].as_str().expect("id").to_owned();
    let uri = |a: &str| format!("/api/v1/cases/{id}/{a}");
    #[rustfmt::skip]
    let table = [
        ("rate", refused("rate before delivery", json!({"version": 1, "score": 5}), 409) .by(Who::Applicant)),
        ("issue", refused("issue before decision", json!({"version": 1}), 409)),
        ("deliver", refused("deliver before issue", json!({"version": 1, "mode": "electronic"}), 409)),
        ("supplement", refused("nothing to supplement", json!({"version": 1, "at_window": true}), 409)),
        ("accept", refused("applicant accepts", json!({"version": 1}), 403).by(Who::Applicant)),
        ("withdraw", refused("clerk withdraws for the applicant", json!({"version": 1, "reason": "不办了"}), 403)),
        ("accept", refused("reviewer accepts", json!({"version": 1}), 403).by(Who::Reviewer)),
        ("accept", refused("no session", json!({"version": 1}), 401).by(Who::Nobody)),
    ];
    for (action, b) in table {
        desk.refuse_all(&uri(action), &[b], Some(&id)).await;
    }
    let missing = format!("/api/v1/cases/{}/accept", uuid::Uuid::now_v7());
    desk.refuse_all(
        &missing,
        &[refused("unknown case", json!({"version": 1}), 404)],
        None,
    )
    .await;
}

#[tokio::test]
async fn accepting_twice_is_409_and_writes_nothing() {
    let desk = Desk::new().await;
    let id = desk.karaoke().await["id"].as_str().expect("id").to_owned();
    let uri = format!("/api/v1/cases/{id}/accept");
    desk.post(Who::Clerk, &uri, json!({"version": 1})).await;
    let again = refused(
        "accept again at the current version",
        json!({"version": 2}),
        409,
    );
    desk.refuse_all(&uri, &[again], Some(&id)).await;
}

#[tokio::test]
async fn delivery_without_its_details_is_422_naming_the_field() {
    let desk = Desk::new().await;
    let id = desk.issued().await;
    let (v, _) = desk.history(&id).await;
    #[rustfmt::skip]
    let rows = [
        bad("express without tracking", json!({"version": v, "mode": "express"}), 422, "tracking", "tracking_required"),
        bad("malformed tracking", json!({"version": v, "mode": "express", "tracking": "单号?"}), 422, "tracking", "charset"),
        bad("window without window", json!({"version": v, "mode": "window"}), 422, "window", "window_required"),
        bad("tracking for window pickup", json!({"version": v, "mode": "window", "window": "w-commerce", "tracking": "SF1234567890"}), 422, "tracking", "tracking_only_for_express"),
        bad("window for electronic delivery", json!({"version": v, "mode": "electronic", "window": "w-commerce"}), 422, "window", "window_only_for_pickup"),
    ];
    desk.refuse_all(&format!("/api/v1/cases/{id}/deliver"), &rows, Some(&id))
        .await;
    let rate = refused(
        "rate before delivery",
        json!({"version": v, "score": 5}),
        409,
    )
    .by(Who::Applicant);
    desk.refuse_all(&format!("/api/v1/cases/{id}/rate"), &[rate], Some(&id))
        .await;
}

// --- POST /api/v1/tasks/{id}/decision ----------------------------------------

/// An accepted karaoke case; its market-regulation task is open, its fire
/// task waits for it. Returns (case id, scjg task, xf task).
async fn accepted(desk: &Desk) -> (String, String, String) {
    let case = desk.karaoke().await;
    let id = case["id"].as_str().expect("id").to_owned();
    desk.post(
        Who::Clerk,
        &format!("/api/v1/cases/{id}/accept"),
        json!({"version": 1}),
    )
    .await;
    let task = |d: &str| {
        case["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .find(|t| t["department"] == d)
            .and_then(|t| t["id"].as_str())
            .expect("task")
            .to_owned()
    };
    (id, task("scjg"), task("xf"))
}

#[tokio::test]
async fn decision_refusals_name_field_and_rule_and_write_nothing() {
    let desk = Desk::new().await;
    let (id, scjg, _) = accepted(&desk).await;
    #[rustfmt::skip]
    let rows = [
        bad("unknown outcome", json!({"outcome": "maybe"}), 422, "outcome", "one_of"),
        bad("number for outcome", json!({"outcome": 1}), 422, "outcome", "type"),
        bad("supplement without materials", json!({"outcome": "supplement", "comment": "缺"}), 422, "materials", "supplement_materials_required"),
        bad("malformed material", json!({"outcome": "supplement", "comment": "缺", "materials": ["a b"]}), 422, "materials", "charset"),
        bad("If-Match not a version", json!({"outcome": "approve"}), 422, "If-Match", "version") .header("if-match", "v2"),
        refused("stale version", json!({"outcome": "approve", "version": 1}), 409),
        refused("body over 64 KiB", json!(null), 413).raw(oversized()),
        refused("clerk decides", json!({"outcome": "approve"}), 403),
        refused("no session", json!({"outcome": "approve"}), 401).by(Who::Nobody),
    ];
    let rows: Vec<Bad> = rows
        .into_iter()
        .map(|b| match b.who {
            Who::Clerk if b.what != "clerk decides" => b.by(Who::Reviewer),
            _ => b,
        })
        .collect();
    desk.refuse_all(&format!("/api/v1/tasks/{scjg}/decision"), &rows, Some(&id))
        .await;
}

#[tokio::test]
async fn deciding_a_task_that_is_not_open_is_409_and_writes_nothing() {
    let desk = Desk::new().await;
    let (id, scjg, xf) = accepted(&desk).await;
    let fire = desk.app.login("reviewer-xf").await;
    let waiting = desk
        .app
        .json(
            "POST",
            &format!("/api/v1/tasks/{xf}/decision"),
            Some(&fire),
            json!({"outcome": "approve"}),
            &[],
        )
        .await;
    assert_problem(&waiting, 409, None);
    let uri = format!("/api/v1/tasks/{scjg}/decision");
    desk.post(Who::Reviewer, &uri, json!({"outcome": "approve"}))
        .await;
    let again = refused(
        "decide again",
        json!({"outcome": "deny", "comment": "改主意"}),
        409,
    )
    .by(Who::Reviewer);
    desk.refuse_all(&uri, &[again], Some(&id)).await;
}

#[tokio::test]
async fn deciding_an_unknown_task_is_404() {
    let desk = Desk::new().await;
    let rows = [refused("unknown task", json!({"outcome": "approve"}), 404).by(Who::Reviewer)];
    let unknown = uuid::Uuid::now_v7();
    desk.refuse_all(&format!("/api/v1/tasks/{unknown}/decision"), &rows, None)
        .await;
    desk.refuse_all("/api/v1/tasks/not-a-task/decision", &rows, None)
        .await;
}

#[tokio::test]
async fn denial_without_comment_names_the_comment_field() {
    let desk = Desk::new().await;
    let (id, scjg, _) = accepted(&desk).await;
    #[rustfmt::skip]
    let rows = [
        bad("deny without comment", json!({"outcome": "deny"}), 422, "comment", "reason_required") .by(Who::Reviewer),
        bad("deny with blank comment", json!({"outcome": "deny", "comment": " "}), 422, "comment", "reason_required") .by(Who::Reviewer),
    ];
    desk.refuse_all(&format!("/api/v1/tasks/{scjg}/decision"), &rows, Some(&id))
        .await;
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
