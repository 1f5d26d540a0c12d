//! Cases that read shared data: an accepted karaoke case, its tasks, a
//! household record for 张三 and the applicant's consent. Shared by the
//! exchange and consent tests.

#![allow(dead_code)]

use serde_json::json;

use super::{TestApp, karaoke_form, zhang_san};

/// The consent decision `grant` on case `id`, by the caller `token`: its reply.
pub async fn decide_consent(app: &TestApp, id: &str, token: &str, grant: bool) -> super::Reply {
    app.json(
        "POST",
        &format!("/api/v1/cases/{id}/consent"),
        Some(token),
        json!({ "grant": grant }),
        &[],
    )
    .await
}

/// A karaoke-venue case for 张三, submitted and accepted at the window.
pub async fn window_case(app: &TestApp) -> serde_json::Value {
    let clerk = app.login("clerk").await;
    let r = app
        .json(
            "POST",
            "/api/v1/cases",
            Some(&clerk),
            json!({
                "one_thing": "ot-karaoke",
                "channel": "window",
                "applicant": {"kind": "person", "resident_id": zhang_san(), "name": "张三", "region": "330212"},
                "form": karaoke_form(app),
            }),
            &[],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let case = r.json();
    let id = case["id"].as_str().expect("id");
    let r = app
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/accept"),
            Some(&clerk),
            json!({"version": 1}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// The id of the case's task for `department`.
pub fn task_of(case: &serde_json::Value, department: &str) -> String {
    case["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| t["department"] == department)
        .expect("task")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// Public security files 张三's household record (name, ID, address).
pub async fn household_record(app: &TestApp) {
    let gaj = app.login("reviewer-gaj").await;
    let r = app
        .json(
            "PUT",
            &format!("/api/v1/datasets/household/records/{}", zhang_san()),
            Some(&gaj),
            json!({"fields": {"name": "张三", "resident_id": zhang_san(), "address": "鄞州区宁穿路1号"}}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// The data sets a consent view lists, in order.
pub fn datasets_of(consent: &serde_json::Value) -> Vec<String> {
    consent["scope"]
        .as_array()
        .expect("scope")
        .iter()
        .map(|s| s["dataset"].as_str().expect("dataset").to_owned())
        .collect()
}

/// The signed-in applicant (`token`) applies online for `one_thing` with
/// `form`; returns the new case's id.
pub async fn apply_online(
    app: &TestApp,
    token: &str,
    one_thing: &str,
    form: serde_json::Value,
) -> String {
    let r = app
        .json(
            "POST",
            "/api/v1/cases",
            Some(token),
            json!({"one_thing": one_thing, "channel": "online", "form": form}),
            &[],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().expect("id").to_owned()
}

/// The demo's exchange records are loaded (`demo_records::seed`) and the
/// applicant 张三 signs in; returns the token.
pub async fn applicant_with_records(app: &TestApp) -> String {
    app.seed_records().await;
    app.login("applicant").await
}
