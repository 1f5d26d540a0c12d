//! Verification loads only what the presentation needs (its issuer's keys,
//! its one status entry) and stays exact: every department's certificate
//! verifies under its own issuer, a status change is seen by the very next
//! verification, and a key rotated behind this server's back (as by
//! another server of the same database) still verifies what it signs.

mod support;

use support::certificates::{licensed_company, present, set_status, verify};
use support::exchange::window_case;
use support::{TestApp, approve_and_issue, assert_problem};

both!(
    each_departments_certificate_verifies_under_its_own_issuer,
    |app: TestApp| async move {
        // A karaoke venue's result: licences of five departments for 张三.
        let case = window_case(&app).await;
        let id = case["id"].as_str().expect("id");
        approve_and_issue(&app, id, &["scjg", "sthj", "xf", "wjw", "wglj", "gaj"]).await;
        let applicant = app.login("applicant").await;
        let certs = app
            .get_as("/api/v1/me/certificates", &applicant)
            .await
            .json();
        let certs = certs.as_array().expect("certificates");
        let mut departments: Vec<&str> = certs
            .iter()
            .filter_map(|c| c["department"].as_str())
            .collect();
        departments.sort_unstable();
        departments.dedup();
        assert!(departments.len() > 1, "several issuers: {departments:?}");
        for c in certs {
            let id = c["id"].as_str().expect("id");
            let p = present(&app, &applicant, id, &["licensed"]).await;
            let v = verify(&app, &p).await;
            assert_eq!(v.status, 200, "{}", v.body);
            let issuer = v.json()["issuer"].as_str().expect("issuer").to_owned();
            let department = c["department"].as_str().expect("department");
            assert!(
                issuer.ends_with(&format!("/departments/{department}")),
                "{issuer}"
            );
        }
    }
);

both!(
    a_status_change_is_seen_by_the_very_next_verification,
    |app: TestApp| async move {
        let (enterprise, id) = licensed_company(&app).await;
        let p = present(&app, &enterprise, &id, &["licensed"]).await;
        assert_eq!(verify(&app, &p).await.status, 200);
        set_status(&app, &id, "suspended").await;
        let v = verify(&app, &p).await;
        assert_eq!(
            assert_problem(&v, 422, Some("presentation"))["errors"][0]["rule"],
            "suspended"
        );
        set_status(&app, &id, "valid").await;
        assert_eq!(verify(&app, &p).await.status, 200, "reinstated at once");
        set_status(&app, &id, "revoked").await;
        let v = verify(&app, &p).await;
        assert_eq!(
            assert_problem(&v, 422, Some("presentation"))["errors"][0]["rule"],
            "revoked"
        );
    }
);

both!(
    a_key_rotated_by_another_server_verifies_what_it_signed,
    |app: TestApp| async move {
        let (enterprise, first) = licensed_company(&app).await;
        let p = present(&app, &enterprise, &first, &["licensed"]).await;
        assert_eq!(verify(&app, &p).await.status, 200, "keys now known here");

        // The seal is rotated: the verifier's keys of scjg, loaded above,
        // do not know the new key, which is in the store only.
        let admin = app.login("admin").await;
        let r = app
            .json(
                "POST",
                "/api/v1/departments/scjg/keys/rotate",
                Some(&admin),
                serde_json::json!({}),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let new_kid = r.json()["kid"].as_str().expect("kid").to_owned();
        support::start_company(&app).await;
        let certs = app
            .get_as("/api/v1/me/certificates", &enterprise)
            .await
            .json();
        let second = certs
            .as_array()
            .expect("certificates")
            .iter()
            .find(|c| {
                c["vct"] == "urn:yici:certificate:business-licence" && c["id"] != first.as_str()
            })
            .expect("a second licence")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let p2 = present(&app, &enterprise, &second, &["licensed"]).await;
        let v = verify(&app, &p2).await;
        assert_eq!(v.status, 200, "{}", v.body);
        assert_eq!(v.json()["kid"], new_kid);
        assert_eq!(
            verify(&app, &p).await.status,
            200,
            "the old key still verifies"
        );
    }
);
