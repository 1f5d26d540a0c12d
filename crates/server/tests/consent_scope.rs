//! The consent screen lists only what will really be read: fields of data
//! sets for which the exchange holds a value for this applicant. Whatever
//! it does not hold is brought (the applicant's plan says `not_held`) and
//! is neither asked for consent nor read.

mod support;

use serde_json::json;
use support::exchange::{
    applicant_with_records, apply_online, datasets_of, decide_consent, household_record, task_of,
    window_case,
};
use support::{TestApp, form_for};

both!(
    consent_lists_only_data_sets_the_exchange_holds_for_the_applicant,
    |app: TestApp| async move {
        // 张三 has a household record, but as a person no enterprise record:
        // the USCC the karaoke form would pre-fill from it is not held.
        household_record(&app).await;
        let case = window_case(&app).await;
        let id = case["id"].as_str().expect("id").to_owned();
        let applicant = app.login("applicant").await;
        let consent = app
            .get_as(&format!("/api/v1/cases/{id}/consent"), &applicant)
            .await
            .json();
        assert_eq!(datasets_of(&consent), vec!["household"], "{consent}");

        // The consent matches the applicant's plan: what is fetched comes
        // from the household record; the enterprise's USCC, which the form
        // would have pre-filled, is typed in instead.
        let plan = app
            .get_as("/api/v1/me/plan/ot-karaoke", &applicant)
            .await
            .json();
        let fetched = plan["materials"]["fetched"].as_array().expect("fetched");
        assert!(!fetched.is_empty());
        assert!(
            fetched
                .iter()
                .all(|m| m["source"]["dataset"] == "household"),
            "{plan}"
        );
        assert_eq!(consent["scope"][0]["fields"], json!(["resident_id"]));

        let granted = decide_consent(&app, &id, &applicant, true).await.json();
        assert_eq!(datasets_of(&granted), vec!["household"], "{granted}");
        let scjg = app.login("reviewer-scjg").await;
        let data = app
            .get_as(
                &format!("/api/v1/tasks/{}/data", task_of(&case, "scjg")),
                &scjg,
            )
            .await;
        assert_eq!(data.status, 200, "{}", data.body);
        let read: Vec<String> = data.json()["datasets"]
            .as_object()
            .expect("datasets")
            .keys()
            .cloned()
            .collect();
        assert_eq!(read, vec!["household"], "only held data is read");
    }
);

both!(
    a_field_the_record_leaves_empty_is_not_asked_for,
    |app: TestApp| async move {
        // The demo's tax record of 张三 has no deed tax receipt yet (null):
        // selling the home reads his household, marriage and property
        // records, but asks no consent for the tax data set.
        let applicant = applicant_with_records(&app).await;
        let code = yici_core::catalog::OneThingCode::parse("ot-second-hand-home").expect("code");
        let form = form_for(&app.plan(&code).form);
        let id = apply_online(&app, &applicant, "ot-second-hand-home", form).await;
        let consent = app
            .get_as(&format!("/api/v1/cases/{id}/consent"), &applicant)
            .await
            .json();
        assert_eq!(
            datasets_of(&consent),
            vec!["household", "marriage", "real_estate"],
            "{consent}"
        );
    }
);
