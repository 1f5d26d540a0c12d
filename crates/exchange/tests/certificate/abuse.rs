//! Bad input and abuse: each is refused with its rule, nothing panics.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use yici_exchange::certificate::{CertificateError, SdJwt, present};

use crate::fixture::{DAY, Fixture, NOW, rule};

fn encode(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn decode(part: &str) -> Value {
    let bytes = URL_SAFE_NO_PAD.decode(part).expect("base64url");
    serde_json::from_slice(&bytes).expect("json")
}

/// `sd_jwt` presented with exactly `disclosures` (already encoded).
fn with_disclosures(sd_jwt: &SdJwt, disclosures: &[&str]) -> String {
    let mut s = format!("{}~", sd_jwt.jwt);
    for d in disclosures {
        s.push_str(d);
        s.push('~');
    }
    s
}

#[test]
fn disclosure_with_an_altered_value_is_refused_as_tampered() {
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    let original = &sd_jwt
        .disclosures
        .iter()
        .find(|d| d.name == "valid_until")
        .expect("claim")
        .encoded;
    let mut array = decode(original);
    array[2] = json!("2099-12-31");
    let forged = encode(&array);
    let first = &sd_jwt.disclosures[0].encoded;

    let result = f.verify(&with_disclosures(&sd_jwt, &[first, &forged]));
    assert_eq!(
        result.err(),
        Some(CertificateError::TamperedDisclosure { index: 1 })
    );
}

#[test]
fn disclosure_taken_from_another_certificate_is_refused_as_tampered() {
    let f = Fixture::new();
    let mine = f.issue(1);
    let theirs = f.issue(2);
    let result = f.verify(&with_disclosures(&mine, &[&theirs.disclosures[0].encoded]));
    assert_eq!(rule(&result), "tampered_disclosure");
}

#[test]
fn repeated_disclosure_is_refused() {
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    let d = &sd_jwt.disclosures[0].encoded;
    let result = f.verify(&with_disclosures(&sd_jwt, &[d, d]));
    assert_eq!(
        result.err(),
        Some(CertificateError::DuplicateDisclosure { index: 1 })
    );
}

#[test]
fn altered_payload_fails_the_signature() {
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    let mut parts: Vec<String> = sd_jwt.jwt.split('.').map(str::to_owned).collect();
    let mut payload = decode(&parts[1]);
    payload["exp"] = json!(NOW + 100 * 365 * DAY);
    parts[1] = encode(&payload);
    let result = f.verify(&format!("{}~", parts.join(".")));
    assert_eq!(result.err(), Some(CertificateError::BadSignature));
}

#[test]
fn unsigned_alg_none_token_is_refused() {
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    let payload = sd_jwt.jwt.split('.').nth(1).expect("payload");
    let header =
        encode(&json!({"alg": "none", "typ": "dc+sd-jwt", "kid": f.issuer.keys().current_kid()}));
    let result = f.verify(&format!("{header}.{payload}.~"));
    assert_eq!(rule(&result), "unsupported_algorithm");
}

#[test]
fn status_list_token_is_not_accepted_as_a_certificate() {
    let f = Fixture::new();
    let token = f
        .list
        .to_jwt(&f.issuer, crate::fixture::STATUS_URI, NOW, None);
    assert_eq!(rule(&f.verify(&format!("{token}~"))), "wrong_type");
}

#[test]
fn expired_certificate_is_refused() {
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    let exp = NOW + 365 * DAY;
    assert_eq!(
        f.verify_at(&sd_jwt.to_string(), exp).err(),
        Some(CertificateError::Expired { exp, now: exp })
    );
}

#[test]
fn certificate_used_before_its_issue_time_is_refused() {
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    assert_eq!(
        rule(&f.verify_at(&sd_jwt.to_string(), NOW - 2 * DAY)),
        "not_yet_valid"
    );
}

#[test]
fn appended_key_binding_jwt_is_refused() {
    let f = Fixture::new();
    let presentation = present(&f.issue(1), &["licensed"]).expect("present");
    let result = f.verify(&format!("{presentation}eyJhbGciOiJFZERTQSJ9.e30.AA"));
    assert_eq!(rule(&result), "malformed");
}

#[test]
fn malformed_presentations_are_refused_without_panicking() {
    let f = Fixture::new();
    let inputs = [
        "",
        "~",
        "~~",
        "abc",
        "a.b.c~",
        "a.b~",
        "....~",
        "eyJ9.eyJ9.AA~",
        "e30.e30.~",
        "bm90IGpzb24.e30.AA~",
        "e30.W10.AA~",
        "e30.e30.AA~~~",
        "e30.e30.AA~W10~",
        "\u{0}\u{ffff}~\u{1F600}",
    ];
    for input in inputs {
        let result = f.verify(input);
        assert!(result.is_err(), "{input:?} verified");
    }
    let oversized = format!("{}.e30.AA~", "A".repeat(300 * 1024));
    assert_eq!(rule(&f.verify(&oversized)), "malformed");
}

#[test]
fn every_single_character_change_of_a_presentation_is_refused_or_harmless() {
    let f = Fixture::new();
    let presentation = present(&f.issue(1), &["licensed", "valid_until"])
        .expect("present")
        .to_string();
    let expected = f
        .verify(&presentation)
        .expect("original verifies")
        .disclosed;
    let replacements = ['A', '_', '~', '.', 'z'];
    for (i, original) in presentation.char_indices() {
        for &r in replacements.iter().filter(|&&r| r != original) {
            let mut mutated = presentation.clone();
            mutated.replace_range(i..i + original.len_utf8(), &r.to_string());
            // A change may only ever remove disclosures (e.g. '~' cutting
            // one off); it may never show a different value.
            if let Ok(verified) = f.verify(&mutated) {
                for (name, value) in &verified.disclosed {
                    assert_eq!(expected.get(name), Some(value), "mutation at {i} to {r:?}");
                }
            }
        }
    }
}

#[test]
fn truncated_presentations_never_panic() {
    let f = Fixture::new();
    let presentation = f.issue(1).to_string();
    for end in 0..presentation.len() {
        let _ = f.verify(&presentation[..end]);
    }
}

#[test]
fn sd_jwt_parse_refuses_key_binding_and_garbage() {
    assert_eq!(rule(&SdJwt::parse("a.b.c~kb")), "malformed");
    assert_eq!(rule(&SdJwt::parse("no separator")), "malformed");
    assert_eq!(rule(&SdJwt::parse("a.b.c~!!~")), "malformed");
}
