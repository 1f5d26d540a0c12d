//! Bad input to the actions on a case and to task decisions: 4xx
//! problem+json naming the field and the rule, nothing written.

mod support;

use serde_json::json;
use support::assert_problem;
use support::refusal::*;

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
