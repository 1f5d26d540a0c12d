//! The verifier's side: check a presentation completely and say exactly
//! what it disclosed (RFC 9901 §7.1 and §7.3, draft-ietf-oauth-sd-jwt-vc
//! §3.5, draft-ietf-oauth-status-list §8).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};
use time::{OffsetDateTime, UtcOffset};
use yici_core::identifier::Identifier;

use super::disclosure::{Disclosure, SD_ALG, digest};
use super::error::CertificateError;
use super::issue::{Holder, LEGACY_TYP, StatusRef, TYP, split};
use super::jws::UnverifiedJws;
use super::keys::TrustedIssuers;
use super::status_list::{Status, StatusListToken};

/// Where the verifier gets the status list token a certificate names. In
/// the server this is an HTTP fetch with a cache; in tests a map.
pub trait StatusLookup {
    /// The status list token (a compact JWT) served at `uri`, if available.
    fn status_list_token(&self, uri: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String>> StatusLookup for F {
    fn status_list_token(&self, uri: &str) -> Option<String> {
        self(uri)
    }
}

impl StatusLookup for HashMap<String, String> {
    fn status_list_token(&self, uri: &str) -> Option<String> {
        self.get(uri).cloned()
    }
}

impl StatusLookup for BTreeMap<String, String> {
    fn status_list_token(&self, uri: &str) -> Option<String> {
        self.get(uri).cloned()
    }
}

/// A presentation that passed every check, and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    /// The issuing department's identifier (`iss`).
    pub issuer: String,
    /// The key that signed it.
    pub kid: String,
    /// The credential type.
    pub vct: String,
    /// Whom the certificate is about.
    pub holder: Holder,
    /// Exactly the claims the holder disclosed, and nothing else.
    pub disclosed: Map<String, Value>,
    /// Issue time, seconds since the Unix epoch.
    pub iat: i64,
    /// Expiry time, seconds since the Unix epoch.
    pub exp: i64,
    /// The status entry that was checked.
    pub status_ref: StatusRef,
    /// The status found there: always [`Status::Valid`], since a revoked or
    /// suspended certificate is an error.
    pub status: Status,
}

/// What a presentation says about itself, read before anything is
/// checked, so that a verifier loads only what this one presentation
/// needs: the keys of its issuer (knowing which `kid` must be among them)
/// and its one status entry. Nothing here is trusted: [`verify`] or
/// [`verify_by_issuer`] still check everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// The issuer it names (`iss`).
    pub iss: String,
    /// The key it says signed it (`kid`), if any.
    pub kid: Option<String>,
    /// The status entry it names, if it has a well-formed one.
    pub status_ref: Option<StatusRef>,
}

/// Reads the issuer, key id and status entry a presentation claims,
/// without checking them.
pub fn claimed(presentation: &str) -> Result<Claimed, CertificateError> {
    let (jwt, _, _) = split(presentation)?;
    let unverified = UnverifiedJws::parse(jwt)?;
    let payload = unverified.unverified_payload();
    Ok(Claimed {
        iss: string_claim(payload, "iss")?.to_owned(),
        kid: unverified.unverified_kid().map(str::to_owned),
        status_ref: status_ref(payload).ok(),
    })
}

/// Verifies `presentation` at time `now` (seconds since the Unix epoch):
/// the issuer is trusted, the signature is by a key it publishes, each
/// disclosure is one the issuer signed and appears once, `iat` ≤ `now` <
/// `exp`, and the status list says valid. A trailing key binding JWT is
/// refused: yici certificates carry no `cnf` to check it against.
pub fn verify(
    presentation: &str,
    trusted: &(impl TrustedIssuers + ?Sized),
    now: i64,
    status: &(impl StatusLookup + ?Sized),
) -> Result<Verified, CertificateError> {
    verify_with(presentation, trusted, now, |status_ref, iss, jwks| {
        token_status(status_ref, iss, jwks, now, status)
    })
}

/// Verifies `presentation` as [`verify`] does, for the issuer itself: it
/// keeps every certificate's status, so `status` reads the one entry the
/// (signature-checked) certificate names from its own records. Signing a
/// whole status list token only to check one entry of it again would be
/// waste; anyone else must use [`verify`] with the published token.
pub fn verify_by_issuer(
    presentation: &str,
    trusted: &(impl TrustedIssuers + ?Sized),
    now: i64,
    status: impl FnOnce(&StatusRef) -> Result<Status, CertificateError>,
) -> Result<Verified, CertificateError> {
    verify_with(presentation, trusted, now, |status_ref, _, _| {
        status(status_ref)
    })
}

fn verify_with(
    presentation: &str,
    trusted: &(impl TrustedIssuers + ?Sized),
    now: i64,
    status: impl FnOnce(&StatusRef, &str, &super::jwk::Jwks) -> Result<Status, CertificateError>,
) -> Result<Verified, CertificateError> {
    let (jwt, disclosures, key_binding) = split(presentation)?;
    if !key_binding.is_empty() {
        return Err(CertificateError::malformed(
            "presentation",
            "key binding is not used by yici certificates",
        ));
    }
    let unverified = UnverifiedJws::parse(jwt)?;
    let iss = string_claim(unverified.unverified_payload(), "iss")?.to_owned();
    let jwks = trusted
        .keys_of(&iss)
        .ok_or_else(|| CertificateError::UnknownIssuer { iss: iss.clone() })?;
    let jws = unverified.verify(jwks, &[TYP, LEGACY_TYP])?;
    let payload = jws.payload;

    let disclosed = disclosed_claims(&payload, &disclosures)?;

    let iat = int_claim(&payload, "iat")?;
    let exp = int_claim(&payload, "exp")?;
    let nbf = match payload.get("nbf") {
        Some(_) => int_claim(&payload, "nbf")?,
        None => iat,
    };
    let not_before = iat.max(nbf);
    if not_before > now {
        return Err(CertificateError::NotYetValid { not_before, now });
    }
    if exp <= now {
        return Err(CertificateError::Expired { exp, now });
    }

    let vct = string_claim(&payload, "vct")?.to_owned();
    let holder = holder(string_claim(&payload, "sub")?, iat)?;
    let status_ref = status_ref(&payload)?;
    match status(&status_ref, &iss, jwks)? {
        Status::Valid => {}
        Status::Revoked => {
            return Err(CertificateError::Revoked {
                uri: status_ref.uri,
                idx: status_ref.idx,
            });
        }
        Status::Suspended => {
            return Err(CertificateError::Suspended {
                uri: status_ref.uri,
                idx: status_ref.idx,
            });
        }
    }

    Ok(Verified {
        issuer: iss,
        kid: jws.kid,
        vct,
        holder,
        disclosed,
        iat,
        exp,
        status_ref,
        status: Status::Valid,
    })
}

/// RFC 9901 §7.1 steps 3–4 for a flat claim set: every disclosure must hash
/// to a digest in `_sd`, no digest may be used twice, and a disclosed name
/// may not override a claim in the clear.
fn disclosed_claims(
    payload: &Map<String, Value>,
    disclosures: &[&str],
) -> Result<Map<String, Value>, CertificateError> {
    match payload.get("_sd_alg") {
        None => {}
        Some(Value::String(alg)) if alg == SD_ALG => {}
        Some(other) => {
            return Err(CertificateError::malformed(
                "payload",
                format!("_sd_alg {other} is not {SD_ALG}"),
            ));
        }
    }
    let signed: HashSet<&str> = match payload.get("_sd") {
        None => HashSet::new(),
        Some(Value::Array(items)) => {
            let mut set = HashSet::with_capacity(items.len());
            for item in items {
                let d = item.as_str().ok_or_else(|| {
                    CertificateError::malformed("payload", "_sd holds a non-string")
                })?;
                if !set.insert(d) {
                    return Err(CertificateError::malformed(
                        "payload",
                        "_sd repeats a digest",
                    ));
                }
            }
            set
        }
        Some(_) => {
            return Err(CertificateError::malformed(
                "payload",
                "_sd is not an array",
            ));
        }
    };

    let mut seen = HashSet::with_capacity(disclosures.len());
    let mut disclosed = Map::new();
    for (index, encoded) in disclosures.iter().enumerate() {
        // Hash the disclosure exactly as received, before decoding: any
        // change to salt, name or value shows up as an unknown digest.
        let d = digest(encoded);
        if !signed.contains(d.as_str()) {
            return Err(CertificateError::TamperedDisclosure { index });
        }
        if !seen.insert(d) {
            return Err(CertificateError::DuplicateDisclosure { index });
        }
        let Disclosure { name, value, .. } = Disclosure::parse(encoded)?;
        if name == "_sd" || name == "..." || payload.contains_key(&name) {
            return Err(CertificateError::malformed(
                "disclosure",
                format!("claim name {name:?} is reserved or already in the clear"),
            ));
        }
        if disclosed.insert(name, value).is_some() {
            return Err(CertificateError::DuplicateDisclosure { index });
        }
    }
    Ok(disclosed)
}

/// The status of the entry `status_ref` names, from the status list token
/// the lookup has for its URI (draft-ietf-oauth-status-list §8.3).
fn token_status(
    status_ref: &StatusRef,
    iss: &str,
    jwks: &super::jwk::Jwks,
    now: i64,
    lookup: &(impl StatusLookup + ?Sized),
) -> Result<Status, CertificateError> {
    let token = lookup.status_list_token(&status_ref.uri).ok_or_else(|| {
        CertificateError::StatusListUnavailable {
            uri: status_ref.uri.clone(),
        }
    })?;
    let token = StatusListToken::verify(&token, jwks, now)?;
    if token.sub != status_ref.uri {
        return Err(CertificateError::StatusListMismatch {
            expected: status_ref.uri.clone(),
            found: token.sub,
        });
    }
    if let Some(other) = token.iss.filter(|t| t != iss) {
        return Err(CertificateError::StatusListMismatch {
            expected: iss.to_owned(),
            found: other,
        });
    }
    token.list.get(status_ref.idx)
}

fn status_ref(payload: &Map<String, Value>) -> Result<StatusRef, CertificateError> {
    let list = payload
        .get("status")
        .and_then(|s| s.get("status_list"))
        .ok_or_else(|| CertificateError::malformed("payload", "status.status_list is missing"))?;
    let idx = list.get("idx").and_then(Value::as_u64).ok_or_else(|| {
        CertificateError::malformed("payload", "status idx is not an integer ≥ 0")
    })?;
    let uri = list
        .get("uri")
        .and_then(Value::as_str)
        .ok_or_else(|| CertificateError::malformed("payload", "status uri is missing"))?;
    Ok(StatusRef {
        uri: uri.to_owned(),
        idx,
    })
}

/// The holder from `sub`. A resident ID's birth date is judged against the
/// issue date in China Standard Time, not today, so an old certificate of a
/// valid ID stays valid.
fn holder(sub: &str, iat: i64) -> Result<Holder, CertificateError> {
    let cst = UtcOffset::from_hms(8, 0, 0)
        .map_err(|e| CertificateError::malformed("payload", e.to_string()))?;
    let issued_on = OffsetDateTime::from_unix_timestamp(iat)
        .map_err(|_| CertificateError::malformed("payload", "iat is out of range"))?
        .to_offset(cst)
        .date();
    Identifier::classify_at(sub, issued_on).1.map_err(|e| {
        CertificateError::malformed("payload", format!("sub is not a valid holder: {e}"))
    })
}

fn string_claim<'a>(
    payload: &'a Map<String, Value>,
    name: &'static str,
) -> Result<&'a str, CertificateError> {
    payload.get(name).and_then(Value::as_str).ok_or_else(|| {
        CertificateError::malformed("payload", format!("{name} is missing or not a string"))
    })
}

fn int_claim(payload: &Map<String, Value>, name: &'static str) -> Result<i64, CertificateError> {
    payload.get(name).and_then(Value::as_i64).ok_or_else(|| {
        CertificateError::malformed("payload", format!("{name} is missing or not an integer"))
    })
}
