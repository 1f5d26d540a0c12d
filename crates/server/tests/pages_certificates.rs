//! The e-certificate pages: the holder's library (role gate, CSRF, a
//! presentation of chosen claims with its QR code), the printable
//! certificate, the public verify page (valid, revoked, tampered, garbage:
//! the error beside the field, never a 500), and the apply page's personal
//! plan with the consent step that follows. The browser test
//! tests/browser/certificate-flow.test.mjs walks the same pages in Chromium.

mod support;

use axum::body::Body;
use axum::http::Request;
use support::{Reply, TestApp, form_for};

/// A signed-in browser: its cookie and the CSRF token of its forms.
struct Browser {
    cookie: String,
    csrf: String,
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn post_form(app: &TestApp, uri: &str, cookie: Option<&str>, body: &[(&str, &str)]) -> Reply {
    let mut req = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    app.send(req.body(Body::from(form_body(body))).expect("request"))
        .await
}

async fn sign_in(app: &TestApp, username: &str) -> Browser {
    let token = app.page_session(username).await;
    Browser {
        cookie: format!("yici_session={token}"),
        csrf: yici_server::pages::csrf_token(&token),
    }
}

impl Browser {
    async fn get(&self, app: &TestApp, uri: &str) -> Reply {
        app.get_with(uri, "cookie", &self.cookie).await
    }

    async fn post(&self, app: &TestApp, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        post_form(app, uri, Some(&self.cookie), &all).await
    }
}

/// The id of the enterprise's business licence.
async fn licence_id(app: &TestApp) -> String {
    let token = app.login("enterprise").await;
    let certs = app.get_as("/api/v1/me/certificates", &token).await.json();
    certs
        .as_array()
        .expect("certificates")
        .iter()
        .find(|c| c["vct"] == "urn:yici:certificate:business-licence")
        .and_then(|c| c["id"].as_str())
        .expect("a business licence")
        .to_owned()
}

/// The presentation of the licence on the library page disclosing `claims`.
async fn present_on_page(app: &TestApp, who: &Browser, id: &str, claims: &[&str]) -> String {
    let fields: Vec<(&str, &str)> = claims.iter().map(|c| ("disclose", *c)).collect();
    let r = who
        .post(app, &format!("/my/certificates/{id}/present"), &fields)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<svg"), "the QR code is inline");
    assert!(r.body.contains("id=\"verify-link\""));
    let start = r
        .body
        .find("id=\"presentation\"")
        .and_then(|i| r.body[i..].find('>').map(|j| i + j + 1))
        .expect("the presentation textarea");
    let end = r.body[start..].find("</textarea>").expect("end") + start;
    r.body[start..end].trim().to_owned()
}

fn disclosed_rows(body: &str) -> Vec<String> {
    let Some(start) = body.find("id=\"disclosed\"") else {
        return Vec::new();
    };
    let table = &body[start
        ..body[start..]
            .find("</table>")
            .map_or(body.len(), |e| start + e)];
    table
        .split("data-claim=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect()
}

fn rule_of(body: &str) -> Option<String> {
    let i = body.find("id=\"presentation-error\"")?;
    let rest = &body[i..];
    let r = rest.find("data-rule=\"")? + "data-rule=\"".len();
    rest[r..].split('"').next().map(str::to_owned)
}

#[tokio::test]
async fn the_library_is_for_applicants_and_presents_only_the_ticked_claims() {
    let app = TestApp::demo().await;
    // Signed out: to the sign-in page, to come back.
    let r = app.get("/my/certificates").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), "/login?next=/my/certificates");
    // Another role: refused.
    let clerk = sign_in(&app, "clerk").await;
    assert_eq!(clerk.get(&app, "/my/certificates").await.status, 403);
    // An applicant without certificates: an empty library.
    let zhang = sign_in(&app, "applicant").await;
    let r = zhang.get(&app, "/my/certificates").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"no-certificates\""));

    support::start_company(&app).await;
    let id = licence_id(&app).await;
    let enterprise = sign_in(&app, "enterprise").await;
    let r = enterprise.get(&app, "/my/certificates").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&format!("id=\"cert-{id}\"")));
    assert!(r.body.contains("营业执照"), "the type in words");
    assert!(r.body.contains("data-status=\"valid\""));
    assert!(
        r.body.contains("value=\"licensed\""),
        "claims as checkboxes"
    );

    // Someone else's certificate is not found; a forged form is refused;
    // nothing ticked is said beside the checkboxes.
    let uri = format!("/my/certificates/{id}/present");
    let r = zhang.post(&app, &uri, &[("disclose", "licensed")]).await;
    assert_eq!(r.status, 404);
    let r = post_form(
        &app,
        &uri,
        Some(&enterprise.cookie),
        &[("disclose", "licensed")],
    )
    .await;
    assert_eq!(r.status, 403);
    let r = enterprise.post(&app, &uri, &[]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(&format!("id=\"disclose-error-{id}\"")));
    let r = enterprise.post(&app, &uri, &[("disclose", "nope")]).await;
    assert_eq!(r.status, 422, "an unknown claim is an error, not a 500");

    let p = present_on_page(&app, &enterprise, &id, &["licensed", "valid_until"]).await;
    assert_eq!(
        p.matches('~').count(),
        3,
        "the JWT and two disclosures: {p}"
    );

    // The printable certificate: every claim, and a QR code.
    let r = enterprise
        .get(&app, &format!("/my/certificates/{id}/print"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("@media print") || r.body.contains("/static/style.css"));
    assert!(r.body.contains("<svg"));
    for claim in [
        "licensed",
        "valid_until",
        "holder_name",
        "issuing_department",
    ] {
        assert!(
            r.body.contains(&format!("data-claim=\"{claim}\"")),
            "{claim}"
        );
    }
    assert_eq!(
        zhang
            .get(&app, &format!("/my/certificates/{id}/print"))
            .await
            .status,
        404
    );
    let css = app.get("/static/style.css").await;
    assert!(css.body.contains("@media print"));
}

#[tokio::test]
async fn the_verify_page_shows_what_was_disclosed_or_why_not() {
    let app = TestApp::demo().await;
    // The empty form, for anyone.
    let r = app.get("/verify").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"presentation\""));
    assert!(!r.body.contains("id=\"verdict\""));

    // Garbage, pasted or in the query: the error beside the field.
    for garbage in ["garbage", "a~b~", "eyJ.eyJ.sig~", "~~~~"] {
        let r = post_form(&app, "/verify", None, &[("presentation", garbage)]).await;
        assert_eq!(r.status, 422, "{garbage}: {}", r.body);
        assert_eq!(rule_of(&r.body).as_deref(), Some("malformed"), "{garbage}");
        assert!(r.body.contains("aria-describedby=\"presentation-error\""));
        assert!(r.body.contains("data-valid=\"false\""));
    }
    let r = app.get("/verify?presentation=%ZZ%").await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = post_form(&app, "/verify", None, &[]).await;
    assert_eq!(r.status, 200, "no presentation: the empty form");
    let huge = "a".repeat(70 * 1024);
    let r = post_form(&app, "/verify", None, &[("presentation", &huge)]).await;
    assert_eq!(rule_of(&r.body).as_deref(), Some("too_long"));

    support::start_company(&app).await;
    let id = licence_id(&app).await;
    let enterprise = sign_in(&app, "enterprise").await;
    let p = present_on_page(&app, &enterprise, &id, &["licensed", "valid_until"]).await;

    // Valid, from the QR code's link: exactly the two claims.
    let r = app.get(&format!("/verify?presentation={p}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("id=\"verdict\" data-valid=\"true\""));
    assert_eq!(disclosed_rows(&r.body), vec!["licensed", "valid_until"]);
    assert!(r.body.contains("市场监督管理局"), "the issuer in words");
    assert!(r.body.contains("营业执照"), "the type in words");
    // In English too, pasted.
    let r = app
        .send(
            Request::post("/verify?lang=en")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(form_body(&[("presentation", &p)])))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Valid: signed by the issuing department"));
    assert!(r.body.contains("Business licence"));

    // A disclosure the issuer never signed.
    let (jwt, _) = p.split_once('~').expect("sd-jwt");
    let forged = format!("{jwt}~WyJzYWx0IiwibGljZW5zZWQiLGZhbHNlXQ~");
    let r = post_form(&app, "/verify", None, &[("presentation", &forged)]).await;
    assert_eq!(r.status, 422);
    assert_eq!(rule_of(&r.body).as_deref(), Some("tampered_disclosure"));
    assert!(disclosed_rows(&r.body).is_empty());

    // Revoked by the issuing department: said in words.
    support::certificates::set_status(&app, &id, "revoked").await;
    let r = app.get(&format!("/verify?presentation={p}")).await;
    assert_eq!(r.status, 422);
    assert_eq!(rule_of(&r.body).as_deref(), Some("revoked"));
    assert!(r.body.contains("发证部门已吊销该证照"));
    let r = enterprise.get(&app, "/my/certificates").await;
    assert!(r.body.contains("data-status=\"revoked\""));
}

#[tokio::test]
async fn the_apply_page_shows_the_personal_plan_and_leads_to_consent() {
    let app = TestApp::demo().await;
    app.seed_records().await;
    let enterprise = sign_in(&app, "enterprise").await;
    let uri = "/matters/330200-SCJG-003/apply";
    let section = |body: &str, id: &str| -> String {
        let start = body.find(&format!("<ul id=\"{id}\">")).expect(id);
        let end = body[start..].find("</ul>").expect("end") + start;
        body[start..end].to_owned()
    };
    let r = enterprise.get(&app, uri).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let bring = section(&r.body, "bring");
    assert!(bring.contains("营业执照"), "no licence yet: {bring}");
    assert!(
        bring.contains("数据平台暂无您的该项数据"),
        "marked not held"
    );

    support::start_company(&app).await;
    let r = enterprise.get(&app, uri).await;
    assert!(!section(&r.body, "bring").contains("营业执照"));
    assert!(section(&r.body, "fetched").contains("营业执照"));

    // Submitting the page's form leads to the consent step.
    let code = yici_core::catalog::MatterCode::parse("330200-SCJG-003").expect("code");
    let plan = app
        .service()
        .plan_for(&yici_core::case::Target::Matter(code))
        .expect("plan");
    let form = form_for(&plan.form);
    let values: Vec<(String, String)> = form
        .as_object()
        .expect("form")
        .iter()
        .map(|(k, v)| {
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            (format!("form.{k}"), text)
        })
        .collect();
    let fields: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = enterprise.post(&app, uri, &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let case = r.header("location").to_owned();
    assert!(case.starts_with("/cases/"), "{case}");
    let r = enterprise.get(&app, &case).await;
    assert!(r.body.contains("id=\"consent\" data-status=\"none\""));
    assert!(r.body.contains("企业登记信息"), "the data set in words");
    assert!(r.body.contains("电子营业执照编号"), "the field in words");
    assert!(r.body.contains("id=\"consent-grant\""));
    // A clerk sees the consent but cannot decide it.
    let clerk = sign_in(&app, "clerk").await;
    let r = clerk.get(&app, &case).await;
    assert!(r.body.contains("id=\"consent\""));
    assert!(!r.body.contains("id=\"consent-grant\""));
    let r = clerk
        .post(&app, &format!("{case}/consent"), &[("decision", "grant")])
        .await;
    assert_eq!(r.status, 403);
    // Without a decision: said beside the buttons.
    let r = enterprise.post(&app, &format!("{case}/consent"), &[]).await;
    assert_eq!(r.status, 422);
    let r = enterprise
        .post(&app, &format!("{case}/consent"), &[("decision", "grant")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = enterprise.get(&app, &case).await;
    assert!(r.body.contains("id=\"consent\" data-status=\"granted\""));
    assert!(!r.body.contains("id=\"consent-grant\""));
    // The API sees the same consent.
    let token = app.login("enterprise").await;
    let id = case.trim_start_matches("/cases/");
    let v = app
        .get_as(&format!("/api/v1/cases/{id}/consent"), &token)
        .await
        .json();
    assert_eq!(v["status"], "granted", "{v}");
}
