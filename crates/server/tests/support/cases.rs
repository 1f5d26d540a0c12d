//! Cases the tests start from: the demo persons' forms filled from their
//! plans, a karaoke venue at the window, a company started online.

use super::TestApp;

/// The demo person 张三's resident ID.
pub fn zhang_san() -> String {
    yici_service::demo::resident_id("33021219900307001")
}

/// A complete form for the karaoke one-thing, built from its plan.
pub fn karaoke_form(app: &TestApp) -> serde_json::Value {
    let code = yici_core::catalog::OneThingCode::parse("ot-karaoke").expect("code");
    let plan = app.plan(&code);
    form_for(&plan.form)
}

/// A valid value for every field of a merged form.
pub fn form_for(form: &yici_catalog::plan::Form) -> serde_json::Value {
    use yici_core::catalog::FieldType;
    let mut map = serde_json::Map::new();
    for f in &form.fields {
        let v = match &f.field.field_type {
            // The demo's only patterns are bank account numbers.
            FieldType::Text {
                pattern: Some(_), ..
            } => serde_json::json!("6222021234567890123"),
            FieldType::Text { .. } => serde_json::json!("宁波欢唱KTV"),
            FieldType::Number { min, .. } => serde_json::json!(min.unwrap_or(0).max(1)),
            FieldType::Date => serde_json::json!("2026-10-01"),
            FieldType::ResidentId => serde_json::json!(zhang_san()),
            FieldType::Uscc => serde_json::json!(yici_service::demo::uscc("330212", "MA2H7K3L")),
            FieldType::Phone => serde_json::json!("13812345678"),
            FieldType::Region => serde_json::json!("330212"),
            FieldType::Bool => serde_json::json!(true),
            FieldType::Choice { options } => serde_json::json!(options[0]),
        };
        map.insert(f.field.key.to_string(), v);
    }
    serde_json::Value::Object(map)
}

/// Submits a karaoke-venue application for 张三 at the clerk's window,
/// with an `Idempotency-Key` when given; returns the new case.
pub async fn window_karaoke(app: &TestApp, clerk: &str, key: Option<&str>) -> serde_json::Value {
    let headers: Vec<(&str, &str)> = key.map(|k| ("idempotency-key", k)).into_iter().collect();
    let r = app
        .json(
            "POST",
            "/api/v1/cases",
            Some(clerk),
            serde_json::json!({
                "one_thing": "ot-karaoke",
                "channel": "window",
                "applicant": {"kind": "person", "resident_id": zhang_san(), "name": "张三", "region": "330212"},
                "form": karaoke_form(app),
            }),
            &headers,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

/// The demo enterprise starts its company online, every department
/// approves, and the clerk issues the result (a business licence among it).
/// Returns the case id.
pub async fn start_company(app: &TestApp) -> String {
    let enterprise = app.login("enterprise").await;
    let code = yici_core::catalog::OneThingCode::parse("ot-start-company").expect("code");
    let form = form_for(&app.plan(&code).form);
    let r = app
        .json(
            "POST",
            "/api/v1/cases",
            Some(&enterprise),
            serde_json::json!({"one_thing": "ot-start-company", "channel": "online", "form": form}),
            &[],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().expect("id").to_owned();
    super::materials::give_missing(app, &enterprise, &id).await;
    approve_and_issue(app, &id, &["scjg", "gaj", "sw", "rsj", "gjj"]).await;
    id
}

/// Every open task of case `id` is approved by the reviewers of
/// `departments` (stage after stage), and the clerk issues the result.
pub async fn approve_and_issue(app: &TestApp, id: &str, departments: &[&str]) {
    for _ in 0..4 {
        for d in departments {
            let reviewer = app.login(&format!("reviewer-{d}")).await;
            let queue = app
                .get_as("/api/v1/tasks?state=open", &reviewer)
                .await
                .json();
            for t in queue["items"].as_array().expect("items") {
                let uri = format!("/api/v1/tasks/{}/decision", t["id"].as_str().expect("id"));
                let r = app
                    .json(
                        "POST",
                        &uri,
                        Some(&reviewer),
                        serde_json::json!({"outcome": "approve"}),
                        &[],
                    )
                    .await;
                assert_eq!(r.status, 200, "{}", r.body);
            }
        }
    }
    let clerk = app.login("clerk").await;
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), &clerk)
        .await
        .json();
    assert_eq!(case["status"], "decided", "{case}");
    let r = app
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/issue"),
            Some(&clerk),
            serde_json::json!({"version": case["version"]}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// The applicant (`token`) withdraws case `id`, which closes it.
pub async fn withdraw(app: &TestApp, token: &str, id: &str) {
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), token)
        .await
        .json();
    let r = app
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/withdraw"),
            Some(token),
            serde_json::json!({"version": case["version"], "reason": "不再办理"}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}
