//! Refused requests and what they must leave untouched: the table rows and
//! the clerk's desk shared by the bad-input tests.

#![allow(dead_code, unused_imports)]

use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};

use super::{Reply, TestApp, assert_problem, form_for, karaoke_form, zhang_san};

/// Who sends a request.
#[derive(Debug, Clone, Copy)]
pub enum Who {
    Nobody,
    Clerk,
    Applicant,
    Reviewer,
}

/// One bad request and the problem it must get.
pub struct Bad {
    pub what: &'static str,
    pub who: Who,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
    pub status: u16,
    /// `(field, rule)` of the first error, for validation problems.
    pub field: Option<(&'static str, &'static str)>,
}

pub fn bad(
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

pub fn refused(what: &'static str, body: Value, status: u16) -> Bad {
    Bad {
        field: None,
        ..bad(what, body, status, "", "")
    }
}

impl Bad {
    pub fn by(mut self, who: Who) -> Self {
        self.who = who;
        self
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    pub fn raw(mut self, body: String) -> Self {
        self.body = body;
        self
    }
}

/// The demo application with the tokens the tables need.
pub struct Desk {
    pub app: TestApp,
    pub clerk: String,
    pub applicant: String,
    pub supervisor: String,
    pub reviewer: String,
}

impl Desk {
    pub async fn new() -> Self {
        let app = TestApp::demo().await;
        Desk {
            clerk: app.login("clerk").await,
            applicant: app.login("applicant").await,
            supervisor: app.login("supervisor").await,
            reviewer: app.login("reviewer-scjg").await,
            app,
        }
    }

    pub fn token(&self, who: Who) -> Option<&str> {
        match who {
            Who::Nobody => None,
            Who::Clerk => Some(&self.clerk),
            Who::Applicant => Some(&self.applicant),
            Who::Reviewer => Some(&self.reviewer),
        }
    }

    pub async fn send(&self, uri: &str, b: &Bad) -> Reply {
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
    pub async fn cases(&self) -> u64 {
        let r = self.app.get_as("/api/v1/cases", &self.supervisor).await;
        r.json()["total"].as_u64().expect("total")
    }

    /// A case's version and the length of its history.
    pub async fn history(&self, id: &str) -> (u64, usize) {
        let r = self
            .app
            .get_as(&format!("/api/v1/cases/{id}"), &self.supervisor)
            .await;
        let case = r.json();
        let events = case["events"].as_array().map_or(0, Vec::len);
        (case["version"].as_u64().expect("version"), events)
    }

    pub async fn post(&self, who: Who, uri: &str, body: Value) -> Value {
        let r = self.send(uri, &refused("setup", body, 0).by(who)).await;
        assert!(r.status.is_success(), "{uri}: {}", r.body);
        r.json()
    }

    /// A karaoke case submitted at the window (version 1).
    pub async fn karaoke(&self) -> Value {
        self.post(Who::Clerk, "/api/v1/cases", window(&self.app))
            .await
    }

    /// A single-matter case (one task, 营业性演出审批) taken up to `result_issued`.
    pub async fn issued(&self) -> String {
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
    pub async fn refuse_all(&self, uri: &str, rows: &[Bad], id: Option<&str>) {
        for b in rows {
            let before = (self.cases().await, self.history_of(id).await);
            let r = self.send(uri, b).await;
            check(&r, b);
            let after = (self.cases().await, self.history_of(id).await);
            assert_eq!(before, after, "{}: something was written", b.what);
        }
    }

    pub async fn history_of(&self, id: Option<&str>) -> Option<(u64, usize)> {
        match id {
            Some(id) => Some(self.history(id).await),
            None => None,
        }
    }
}

pub fn check(r: &Reply, b: &Bad) {
    assert_eq!(r.status.as_u16(), b.status, "{}: {}", b.what, r.body);
    let p = assert_problem(r, b.status, b.field.map(|(f, _)| f));
    if let Some((field, rule)) = b.field {
        assert_eq!(p["errors"][0]["field"], field, "{}: {p}", b.what);
        assert_eq!(p["errors"][0]["rule"], rule, "{}: {p}", b.what);
    }
}

/// The single matter used for delivery: one department, one task.
pub const SHOW: &str = "330200-WGLJ-002";

pub fn show_form(app: &TestApp) -> Value {
    let plan = yici_catalog::plan(app.state.catalog(), SHOW).expect("plan");
    form_for(&plan.form)
}

pub fn retirement_form(app: &TestApp) -> Value {
    let code = yici_core::catalog::OneThingCode::parse("ot-retirement").expect("code");
    form_for(&app.plan(&code).form)
}

/// A complete karaoke application at the clerk's window.
pub fn window(app: &TestApp) -> Value {
    json!({
        "one_thing": "ot-karaoke",
        "channel": "window",
        "applicant": {"kind": "person", "resident_id": zhang_san(), "name": "张三", "region": "330212"},
        "form": karaoke_form(app),
    })
}

/// `window` with the value at `path` (form keys whole: `["form", "venue.area"]`) set to `v`.
pub fn with(app: &TestApp, path: &[&str], v: Value) -> Value {
    let mut body = window(app);
    let mut at = &mut body;
    for p in &path[..path.len() - 1] {
        at = &mut at[*p];
    }
    at[path[path.len() - 1]] = v;
    body
}

/// `window` without the value at `path`.
pub fn without(app: &TestApp, path: &[&str]) -> Value {
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
pub fn broken_check(id: &str) -> String {
    let last = if id.ends_with('1') { '2' } else { '1' };
    format!("{}{last}", &id[..id.len() - 1])
}

pub fn oversized() -> String {
    json!({"padding": "x".repeat(70 * 1024)}).to_string()
}

/// An accepted karaoke case; its market-regulation task is open, its fire
/// task waits for it. Returns (case id, scjg task, xf task).
pub async fn accepted(desk: &Desk) -> (String, String, String) {
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
