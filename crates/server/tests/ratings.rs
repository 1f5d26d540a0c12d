//! 好差评 through the API, on both backends: a delivered case rated once by
//! its applicant, a 差评 opening a follow-up for the case's lead
//! department, contact and reply by that department, the applicant's
//! second rating once; a visit rated once at the window's tablet; the
//! public register without personal data; each unit's figures; late
//! follow-ups flagged to supervisors.

mod support;

use serde_json::{Value, json};
use support::{Reply, TestApp, assert_problem, start_company};
use time::OffsetDateTime;
use time::macros::datetime;
use yici_service::Clock;

const MONDAY: OffsetDateTime = datetime!(2026-09-28 09:00 +08:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let clock = Clock::fixed(MONDAY);
    ratings_and_follow_ups(TestApp::sqlite(clock.clone()).await, clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let clock = Clock::fixed(MONDAY);
    ratings_and_follow_ups(TestApp::postgres(clock.clone()).await, clock).await;
}

async fn post(app: &TestApp, token: &str, uri: &str, body: Value) -> Reply {
    app.json("POST", uri, Some(token), body, &[]).await
}

async fn delivered_company(app: &TestApp) -> String {
    let id = start_company(app).await;
    let clerk = app.login("clerk").await;
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), &clerk)
        .await
        .json();
    let r = post(
        app,
        &clerk,
        &format!("/api/v1/cases/{id}/deliver"),
        json!({"version": case["version"], "mode": "electronic"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    id
}

async fn rate(app: &TestApp, token: &str, id: &str, score: u8, comment: &str) -> Reply {
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), token)
        .await
        .json();
    post(
        app,
        token,
        &format!("/api/v1/cases/{id}/rate"),
        json!({"version": case["version"], "score": score, "comment": comment}),
    )
    .await
}

async fn ratings_and_follow_ups(app: TestApp, clock: Clock) {
    let id = delivered_company(&app).await;
    let enterprise = app.login("enterprise").await;

    // A 差评 with a telephone number in it.
    let r = rate(
        &app,
        &enterprise,
        &id,
        1,
        "等了两个小时，电话13812345678没人接",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // 一事一评: not twice.
    let r = rate(&app, &enterprise, &id, 5, "").await;
    assert!(r.status == 409 || r.status == 422, "{}", r.body);

    let mine = app.get_as("/api/v1/me/ratings", &enterprise).await.json();
    let rating = &mine[0];
    assert_eq!(rating["score"], 1);
    assert_eq!(rating["level"], "非常不满意");
    assert_eq!(rating["comment"], "等了两个小时，电话***没人接");
    assert_eq!(
        rating["comment_as_written"],
        "等了两个小时，电话13812345678没人接"
    );
    // Contact within 1 working day, reply within 15.
    assert_eq!(rating["contact_by"], "2026-09-29");
    assert_eq!(rating["reply_by"], "2026-10-23");
    let rid = rating["id"].as_str().expect("id").to_owned();
    let unit = rating["unit"].as_str().expect("unit").to_owned();

    // The public register: no account, the masked comment.
    let public = app.get("/api/v1/ratings").await;
    assert_eq!(public.status, 200);
    assert!(!public.body.contains("13812345678"), "{}", public.body);
    assert!(!public.body.contains("u-enterprise"));
    assert!(!public.body.contains("comment_as_written"));
    assert_eq!(public.json()["items"][0]["id"], rid.as_str());

    // Only the lead department follows it up; not the applicant, not another department.
    let reviewer = app.login(&format!("reviewer-{unit}")).await;
    let other = app
        .login(if unit == "gaj" {
            "reviewer-sw"
        } else {
            "reviewer-gaj"
        })
        .await;
    let list = app.get_as("/api/v1/follow-ups", &reviewer).await.json();
    assert_eq!(list.as_array().expect("list").len(), 1);
    assert_eq!(list[0]["case_id"], id.as_str());
    assert_eq!(
        app.get_as("/api/v1/follow-ups", &other).await.json(),
        json!([])
    );
    assert_problem(
        &app.get_as("/api/v1/follow-ups", &enterprise).await,
        403,
        None,
    );
    let r = post(
        &app,
        &other,
        &format!("/api/v1/follow-ups/{rid}/contact"),
        json!({"text": "您好"}),
    )
    .await;
    assert_problem(&r, 404, None);
    // A reply before the contact is refused; an empty note too.
    let r = post(
        &app,
        &reviewer,
        &format!("/api/v1/follow-ups/{rid}/reply"),
        json!({"text": "已整改"}),
    )
    .await;
    assert_problem(&r, 409, None);
    let r = post(
        &app,
        &reviewer,
        &format!("/api/v1/follow-ups/{rid}/contact"),
        json!({"text": "  "}),
    )
    .await;
    let p = assert_problem(&r, 422, Some("note"));
    assert_eq!(p["errors"][0]["rule"], "required");
    // Second rating before the reply: refused.
    let r = post(
        &app,
        &enterprise,
        &format!("/api/v1/ratings/{rid}/second"),
        json!({"score": 4}),
    )
    .await;
    assert_problem(&r, 409, None);

    let r = post(
        &app,
        &reviewer,
        &format!("/api/v1/follow-ups/{rid}/contact"),
        json!({"text": "电话联系，致歉并说明原因"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["contacted_on"], "2026-09-28");
    let r = post(
        &app,
        &reviewer,
        &format!("/api/v1/follow-ups/{rid}/reply"),
        json!({"text": "已增设取号窗口，高峰期等候不超过30分钟"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["late"], false);
    let r = post(
        &app,
        &reviewer,
        &format!("/api/v1/follow-ups/{rid}/reply"),
        json!({"text": "again"}),
    )
    .await;
    assert_problem(&r, 409, None);
    // The rater is told of the reply in the message centre, once.
    let inbox = app.get_as("/api/v1/me/messages", &enterprise).await.json();
    let replies: Vec<&Value> = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|m| m["kind"] == "follow_up_replied")
        .collect();
    assert_eq!(replies.len(), 1, "{inbox}");
    assert!(
        replies[0]["body_zh"]
            .as_str()
            .expect("zh")
            .contains("已增设取号窗口")
    );
    assert_eq!(replies[0]["link"], "/my/ratings");

    // 追评, once; someone else cannot.
    let zhang = app.login("applicant").await;
    let r = post(
        &app,
        &zhang,
        &format!("/api/v1/ratings/{rid}/second"),
        json!({"score": 4}),
    )
    .await;
    assert_problem(&r, 404, None);
    let r = post(
        &app,
        &enterprise,
        &format!("/api/v1/ratings/{rid}/second"),
        json!({"score": 9}),
    )
    .await;
    assert_problem(&r, 422, Some("score"));
    let r = post(
        &app,
        &enterprise,
        &format!("/api/v1/ratings/{rid}/second"),
        json!({"score": 4, "comment": "改进明显"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["second_score"], 4);
    let r = post(
        &app,
        &enterprise,
        &format!("/api/v1/ratings/{rid}/second"),
        json!({"score": 5}),
    )
    .await;
    assert_problem(&r, 409, None);
    let public = app.get("/api/v1/ratings").await.json();
    assert_eq!(
        public["items"][0]["reply"],
        "已增设取号窗口，高峰期等候不超过30分钟"
    );

    // A visit rated at the window's tablet, once, after it was served.
    let clerk = app.login("clerk").await;
    let t = post(&app, &clerk, "/api/v1/queue/walk-in", json!({}))
        .await
        .json();
    let tid = t["id"].as_str().expect("id");
    let r = post(
        &app,
        &clerk,
        &format!("/api/v1/queue/tickets/{tid}/rating"),
        json!({"score": 2}),
    )
    .await;
    assert_problem(&r, 409, None);
    post(&app, &clerk, "/api/v1/queue/call", json!({"counter": "3"})).await;
    post(&app, &clerk, "/api/v1/queue/call", json!({"counter": "3"})).await;
    let r = post(
        &app,
        &clerk,
        &format!("/api/v1/queue/tickets/{tid}/rating"),
        json!({"score": 2, "comment": "态度一般"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["unit"], "w-commerce");
    let r = post(
        &app,
        &clerk,
        &format!("/api/v1/queue/tickets/{tid}/rating"),
        json!({"score": 5}),
    )
    .await;
    assert_problem(&r, 409, None);
    let window_list = app.get_as("/api/v1/follow-ups", &clerk).await.json();
    assert_eq!(window_list.as_array().expect("list").len(), 1);

    // Three working days later, uncontacted: late, and the supervisor sees it.
    clock.set(datetime!(2026-10-09 09:00 +08:00));
    let enterprise = app.login("enterprise").await;
    let supervisor = app.login("supervisor").await;
    let late = app
        .get_as("/api/v1/follow-ups/late", &supervisor)
        .await
        .json();
    assert_eq!(late.as_array().expect("late").len(), 1, "{late}");
    assert_eq!(late[0]["unit"], "w-commerce");
    assert_eq!(late[0]["late"], true);
    assert_problem(
        &app.get_as("/api/v1/follow-ups/late", &enterprise).await,
        403,
        None,
    );

    // The figures: each unit's 差评 rate and follow-ups on time.
    let figures = app.get("/api/v1/ratings/figures").await.json();
    let of = |u: &str| {
        figures
            .as_array()
            .expect("figures")
            .iter()
            .find(|f| f["unit"] == u)
            .cloned()
            .expect("unit")
    };
    let dept = of(&unit);
    assert_eq!(
        (dept["ratings"].as_u64(), dept["bad"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(dept["on_time_rate"], 1.0);
    let window = of("w-commerce");
    assert_eq!(window["bad_rate"], 1.0);
    assert_eq!(window["follow_ups_due"], 1);
    assert_eq!(window["on_time_rate"], 0.0);
}
