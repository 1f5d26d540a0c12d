//! Revocation and suspension through the token status list.

use std::collections::HashMap;
use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use yici_exchange::certificate::{
    CertificateError, MAX_ENTRIES, Status, StatusList, StatusListToken, verify,
};

use crate::fixture::{DAY, Fixture, NOW, STATUS_URI, rule};

fn zlib(bytes: &[u8]) -> String {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("write");
    URL_SAFE_NO_PAD.encode(e.finish().expect("finish"))
}

#[test]
fn revoked_certificate_is_reported_revoked() {
    let mut f = Fixture::new();
    let sd_jwt = f.issue(42);
    f.list.set(42, Status::Revoked).expect("set");
    assert_eq!(
        f.verify(&sd_jwt.to_string()).err(),
        Some(CertificateError::Revoked {
            uri: STATUS_URI.into(),
            idx: 42
        })
    );
}

#[test]
fn suspended_certificate_is_reported_suspended_and_verifies_once_lifted() {
    let mut f = Fixture::new();
    let sd_jwt = f.issue(43);
    f.list.set(43, Status::Suspended).expect("set");
    assert_eq!(rule(&f.verify(&sd_jwt.to_string())), "suspended");
    f.list.set(43, Status::Valid).expect("set");
    assert_eq!(rule(&f.verify(&sd_jwt.to_string())), "ok");
}

#[test]
fn revoking_one_certificate_leaves_its_neighbours_valid() {
    let mut f = Fixture::new();
    let [a, b, c] = [40, 41, 42].map(|i| f.issue(i));
    f.list.set(41, Status::Revoked).expect("set");
    assert_eq!(rule(&f.verify(&a.to_string())), "ok");
    assert_eq!(rule(&f.verify(&b.to_string())), "revoked");
    assert_eq!(rule(&f.verify(&c.to_string())), "ok");
}

#[test]
fn status_index_out_of_range_is_refused() {
    let f = Fixture::new();
    let sd_jwt = f.issue(5000);
    assert_eq!(
        f.verify(&sd_jwt.to_string()).err(),
        Some(CertificateError::StatusIndexOutOfRange {
            idx: 5000,
            len: 1024
        })
    );
    let mut list = StatusList::new(8).expect("size");
    assert_eq!(rule(&list.get(8)), "status_index_out_of_range");
    assert_eq!(
        rule(&list.set(u64::MAX, Status::Revoked)),
        "status_index_out_of_range"
    );
}

#[test]
fn status_list_size_is_whole_bytes_and_bounded() {
    assert_eq!(StatusList::new(10).expect("size").len(), 12);
    assert_eq!(rule(&StatusList::new(0)), "status_list_size");
    assert_eq!(rule(&StatusList::new(MAX_ENTRIES + 1)), "status_list_size");
}

#[test]
fn status_list_bit_layout_follows_the_draft_two_bit_example() {
    // draft-ietf-oauth-status-list §4.1, 2 bits: statuses
    // [1,2,0,3, 0,1,0,1, 1,2,3,3] pack into bytes C9 44 F9.
    let list =
        StatusList::from_json(&json!({"bits": 2, "lst": zlib(&[0xC9, 0x44, 0xF9])})).expect("list");
    let values: Vec<u8> = (0..12).map(|i| list.value(i).expect("in range")).collect();
    assert_eq!(values, [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]);
    assert_eq!(rule(&list.get(3)), "unrecognised_status");
}

#[test]
fn status_list_survives_compression_round_trip() {
    let mut list = StatusList::new(100).expect("size");
    list.set(0, Status::Revoked).expect("set");
    list.set(99, Status::Suspended).expect("set");
    let reread = StatusList::from_json(&json!({"bits": 2, "lst": list.lst()})).expect("list");
    assert_eq!(reread, list);
}

#[test]
fn status_list_that_inflates_past_the_limit_is_refused() {
    let huge = vec![0u8; (MAX_ENTRIES as usize / 4) + 1];
    let result = StatusList::from_json(&json!({"bits": 2, "lst": zlib(&huge)}));
    assert_eq!(rule(&result), "malformed");
}

#[test]
fn status_list_with_bad_bits_or_lst_is_refused() {
    for value in [
        json!({"bits": 3, "lst": zlib(&[0])}),
        json!({"bits": 2}),
        json!({"bits": 2, "lst": "not zlib"}),
        json!({"bits": 2, "lst": zlib(&[])}),
    ] {
        assert_eq!(rule(&StatusList::from_json(&value)), "malformed", "{value}");
    }
}

#[test]
fn missing_status_list_token_is_reported_unavailable() {
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    let none = HashMap::<String, String>::new();
    let result = verify(&sd_jwt.to_string(), &f.issuer.metadata(), NOW, &none);
    assert_eq!(rule(&result), "status_list_unavailable");
}

#[test]
fn status_list_token_for_another_uri_is_refused() {
    let f = Fixture::new();
    let sd_jwt = f.issue(1);
    let other = f.list.to_jwt(
        &f.issuer,
        "https://yici.example.gov.cn/status/scjg/2",
        NOW,
        None,
    );
    let lookup = HashMap::from([(STATUS_URI.to_owned(), other)]);
    let result = verify(&sd_jwt.to_string(), &f.issuer.metadata(), NOW, &lookup);
    assert_eq!(rule(&result), "status_list_mismatch");
}

#[test]
fn expired_status_list_token_is_refused() {
    let f = Fixture::new();
    let token = f
        .list
        .to_jwt(&f.issuer, STATUS_URI, NOW - 2 * DAY, Some(NOW - DAY));
    let result = StatusListToken::verify(&token, &f.issuer.keys().jwks(), NOW);
    assert_eq!(rule(&result), "status_list_expired");
}

#[test]
fn status_list_token_signed_by_an_unknown_key_is_refused() {
    let f = Fixture::new();
    let token = f.list.to_jwt(&f.issuer, STATUS_URI, NOW, None);
    let stranger = yici_exchange::certificate::KeyRing::new(crate::fixture::key(7)).jwks();
    assert_eq!(
        rule(&StatusListToken::verify(&token, &stranger, NOW)),
        "unknown_key"
    );
}

#[test]
fn certificate_is_not_accepted_as_a_status_list_token() {
    let f = Fixture::new();
    let jwt = f.issue(1).jwt;
    let result = StatusListToken::verify(&jwt, &f.issuer.keys().jwks(), NOW);
    assert_eq!(rule(&result), "wrong_type");
}
