//! Verification by the issuer itself: what a presentation claims is read
//! first (to load only that issuer's keys and that status entry), and the
//! issuer's own record of the one entry replaces its signed status list.

use std::cell::RefCell;

use yici_exchange::certificate::{Status, StatusRef, claimed, thumbprint, verify_by_issuer};

use crate::fixture::{Fixture, ISS, NOW, STATUS_URI, key, rule};

#[test]
fn claimed_names_the_issuer_key_and_status_entry_without_checking_them() {
    let f = Fixture::new();
    let c = claimed(&f.issue(7).to_string()).expect("claimed");
    assert_eq!(c.iss, ISS);
    assert_eq!(c.kid, Some(thumbprint(&key(1).verifying_key())));
    assert_eq!(
        c.status_ref,
        Some(StatusRef {
            uri: STATUS_URI.into(),
            idx: 7
        })
    );
}

#[test]
fn the_issuer_is_asked_for_exactly_the_entry_the_certificate_names() {
    let f = Fixture::new();
    let presentation = f.issue(7).to_string();
    let asked = RefCell::new(Vec::new());
    let asked_ref = &asked;
    let lookup = |status: Status| {
        move |r: &StatusRef| {
            asked_ref.borrow_mut().push(r.clone());
            Ok(status)
        }
    };
    let meta = f.issuer.metadata();
    let valid = verify_by_issuer(&presentation, &meta, NOW, lookup(Status::Valid));
    assert_eq!(rule(&valid), "ok");
    let revoked = verify_by_issuer(&presentation, &meta, NOW, lookup(Status::Revoked));
    assert_eq!(rule(&revoked), "revoked");
    let suspended = verify_by_issuer(&presentation, &meta, NOW, lookup(Status::Suspended));
    assert_eq!(rule(&suspended), "suspended");
    let entry = StatusRef {
        uri: STATUS_URI.into(),
        idx: 7,
    };
    assert_eq!(*asked.borrow(), vec![entry.clone(), entry.clone(), entry]);
}

#[test]
fn a_presentation_with_a_bad_signature_never_reaches_the_status_lookup() {
    let f = Fixture::new();
    let presentation = f.issue(7).to_string();
    let (jwt, rest) = presentation.split_once('~').expect("sd-jwt");
    // Change one character inside the signature (not the last, whose low
    // bits are padding).
    let mut chars: Vec<char> = jwt.chars().collect();
    let at = chars.len() - 10;
    chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
    let forged = format!("{}~{rest}", chars.into_iter().collect::<String>());
    let mut asked = false;
    let result = verify_by_issuer(&forged, &f.issuer.metadata(), NOW, |_| {
        asked = true;
        Ok(Status::Valid)
    });
    assert_eq!(rule(&result), "bad_signature");
    assert!(!asked);
}
