//! Department keys: thumbprint names, JWKS publication, rotation.

use ed25519_dalek::VerifyingKey;
use yici_core::catalog::DepartmentCode;
use yici_exchange::certificate::{
    CertificateError, Issuer, IssuerMetadata, Jwk, Jwks, KeyRing, present, thumbprint,
};

use crate::fixture::{Fixture, ISS, key, rule};

#[test]
fn kid_is_the_rfc_7638_thumbprint_of_the_rfc_8037_example_key() {
    // RFC 8037 Appendix A.2 public key and A.3 thumbprint.
    let x = [
        0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07,
        0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07,
        0x51, 0x1a,
    ];
    let key = VerifyingKey::from_bytes(&x).expect("key");
    assert_eq!(
        thumbprint(&key),
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    );
    assert_eq!(
        Jwk::from_key(&key).x,
        "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    );
}

#[test]
fn jwks_publishes_current_and_retired_keys_as_okp_ed25519() {
    let mut ring = KeyRing::new(key(1));
    ring.rotate(key(2));
    let jwks = ring.jwks();
    assert_eq!(jwks.keys.len(), 2);
    assert_eq!(jwks.keys[0].kid, ring.current_kid());
    assert!(
        jwks.keys
            .iter()
            .all(|k| k.kty == "OKP" && k.crv == "Ed25519")
    );
    let reread = Jwks::from_json(&jwks.to_json()).expect("json");
    assert_eq!(reread, jwks);
}

#[test]
fn jwk_whose_kid_is_not_its_thumbprint_is_never_used() {
    let mut jwk = Jwk::from_key(&key(1).verifying_key());
    jwk.kid = thumbprint(&key(2).verifying_key());
    assert_eq!(rule(&jwk.to_key()), "malformed");
    let jwks = Jwks {
        keys: vec![jwk.clone()],
    };
    assert!(jwks.find(&jwk.kid).is_none());
}

#[test]
fn certificate_signed_by_a_retired_key_still_verifies() {
    let mut f = Fixture::new();
    let old = f.issue(1);
    f.issuer.keys_mut().rotate(key(2));
    let new = f.issue(2);

    assert_eq!(rule(&f.verify(&old.to_string())), "ok");
    assert_eq!(rule(&f.verify(&new.to_string())), "ok");
    assert_ne!(
        f.verify(&old.to_string()).map(|v| v.kid).ok(),
        f.verify(&new.to_string()).map(|v| v.kid).ok()
    );
}

#[test]
fn status_list_signed_after_rotation_still_covers_old_certificates() {
    let mut f = Fixture::new();
    let old = f.issue(3);
    f.issuer.keys_mut().rotate(key(2));
    f.list
        .set(3, yici_exchange::certificate::Status::Revoked)
        .expect("set");
    assert_eq!(rule(&f.verify(&old.to_string())), "revoked");
}

#[test]
fn certificate_signed_by_a_removed_key_is_refused_as_unknown_key() {
    let mut f = Fixture::new();
    let old = f.issue(1);
    let old_kid = f.issuer.keys().current_kid().to_owned();
    f.issuer.keys_mut().rotate(key(2));
    assert!(f.issuer.keys_mut().remove_retired(&old_kid));

    assert_eq!(
        f.verify(&old.to_string()).err(),
        Some(CertificateError::UnknownKey { kid: old_kid })
    );
}

#[test]
fn the_current_key_cannot_be_removed() {
    let mut ring = KeyRing::new(key(1));
    let kid = ring.current_kid().to_owned();
    assert!(!ring.remove_retired(&kid));
    assert_eq!(ring.jwks().keys.len(), 1);
}

#[test]
fn signature_by_a_key_the_issuer_does_not_publish_is_refused() {
    let f = Fixture::new();
    let impostor = Issuer::new(
        DepartmentCode::parse("scjg").expect("code"),
        ISS,
        KeyRing::new(key(9)),
    );
    let forged = impostor
        .issue(
            &f.content(crate::fixture::company(), 1),
            &mut rand_core::OsRng,
        )
        .expect("issue");
    let result = f.verify(
        &present(&forged, &["licensed"])
            .expect("present")
            .to_string(),
    );
    assert_eq!(rule(&result), "unknown_key");
}

#[test]
fn certificate_of_an_untrusted_issuer_is_refused() {
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    let other = IssuerMetadata {
        issuer: "https://elsewhere.example/departments/scjg".into(),
        jwks: f.issuer.keys().jwks(),
    };
    let result =
        yici_exchange::certificate::verify(&sd_jwt.to_string(), &other, 0, &f.status_tokens());
    assert_eq!(rule(&result), "unknown_issuer");
}

#[test]
fn one_departments_key_cannot_vouch_for_another_issuer() {
    // Department B publishes department A's key by mistake: a certificate
    // A signed claiming to be A verifies only against A's metadata.
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    let trusted = vec![IssuerMetadata {
        issuer: "https://yici.example.gov.cn/departments/wglj".into(),
        jwks: f.issuer.keys().jwks(),
    }];
    let result = yici_exchange::certificate::verify(
        &sd_jwt.to_string(),
        &trusted,
        crate::fixture::NOW,
        &f.status_tokens(),
    );
    assert_eq!(rule(&result), "unknown_issuer");
}
