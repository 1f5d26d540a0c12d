//! Issue → present → verify, and what a verifier sees.

use rand_core::OsRng;
use serde_json::{Value, json};
use yici_exchange::certificate::{
    CertificateError, Status, TYP, present, qr_payload, qr_svg, well_known_url,
};

use crate::fixture::{
    DAY, Fixture, ISS, NOW, STATUS_URI, VCT, company, licence_claims, person, rule,
};

#[test]
fn presenting_every_claim_verifies_and_shows_all_of_them() {
    let f = Fixture::new();
    let sd_jwt = f.issue(7);
    let names: Vec<&str> = sd_jwt.claim_names().collect();
    let presentation = present(&sd_jwt, &names).expect("present");

    let verified = f.verify(presentation.as_str()).expect("verifies");

    assert_eq!(verified.disclosed, licence_claims());
    assert_eq!(verified.issuer, ISS);
    assert_eq!(verified.vct, VCT);
    assert_eq!(verified.holder, company());
    assert_eq!((verified.iat, verified.exp), (NOW - DAY, NOW + 365 * DAY));
    assert_eq!(verified.status_ref.uri, STATUS_URI);
    assert_eq!(verified.status_ref.idx, 7);
    assert_eq!(verified.status, Status::Valid);
    assert_eq!(verified.kid, f.issuer.keys().current_kid());
}

#[test]
fn selective_disclosure_shows_exactly_the_chosen_claims() {
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    let presentation = present(&sd_jwt, &["licensed", "valid_until"]).expect("present");

    let verified = f.verify(presentation.as_str()).expect("verifies");

    let shown: Vec<&str> = verified.disclosed.keys().map(String::as_str).collect();
    assert_eq!(shown, ["licensed", "valid_until"]);
    assert_eq!(verified.disclosed["licensed"], json!(true));
    let parts: Vec<&str> = presentation.as_str().split('~').collect();
    assert_eq!(
        parts.len(),
        4,
        "the JWT, two disclosures and the closing empty part"
    );
}

#[test]
fn presentation_without_disclosures_shows_only_the_clear_claims() {
    let f = Fixture::new();
    let presentation = present(&f.issue(2), &[]).expect("present");
    assert!(presentation.as_str().ends_with('~'));
    let verified = f.verify(presentation.as_str()).expect("verifies");
    assert!(verified.disclosed.is_empty());
    assert_eq!(verified.holder, company());
}

#[test]
fn undisclosed_values_do_not_appear_anywhere_in_the_presentation() {
    let f = Fixture::new();
    let presentation = present(&f.issue(3), &["licensed"]).expect("present");
    // Each part of the presentation, decoded, must not contain the address.
    for part in presentation.as_str().split(['~', '.']) {
        let decoded = base64_decode(part);
        assert!(!decoded.contains("中山西路"), "address leaked in {part}");
    }
}

fn base64_decode(s: &str) -> String {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn presenting_a_claim_the_certificate_lacks_is_refused() {
    let f = Fixture::new();
    let result = present(&f.issue(4), &["licensed", "adress"]);
    assert_eq!(
        result,
        Err(CertificateError::UnknownClaim {
            name: "adress".into()
        })
    );
}

#[test]
fn certificate_of_a_person_names_the_resident_id_as_holder() {
    let f = Fixture::new();
    let sd_jwt = f
        .issuer
        .issue(&f.content(person(), 5), &mut OsRng)
        .expect("issue");
    let verified = f.verify(&sd_jwt.to_string()).expect("verifies");
    assert_eq!(verified.holder, person());
}

#[test]
fn issued_sd_jwt_round_trips_through_its_serialization() {
    let f = Fixture::new();
    let sd_jwt = f.issue(6);
    let parsed = yici_exchange::certificate::SdJwt::parse(&sd_jwt.to_string()).expect("parse");
    assert_eq!(parsed, sd_jwt);
}

#[test]
fn issued_header_is_typed_dc_sd_jwt_with_eddsa_and_kid() {
    let f = Fixture::new();
    let sd_jwt = f.issue(8);
    let header: Value =
        serde_json::from_str(&base64_decode(sd_jwt.jwt.split('.').next().unwrap_or("")))
            .expect("json");
    assert_eq!(header["typ"], TYP);
    assert_eq!(header["alg"], "EdDSA");
    assert_eq!(header["kid"], f.issuer.keys().current_kid());
}

#[test]
fn reserved_claim_is_refused_at_issue() {
    let f = Fixture::new();
    let mut content = f.content(company(), 0);
    content.claims.insert("status".into(), json!("forged"));
    let result = f.issuer.issue(&content, &mut OsRng);
    assert_eq!(rule(&result), "reserved_claim");
}

#[test]
fn expiry_not_after_issue_is_refused_at_issue() {
    let f = Fixture::new();
    let mut content = f.content(company(), 0);
    content.exp = content.iat;
    assert_eq!(
        rule(&f.issuer.issue(&content, &mut OsRng)),
        "expiry_before_issue"
    );
}

#[test]
fn qr_payload_is_the_verify_url_with_the_presentation() {
    let f = Fixture::new();
    let presentation = present(&f.issue(9), &["licensed", "valid_until"]).expect("present");
    let payload = qr_payload("https://yici.example.gov.cn/verify", &presentation);
    assert_eq!(
        payload,
        format!("https://yici.example.gov.cn/verify?presentation={presentation}")
    );
    let svg = qr_svg(&payload).expect("fits in a QR code");
    assert!(svg.contains("<svg") && svg.contains("</svg>"));
}

#[test]
fn qr_of_an_oversized_payload_is_refused() {
    let payload = "x".repeat(5000);
    assert_eq!(rule(&qr_svg(&payload)), "qr_too_long");
}

#[test]
fn issuer_metadata_lives_under_the_well_known_path() {
    assert_eq!(
        well_known_url(ISS).as_deref(),
        Some("https://yici.example.gov.cn/.well-known/jwt-vc-issuer/departments/scjg")
    );
    assert_eq!(well_known_url("http://insecure.example"), None);
}
