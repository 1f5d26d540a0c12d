//! Case handling through the API: a karaoke venue from the window through
//! six departments to pickup, and the rules on the way.

mod support;

use serde_json::json;
use support::{TestApp, assert_problem, karaoke_form, materials, zhang_san};

both!(
    karaoke_case_goes_from_window_through_six_departments_to_pickup,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let case = support::window_karaoke(&app, &clerk, Some("k-1")).await;
        let id = case["id"].as_str().expect("id").to_owned();
        assert_eq!(case["status"], "submitted");
        assert_eq!(case["trips"], 1, "the window submission is a trip");
        assert_eq!(case["tasks"].as_array().map(Vec::len), Some(6));

        let r = app.accept_new(&clerk, &id).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["status"], "accepted");

        // Each department's reviewer works its own queue until nothing is open.
        let departments = ["scjg", "sthj", "xf", "wjw", "wglj", "gaj"];
        let mut decided = 0;
        for _round in 0..4 {
            for d in departments {
                let reviewer = app.login(&format!("reviewer-{d}")).await;
                let queue = app
                    .get_as("/api/v1/tasks?state=open", &reviewer)
                    .await
                    .json();
                for task in queue["items"].as_array().expect("items") {
                    assert_eq!(
                        task["department"], d,
                        "a reviewer sees only their department"
                    );
                    let r = app
                        .json(
                            "POST",
                            &format!(
                                "/api/v1/tasks/{}/decision",
                                task["id"].as_str().expect("id")
                            ),
                            Some(&reviewer),
                            json!({"outcome": "approve", "comment": "符合条件"}),
                            &[],
                        )
                        .await;
                    assert_eq!(r.status, 200, "{}", r.body);
                    decided += 1;
                }
            }
        }
        assert_eq!(decided, 6);
        let case = app
            .get_as(&format!("/api/v1/cases/{id}"), &clerk)
            .await
            .json();
        assert_eq!(case["status"], "decided");
        let v = case["version"].as_u64().expect("version");

        let r = app
            .json(
                "POST",
                &format!("/api/v1/cases/{id}/issue"),
                Some(&clerk),
                json!({"version": v}),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json()["version"].as_u64().expect("version");
        let r = app
            .json(
                "POST",
                &format!("/api/v1/cases/{id}/deliver"),
                Some(&clerk),
                json!({"version": v, "mode": "window", "window": "w-commerce"}),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let case = r.json();
        assert_eq!(case["status"], "delivered");
        assert_eq!(case["trips"], 2, "window submission and window pickup");
        assert_eq!(case["planned_trips"], 1);

        let applicant = app.login("applicant").await;
        let mine = app.get_as("/api/v1/cases", &applicant).await.json();
        assert_eq!(mine["total"], 1);
        let full = app.get_as(&format!("/api/v1/cases/{id}"), &applicant).await;
        assert_eq!(full.status, 200);
        let events = full.json()["events"].as_array().expect("events").len();
        assert!(events > 10, "the whole history is kept: {events}");
    }
);

both!(
    same_idempotency_key_returns_the_same_case,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let first = support::window_karaoke(&app, &clerk, Some("same")).await;
        let body = json!({
            "one_thing": "ot-karaoke",
            "channel": "window",
            "applicant": {"kind": "person", "resident_id": zhang_san(), "name": "张三", "region": "330212"},
            "form": karaoke_form(&app),
        });
        let again = app
            .json(
                "POST",
                "/api/v1/cases",
                Some(&clerk),
                body,
                &[("idempotency-key", "same")],
            )
            .await;
        assert_eq!(again.status, 200);
        assert_eq!(again.json()["id"], first["id"]);
        let supervisor = app.login("supervisor").await;
        assert_eq!(
            app.get_as("/api/v1/cases", &supervisor).await.json()["total"],
            1
        );
    }
);

both!(
    stale_version_gets_409_and_missing_version_428,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let id = support::window_karaoke(&app, &clerk, Some("v")).await["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let r = app
            .json(
                "POST",
                &format!("/api/v1/cases/{id}/accept"),
                Some(&clerk),
                json!({}),
                &[],
            )
            .await;
        assert_problem(&r, 428, None);
        let r = app
            .json(
                "POST",
                &format!("/api/v1/cases/{id}/accept"),
                Some(&clerk),
                json!({"version": 7}),
                &[],
            )
            .await;
        assert_problem(&r, 409, None);
    }
);

both!(applicant_sees_only_own_cases, |app: TestApp| async move {
    let clerk = app.login("clerk").await;
    let id = support::window_karaoke(&app, &clerk, Some("own")).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let other = app.login("applicant2").await;
    let r = app.get_as(&format!("/api/v1/cases/{id}"), &other).await;
    assert_problem(&r, 404, None);
    assert_eq!(app.get_as("/api/v1/cases", &other).await.json()["total"], 0);
});

both!(
    reviewer_cannot_decide_another_departments_task,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let case = support::window_karaoke(&app, &clerk, Some("x")).await;
        let id = case["id"].as_str().expect("id");
        app.json(
            "POST",
            &format!("/api/v1/cases/{id}/accept"),
            Some(&clerk),
            json!({"version": 1}),
            &[],
        )
        .await;
        let scjg_task = case["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .find(|t| t["department"] == "scjg")
            .expect("scjg task")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let fire = app.login("reviewer-xf").await;
        let r = app
            .json(
                "POST",
                &format!("/api/v1/tasks/{scjg_task}/decision"),
                Some(&fire),
                json!({"outcome": "approve"}),
                &[],
            )
            .await;
        assert_problem(&r, 403, None);
    }
);

both!(
    online_application_waits_for_its_files_and_is_accepted_with_the_last,
    |app: TestApp| async move {
        // With the exchange's records the ID cards are fetched, not asked.
        app.seed_records().await;
        let applicant = app.login("applicant").await;
        let r = app
            .json(
                "POST",
                "/api/v1/cases",
                Some(&applicant),
                json!({"one_thing": "ot-karaoke", "channel": "online", "form": karaoke_form(&app)}),
                &[],
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let case = r.json();
        let id = case["id"].as_str().expect("id").to_owned();
        // Pre-checked, it waits for a file of every material it brings.
        assert_eq!(case["status"], "pre_checked");
        let brought = materials::karaoke_brought(&app);
        let missing = materials::missing(&app, &applicant, &id).await;
        assert_eq!(missing, brought);
        let (last, first) = missing.split_last().expect("a material");
        for m in first {
            let r = materials::give(
                &app,
                &applicant,
                &id,
                m,
                "a.pdf",
                "application/pdf",
                materials::PDF.to_vec(),
            )
            .await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let case = app
            .get_as(&format!("/api/v1/cases/{id}"), &applicant)
            .await
            .json();
        assert_eq!(
            case["status"], "pre_checked",
            "one material is still missing"
        );
        assert_eq!(
            materials::missing(&app, &applicant, &id).await,
            std::slice::from_ref(last)
        );
        // The last file completes it: the system accepts, no one travelled.
        let r = materials::give(
            &app,
            &applicant,
            &id,
            last,
            "a.pdf",
            "application/pdf",
            materials::PDF.to_vec(),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let case = app
            .get_as(&format!("/api/v1/cases/{id}"), &applicant)
            .await
            .json();
        assert_eq!(case["status"], "accepted", "{case}");
        assert_eq!(case["trips"], 0);
        let accepted = case["events"]
            .as_array()
            .expect("events")
            .iter()
            .find(|e| e["kind"] == "accepted")
            .expect("an accepted event");
        assert_eq!(accepted["actor"], "system", "{accepted}");
        assert!(materials::missing(&app, &applicant, &id).await.is_empty());
    }
);

both!(
    requests_without_a_session_get_401,
    |app: TestApp| async move {
        let r = app.get("/api/v1/cases").await;
        assert_problem(&r, 401, None);
    }
);

both!(
    stats_show_the_realization_rate_to_supervisors_only,
    |app: TestApp| async move {
        let applicant = app.login("applicant").await;
        assert_problem(&app.get_as("/api/v1/stats", &applicant).await, 403, None);
        let supervisor = app.login("supervisor").await;
        let stats = app
            .get_as("/api/v1/stats?from=2020-01-01", &supervisor)
            .await;
        assert_eq!(stats.status, 200, "{}", stats.body);
        assert!(stats.json()["cases_by_state"].is_object());
        let bad = app
            .get_as("/api/v1/stats?from=yesterday", &supervisor)
            .await;
        assert_problem(&bad, 422, Some("from"));
    }
);

async fn sign_case(app: &TestApp, area: u32) -> serde_json::Value {
    let applicant = app.login("applicant").await;
    let plan = yici_catalog::plan(app.state.catalog(), "330200-ZHZF-001").expect("plan");
    let mut form = support::form_for(&plan.form);
    form["sign.area"] = json!(area);
    let r = app
        .json(
            "POST",
            "/api/v1/cases",
            Some(&applicant),
            json!({"matter": "330200-ZHZF-001", "channel": "online", "form": form}),
            &[],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().expect("id").to_owned();
    materials::give_missing(app, &applicant, &id).await
}

both!(
    small_sign_is_approved_at_once_by_rule,
    |app: TestApp| async move {
        let case = sign_case(&app, 8).await;
        assert_eq!(case["status"], "decided");
        assert_eq!(case["tasks"][0]["state"], "approved");
        assert_eq!(case["tasks"][0]["decided_by"], "system");
    }
);

both!(
    large_sign_falls_back_to_a_reviewer_with_the_rule_report,
    |app: TestApp| async move {
        let case = sign_case(&app, 30).await;
        assert_eq!(case["status"], "accepted");
        assert_eq!(case["tasks"][0]["state"], "open");
        let report = &case["tasks"][0]["rule_report"]["conditions"][0];
        assert_eq!(report["held"], false);
        assert_eq!(report["actual"], 30);
    }
);

both!(
    an_actions_answer_is_the_case_as_read_without_its_history,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let case = support::window_karaoke(&app, &clerk, Some("k-view")).await;
        let id = case["id"].as_str().expect("id").to_owned();
        // The answer to a write is built from the JSON the store wrote.
        let r = app.accept_new(&clerk, &id).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.headers["content-type"], "application/json");
        assert_eq!(r.headers["etag"], "\"2\"");
        let answered = r.json();
        let mut read = app
            .get_as(&format!("/api/v1/cases/{id}"), &clerk)
            .await
            .json();
        assert!(read["events"].is_array(), "a read carries the history");
        read.as_object_mut().expect("object").remove("events");
        assert_eq!(answered, read);
        assert_eq!(answered["status"], "accepted");
        assert_eq!(answered["state"], "accepted");
    }
);
