//! The exchange: departments fill their own data sets, the applicant sees
//! and decides what will be read, departments read only with consent and
//! only what their matter may, and every read is shown to the applicant.

mod support;

use serde_json::json;
use support::exchange::{
    applicant_with_records, apply_online, decide_consent, household_record, task_of, window_case,
};
use support::{TestApp, assert_problem, zhang_san};

both!(
    department_reads_only_with_consent_and_the_read_is_shown,
    |app: TestApp| async move {
        household_record(&app).await;
        let case = window_case(&app).await;
        let id = case["id"].as_str().expect("id").to_owned();
        let task = task_of(&case, "scjg");
        let scjg = app.login("reviewer-scjg").await;
        let before = app
            .get_as(&format!("/api/v1/tasks/{task}/data"), &scjg)
            .await;
        assert_problem(&before, 403, None);

        let applicant = app.login("applicant").await;
        let consent = app
            .get_as(&format!("/api/v1/cases/{id}/consent"), &applicant)
            .await
            .json();
        assert_eq!(consent["status"], "none");
        let household = consent["scope"]
            .as_array()
            .expect("scope")
            .iter()
            .find(|s| s["dataset"] == "household")
            .expect("household is read")
            .clone();
        assert!(
            household["departments"]
                .as_array()
                .is_some_and(|d| d.contains(&json!("scjg")))
        );
        let granted = decide_consent(&app, &id, &applicant, true).await;
        assert_eq!(granted.json()["status"], "granted");

        let head_before = app.get("/api/v1/ledger/head").await.json()["tree_size"]
            .as_u64()
            .expect("size");
        let data = app
            .get_as(&format!("/api/v1/tasks/{task}/data"), &scjg)
            .await;
        assert_eq!(data.status, 200, "{}", data.body);
        assert_eq!(
            data.json()["datasets"]["household"]["resident_id"],
            zhang_san()
        );
        assert!(
            data.json()["datasets"]["household"]
                .get("address")
                .is_none(),
            "only granted fields"
        );

        let reads = app.get_as("/api/v1/me/data-reads", &applicant).await.json();
        let items = reads["items"].as_array().expect("items");
        assert_eq!(reads["total"].as_u64(), Some(items.len() as u64));
        assert!(!items.is_empty());
        // One read per data set, each naming department, case and fields.
        assert!(
            items
                .iter()
                .all(|r| r["department"] == "scjg" && r["case_id"] == id.as_str())
        );
        assert!(items.iter().any(|r| r["dataset"] == "household"
            && r["fields"].as_array().is_some_and(|f| !f.is_empty())));
        let history = app
            .get_as(&format!("/api/v1/cases/{id}"), &applicant)
            .await
            .json();
        assert!(
            history["events"]
                .as_array()
                .expect("events")
                .iter()
                .any(|e| e["kind"] == "data_read")
        );
        let head_after = app.get("/api/v1/ledger/head").await.json()["tree_size"]
            .as_u64()
            .expect("size");
        assert!(head_after > head_before, "the read is in the ledger");

        let withdraw = app
            .json(
                "DELETE",
                &format!("/api/v1/cases/{id}/consent"),
                Some(&applicant),
                json!({}),
                &[],
            )
            .await;
        assert_problem(&withdraw, 409, None);
    }
);

both!(
    withdrawn_or_refused_consent_allows_no_read,
    |app: TestApp| async move {
        let case = window_case(&app).await;
        let id = case["id"].as_str().expect("id").to_owned();
        let task = task_of(&case, "scjg");
        let applicant = app.login("applicant").await;
        decide_consent(&app, &id, &applicant, true).await;
        let w = app
            .json(
                "DELETE",
                &format!("/api/v1/cases/{id}/consent"),
                Some(&applicant),
                json!({}),
                &[],
            )
            .await;
        assert_eq!(w.json()["status"], "withdrawn");
        let scjg = app.login("reviewer-scjg").await;
        assert_problem(
            &app.get_as(&format!("/api/v1/tasks/{task}/data"), &scjg)
                .await,
            403,
            None,
        );
        app.json(
            "POST",
            &format!("/api/v1/cases/{id}/consent"),
            Some(&applicant),
            json!({"grant": false}),
            &[],
        )
        .await;
        assert_problem(
            &app.get_as(&format!("/api/v1/tasks/{task}/data"), &scjg)
                .await,
            403,
            None,
        );
        let reads = app.get_as("/api/v1/me/data-reads", &applicant).await.json();
        assert_eq!(reads["total"], 0);
    }
);

both!(
    department_cannot_write_another_departments_data_set,
    |app: TestApp| async move {
        let xf = app.login("reviewer-xf").await;
        let r = app
            .json(
                "PUT",
                &format!("/api/v1/datasets/household/records/{}", zhang_san()),
                Some(&xf),
                json!({"fields": {"name": "冒名"}}),
                &[],
            )
            .await;
        assert_problem(&r, 403, None);
    }
);

#[tokio::test]
async fn record_with_unknown_field_or_bad_subject_is_refused() {
    let app = TestApp::demo().await;
    let gaj = app.login("reviewer-gaj").await;
    let r = app
        .json(
            "PUT",
            &format!("/api/v1/datasets/household/records/{}", zhang_san()),
            Some(&gaj),
            json!({"fields": {"colour": "red"}}),
            &[],
        )
        .await;
    assert_problem(&r, 422, Some("fields.colour"));
    let r = app
        .json(
            "PUT",
            "/api/v1/datasets/household/records/110105194912310021",
            Some(&gaj),
            json!({"fields": {}}),
            &[],
        )
        .await;
    assert_problem(&r, 422, Some("subject"));
}

#[tokio::test]
async fn only_the_applicant_decides_consent() {
    let app = TestApp::demo().await;
    let case = window_case(&app).await;
    let id = case["id"].as_str().expect("id");
    let clerk = app.login("clerk").await;
    let r = decide_consent(&app, id, &clerk, true).await;
    assert_problem(&r, 403, None);
}

fn home_form(app: &TestApp) -> serde_json::Value {
    let code = yici_core::catalog::OneThingCode::parse("ot-second-hand-home").expect("code");
    support::form_for(&app.plan(&code).form)
}

both!(
    plan_for_the_applicant_fetches_what_the_exchange_holds_and_prefills,
    |app: TestApp| async move {
        let applicant = app.login("applicant").await;
        // Nothing held yet: every exchange material falls back to "bring".
        let before = app
            .get_as("/api/v1/me/plan/ot-second-hand-home", &applicant)
            .await
            .json();
        assert!(
            before["materials"]["fetched"]
                .as_array()
                .expect("fetched")
                .is_empty(),
            "{before}"
        );
        assert!(
            before["materials"]["bring"]
                .as_array()
                .expect("bring")
                .iter()
                .any(|m| m["not_held"] == true)
        );
        app.seed_records().await;
        let after = app
            .get_as("/api/v1/me/plan/ot-second-hand-home", &applicant)
            .await
            .json();
        assert!(
            !after["materials"]["fetched"]
                .as_array()
                .expect("fetched")
                .is_empty()
        );
        let prefill = app
            .get_as("/api/v1/me/prefill/ot-second-hand-home", &applicant)
            .await;
        assert_eq!(prefill.status, 200, "{}", prefill.body);
        assert_eq!(
            prefill.json()["property.address"],
            "宁波市鄞州区宁穿路1号1幢101室",
            "{}",
            prefill.body
        );
    }
);

both!(
    corrections_of_prefilled_values_are_kept_with_the_submission,
    |app: TestApp| async move {
        let applicant = applicant_with_records(&app).await;
        let prefill = app
            .get_as("/api/v1/me/prefill/ot-second-hand-home", &applicant)
            .await
            .json();
        let key = "property.address";
        assert!(prefill[key].is_string(), "{prefill}");
        let mut form = home_form(&app);
        form[key] = json!("宁波市鄞州区宁穿路1号1幢102室");
        let id = apply_online(&app, &applicant, "ot-second-hand-home", form).await;
        let case = app
            .get_as(&format!("/api/v1/cases/{id}"), &applicant)
            .await
            .json();
        let submitted = &case["events"][0];
        assert_eq!(submitted["kind"], "submitted");
        let corrections = submitted["data"]["corrections"]
            .as_array()
            .expect("corrections kept");
        assert!(corrections.iter().any(|c| c["field"] == key
            && c["exchange"] == prefill[key]
            && c["submitted"] == "宁波市鄞州区宁穿路1号1幢102室"));
    }
);

both!(
    bulk_import_is_written_whole_or_not_at_all,
    |app: TestApp| async move {
        let gaj = app.login("reviewer-gaj").await;
        let li = yici_service::demo::resident_id("33020319881115002");
        let good = format!(
            "{}\n{}\n",
            json!({"subject": zhang_san(), "fields": {"name": "张三"}}),
            json!({"subject": li, "fields": {"name": "李梅"}})
        );
        let send = |body: String| {
            app.send(
                axum::http::Request::post("/api/v1/datasets/household/import")
                    .header("authorization", format!("Bearer {gaj}"))
                    .header("content-type", "application/x-ndjson")
                    .body(axum::body::Body::from(body))
                    .expect("request"),
            )
        };
        let bad = format!(
            "{}\n{}\n",
            json!({"subject": "33020319881115002x", "fields": {}}),
            json!({"subject": li, "fields": {"colour": "red"}})
        );
        let r = send(bad).await;
        let p = assert_problem(&r, 422, Some("line 1: subject"));
        assert_eq!(p["errors"][1]["field"], "line 2: fields.colour");
        let stored = app.store.record("household", &li).await.expect("read");
        assert!(stored.is_none(), "nothing written");
        let r = send(good).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["imported"], 2);
        let stored = app
            .store
            .record("household", &li)
            .await
            .expect("read")
            .expect("written");
        assert_eq!(stored["name"], "李梅");
    }
);

both!(
    a_field_the_matter_may_not_read_is_refused_and_nothing_is_logged,
    |app: TestApp| async move {
        household_record(&app).await;
        let case = window_case(&app).await;
        let id = case["id"].as_str().expect("id").to_owned();
        let task = task_of(&case, "scjg");
        let applicant = app.login("applicant").await;
        let granted = decide_consent(&app, &id, &applicant, true).await;
        assert_eq!(granted.json()["status"], "granted");
        let scjg = app.login("reviewer-scjg").await;
        let read = |fields: &str| format!("/api/v1/tasks/{task}/data?fields={fields}");

        // The address is in the data set, but not for this matter.
        let refused = app
            .get_as(&read("household.resident_id,household.address"), &scjg)
            .await;
        assert_problem(&refused, 403, None);
        assert!(
            refused.body.contains("household.address"),
            "{}",
            refused.body
        );
        let malformed = app.get_as(&read("household"), &scjg).await;
        assert_problem(&malformed, 422, Some("fields"));
        // Another department may not read this department's task at all.
        let xf = app.login("reviewer-xf").await;
        assert_problem(
            &app.get_as(&read("household.resident_id"), &xf).await,
            403,
            None,
        );
        let reads = app.get_as("/api/v1/me/data-reads", &applicant).await.json();
        assert_eq!(reads["total"], 0, "refused reads are not reads");

        // Asking for one field it may read gets that field only.
        let one = app.get_as(&read("household.resident_id"), &scjg).await;
        assert_eq!(one.status, 200, "{}", one.body);
        let household = &one.json()["datasets"]["household"];
        assert_eq!(household["resident_id"], zhang_san());
        assert_eq!(household.as_object().map(|o| o.len()), Some(1));
        let reads = app.get_as("/api/v1/me/data-reads", &applicant).await.json();
        assert_eq!(reads["total"], 1);
        assert_eq!(reads["items"][0]["fields"], json!(["resident_id"]));
    }
);
