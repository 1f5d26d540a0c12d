//! The holder's side of e-certificates: finding one in the library and
//! presenting chosen claims. Shared by the certificate tests.

#![allow(dead_code)]

use serde_json::json;

use super::{Reply, TestApp, start_company};

/// The demo enterprise's business licence, from its library.
pub async fn licence(app: &TestApp, token: &str) -> serde_json::Value {
    let certs = app.get_as("/api/v1/me/certificates", token).await.json();
    certs
        .as_array()
        .expect("certificates")
        .iter()
        .find(|c| c["vct"] == "urn:yici:certificate:business-licence")
        .expect("a business licence was issued")
        .clone()
}

/// A presentation of certificate `id` disclosing `claims`, checking that
/// it comes with a verify URL and a QR code.
pub async fn present(app: &TestApp, token: &str, id: &str, claims: &[&str]) -> String {
    let r = app
        .json(
            "POST",
            &format!("/api/v1/certificates/{id}/presentations"),
            Some(token),
            json!({"disclose": claims}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let p = r.json();
    assert!(p["qr_svg"].as_str().is_some_and(|s| s.contains("<svg")));
    assert!(
        p["verify_url"]
            .as_str()
            .is_some_and(|u| u.contains("/verify?presentation="))
    );
    p["presentation"].as_str().expect("presentation").to_owned()
}

/// The demo enterprise starts its company (see [`start_company`]); returns
/// its token and the id of the business licence issued.
pub async fn licensed_company(app: &TestApp) -> (String, String) {
    start_company(app).await;
    let enterprise = app.login("enterprise").await;
    let id = licence(app, &enterprise).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    (enterprise, id)
}

/// Anyone verifies `presentation`.
pub async fn verify(app: &TestApp, presentation: &str) -> Reply {
    app.json(
        "POST",
        "/api/v1/verify",
        None,
        json!({"presentation": presentation}),
        &[],
    )
    .await
}

/// Market regulation sets the status of its certificate `id` (revoked,
/// suspended or valid), with a penalty decision as the reason.
pub async fn set_status(app: &TestApp, id: &str, status: &str) {
    let scjg = app.login("reviewer-scjg").await;
    let r = app
        .json(
            "POST",
            &format!("/api/v1/certificates/{id}/status"),
            Some(&scjg),
            json!({"status": status, "reason": "吊销营业执照行政处罚决定"}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}
