//! E-certificates end to end: issued with the result, kept in the holder's
//! library, presented with chosen claims, verified by anyone, revoked by
//! the issuing department, still verifiable after a key rotation, and
//! fetched instead of uploaded in the next case.

mod support;

use serde_json::json;
use support::certificates::{licence, licensed_company, present, set_status, verify};
use support::{TestApp, assert_problem};

both!(
    licence_is_issued_presented_verified_and_revoked,
    |app: TestApp| async move {
        support::start_company(&app).await;
        let enterprise = app.login("enterprise").await;
        let cert = licence(&app, &enterprise).await;
        let id = cert["id"].as_str().expect("id").to_owned();
        assert_eq!(cert["status"], "valid");
        let p = present(&app, &enterprise, &id, &["licensed", "valid_until"]).await;
        let v = verify(&app, &p).await;
        assert_eq!(v.status, 200, "{}", v.body);
        let disclosed = v.json()["disclosed"]
            .as_object()
            .expect("disclosed")
            .clone();
        let mut names: Vec<&String> = disclosed.keys().collect();
        names.sort();
        assert_eq!(
            names,
            vec!["licensed", "valid_until"],
            "exactly what the holder chose"
        );

        // Rotating the department's key leaves issued certificates verifiable.
        let admin = app.login("admin").await;
        let r = app
            .json(
                "POST",
                "/api/v1/departments/scjg/keys/rotate",
                Some(&admin),
                json!({}),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let meta = app
            .get("/.well-known/jwt-vc-issuer/departments/scjg")
            .await
            .json();
        assert_eq!(meta["jwks"]["keys"].as_array().map(Vec::len), Some(2));
        let v = verify(&app, &p).await;
        assert_eq!(v.status, 200, "{}", v.body);

        // Only the issuing department revokes; verification then reports it.
        let xf = app.login("reviewer-xf").await;
        let r = app
            .json(
                "POST",
                &format!("/api/v1/certificates/{id}/status"),
                Some(&xf),
                json!({"status": "revoked", "reason": "x"}),
                &[],
            )
            .await;
        assert_problem(&r, 403, None);
        set_status(&app, &id, "revoked").await;
        let v = verify(&app, &p).await;
        let problem = assert_problem(&v, 422, Some("presentation"));
        assert_eq!(problem["errors"][0]["rule"], "revoked");
    }
);

both!(
    tampered_presentation_is_refused,
    |app: TestApp| async move {
        let (enterprise, id) = licensed_company(&app).await;
        let p = present(&app, &enterprise, &id, &["licensed"]).await;
        // Swap the disclosure for one the issuer never signed.
        let (jwt, _) = p.split_once('~').expect("sd-jwt");
        let forged_disclosure = "WyJzYWx0IiwibGljZW5zZWQiLGZhbHNlXQ";
        let forged = format!("{jwt}~{forged_disclosure}~");
        let v = verify(&app, &forged).await;
        assert_problem(&v, 422, Some("presentation"));
        let v = verify(&app, "garbage").await;
        assert_problem(&v, 422, Some("presentation"));
    }
);

both!(
    issued_licence_is_fetched_not_uploaded_in_the_next_case,
    |app: TestApp| async move {
        app.seed_records().await;
        let enterprise = app.login("enterprise").await;
        let food_licence = "/api/v1/me/plan/330200-SCJG-003";
        let before = app.get_as(food_licence, &enterprise).await.json();
        let brought = |plan: &serde_json::Value| {
            plan["materials"]["bring"]
                .as_array()
                .expect("bring")
                .iter()
                .any(|m| m["key"] == "business_licence")
        };
        assert!(brought(&before), "no licence yet: it must be brought");
        support::start_company(&app).await;
        let after = app.get_as(food_licence, &enterprise).await.json();
        assert!(
            !brought(&after),
            "the licence issued in the first case is fetched"
        );
        assert!(
            after["materials"]["fetched"]
                .as_array()
                .expect("fetched")
                .iter()
                .any(|m| m["key"] == "business_licence")
        );
    }
);

#[tokio::test]
async fn status_list_and_keys_are_published() {
    let app = TestApp::demo().await;
    support::start_company(&app).await;
    let r = app.get("/api/v1/status-lists/scjg").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "application/statuslist+jwt");
    assert_eq!(r.body.matches('.').count(), 2, "a compact JWT");
    assert_problem(&app.get("/api/v1/status-lists/nope").await, 404, None);
}

both!(
    issuing_in_many_requests_at_once_makes_one_first_key,
    |app: TestApp| async move {
        let code = yici_core::catalog::DepartmentCode::parse("scjg").expect("code");
        let issuers = issuers_at_once(&app, &code).await;
        assert_eq!(issuers, 8);
        let keys = app.store.seal_keys("scjg").await.expect("keys");
        assert_eq!(keys.len(), 1, "one key, not one per request: {keys:?}");
        assert!(keys[0].current);
    }
);

/// Asks for the department's issuer from eight tasks at once; how many got one.
async fn issuers_at_once(app: &TestApp, code: &yici_core::catalog::DepartmentCode) -> usize {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..8 {
        // A status list is signed with the department's seal: the first
        // one makes the department's first key.
        let (service, code) = (app.service().clone(), code.clone());
        set.spawn(async move { service.status_list(code.as_str()).await.is_ok() });
    }
    let mut got = 0;
    while let Some(ok) = set.join_next().await {
        got += usize::from(ok.expect("task"));
    }
    got
}
