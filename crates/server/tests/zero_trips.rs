//! Every zero-trip one-thing of the demo catalog done online end to end
//! with its documents: applied for online, a file given for each material
//! the applicant's own plan says they bring, accepted by the system, approved
//! by every department, issued — and no trip counted. On both backends.

mod support;

use serde_json::json;
use support::materials::give_missing;
use support::{TestApp, approve_and_issue, form_for};

both!(
    every_zero_trip_one_thing_is_done_online_with_its_documents,
    |app: TestApp| async move {
        app.seed_records().await;
        let codes: Vec<_> = app.state.catalog().one_things.keys().cloned().collect();
        let mut done = Vec::new();
        for code in codes {
            let plan = app.plan(&code);
            if plan.trips != 0 {
                continue;
            }
            let form = form_for(&plan.form);
            let departments: Vec<String> = plan.departments.iter().map(|d| d.to_string()).collect();
            // An enterprise's one-thing is applied for by the enterprise.
            let enterprise = plan
                .form
                .fields
                .iter()
                .any(|f| f.field.key.as_str().starts_with("enterprise."));
            let token = app
                .login(if enterprise {
                    "enterprise"
                } else {
                    "applicant"
                })
                .await;
            let r = app
                .json(
                    "POST",
                    "/api/v1/cases",
                    Some(&token),
                    json!({"one_thing": code.as_str(), "channel": "online", "form": form}),
                    &[],
                )
                .await;
            assert_eq!(r.status, 201, "{code}: {}", r.body);
            let id = r.json()["id"].as_str().expect("id").to_owned();
            let case = give_missing(&app, &token, &id).await;
            assert_ne!(
                case["status"], "pre_checked",
                "{code}: accepted once complete"
            );
            let reviewers: Vec<&str> = departments.iter().map(String::as_str).collect();
            approve_and_issue(&app, &id, &reviewers).await;
            let case = app
                .get_as(&format!("/api/v1/cases/{id}"), &token)
                .await
                .json();
            assert_eq!(case["status"], "result_issued", "{code}: {case}");
            assert_eq!(case["trips"], 0, "{code}: no trip");
            done.push(code.to_string());
        }
        done.sort();
        assert_eq!(
            done,
            [
                "ot-car-repair",
                "ot-newborn",
                "ot-restaurant",
                "ot-retirement",
                "ot-start-company"
            ],
            "the demo's zero-trip one-things"
        );
    }
);
