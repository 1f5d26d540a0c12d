//! Signed asynchronous callbacks, the way payment companies and carriers
//! call a merchant back: a `POST` of a body with three headers, a
//! timestamp, a nonce and a signature over both and the exact body:
//!
//! ```text
//! <prefix>-timestamp: 1796630400
//! <prefix>-nonce: 5K8264ILTKCH16CQ2502SI8ZNMTM67VS
//! <prefix>-signature: <base64 of Ed25519(key, "1796630400\n5K82…\n" + body + "\n")>
//! ```
//!
//! This is the shape WeChat Pay API v3 and Alipay use (with RSA where this
//! uses Ed25519). The receiver checks the signature over the raw bytes
//! before reading them, refuses a timestamp more than [`TOLERANCE_SECS`]
//! from its clock and remembers the nonce so that a captured callback
//! cannot be sent twice (the nonce store is the caller's). Each provider
//! names its headers with a [`Scheme`].

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

/// How far a callback's timestamp may be from the receiver's clock.
pub const TOLERANCE_SECS: i64 = 300;
/// The longest nonce accepted.
const MAX_NONCE: usize = 64;

/// The names of one provider's three headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// Seconds since the Unix epoch of signing.
    pub timestamp: &'static str,
    /// Unique per callback sent.
    pub nonce: &'static str,
    /// The base64 Ed25519 signature.
    pub signature: &'static str,
}

/// The headers of a callback as received.
#[derive(Debug, Clone, Default)]
pub struct Signed<'a> {
    /// The timestamp header's value.
    pub timestamp: Option<&'a str>,
    /// The nonce header's value.
    pub nonce: Option<&'a str>,
    /// The signature header's value.
    pub signature: Option<&'a str>,
}

/// Why a callback is refused. Nothing changes for a refused callback.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// A header is missing or empty.
    #[error("the {0} header is missing")]
    MissingHeader(&'static str),
    /// A header is not what it should be.
    #[error("the {header} header is malformed: {reason}")]
    MalformedHeader {
        /// Which.
        header: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The signature does not match the body under the provider's key.
    #[error("the signature does not match the body")]
    BadSignature,
    /// Signed too long ago or in the future.
    #[error("signed at {timestamp}, more than {TOLERANCE_SECS} s from now ({now})")]
    Stale {
        /// The callback's.
        timestamp: i64,
        /// The receiver's.
        now: i64,
    },
    /// The body, though signed, is not what the provider sends.
    #[error("the body is not a notice: {0}")]
    MalformedBody(String),
}

impl CallbackError {
    /// A stable rule name for the problem document and the log.
    pub fn rule(&self) -> &'static str {
        match self {
            CallbackError::MissingHeader(_) => "missing_header",
            CallbackError::MalformedHeader { .. } => "malformed_header",
            CallbackError::BadSignature => "bad_signature",
            CallbackError::Stale { .. } => "stale_timestamp",
            CallbackError::MalformedBody(_) => "malformed_notice",
        }
    }

    /// The header (or `body`) the problem is in, for the problem document.
    pub fn field(&self, scheme: &Scheme) -> &'static str {
        match self {
            CallbackError::MissingHeader(h) | CallbackError::MalformedHeader { header: h, .. } => h,
            CallbackError::BadSignature | CallbackError::Stale { .. } => scheme.signature,
            CallbackError::MalformedBody(_) => "body",
        }
    }
}

/// The bytes signed: `timestamp\nnonce\nbody\n`.
pub fn message(timestamp: i64, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!("{timestamp}\n{nonce}\n").into_bytes();
    m.extend_from_slice(body);
    m.push(b'\n');
    m
}

/// The base64 signature of a callback.
pub fn sign(key: &SigningKey, timestamp: i64, nonce: &str, body: &[u8]) -> String {
    STANDARD.encode(key.sign(&message(timestamp, nonce, body)).to_bytes())
}

fn present<'a>(v: Option<&'a str>, name: &'static str) -> Result<&'a str, CallbackError> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(CallbackError::MissingHeader(name))
}

/// Checks a received callback's headers against the provider's key and
/// the clock (`now`, seconds); its nonce, for the replay check, which
/// needs the store. The body is the caller's to read afterwards.
pub fn verify(
    key: &VerifyingKey,
    scheme: &Scheme,
    headers: &Signed<'_>,
    body: &[u8],
    now: i64,
) -> Result<String, CallbackError> {
    let timestamp = present(headers.timestamp, scheme.timestamp)?;
    let nonce = present(headers.nonce, scheme.nonce)?;
    let signature = present(headers.signature, scheme.signature)?;
    let timestamp: i64 = timestamp
        .parse()
        .map_err(|_| CallbackError::MalformedHeader {
            header: scheme.timestamp,
            reason: "not whole seconds since 1970".into(),
        })?;
    if nonce.len() > MAX_NONCE || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(CallbackError::MalformedHeader {
            header: scheme.nonce,
            reason: format!("1 to {MAX_NONCE} letters and digits"),
        });
    }
    let signature = STANDARD
        .decode(signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .ok_or_else(|| CallbackError::MalformedHeader {
            header: scheme.signature,
            reason: "not the base64 of a 64-byte Ed25519 signature".into(),
        })?;
    key.verify(
        &message(timestamp, nonce, body),
        &Signature::from_bytes(&signature),
    )
    .map_err(|_| CallbackError::BadSignature)?;
    if (now - timestamp).abs() > TOLERANCE_SECS {
        return Err(CallbackError::Stale { timestamp, now });
    }
    Ok(nonce.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEME: Scheme = Scheme {
        timestamp: "t-ts",
        nonce: "t-nonce",
        signature: "t-sig",
    };

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn check(
        ts: &str,
        nonce: &str,
        sig: &str,
        body: &[u8],
        now: i64,
    ) -> Result<String, CallbackError> {
        let headers = Signed {
            timestamp: Some(ts),
            nonce: Some(nonce),
            signature: Some(sig),
        };
        verify(&key().verifying_key(), &SCHEME, &headers, body, now)
    }

    #[test]
    fn a_signed_callback_gives_its_nonce() {
        let sig = sign(&key(), 1000, "abc123", b"{}");
        assert_eq!(
            check("1000", "abc123", &sig, b"{}", 1010),
            Ok("abc123".into())
        );
    }

    #[test]
    fn a_changed_byte_nonce_timestamp_or_key_is_refused() {
        let sig = sign(&key(), 1000, "abc123", b"{\"a\":1}");
        assert_eq!(
            check("1000", "abc123", &sig, b"{\"a\":2}", 1000),
            Err(CallbackError::BadSignature)
        );
        assert_eq!(
            check("1000", "abc124", &sig, b"{\"a\":1}", 1000),
            Err(CallbackError::BadSignature)
        );
        assert_eq!(
            check("1001", "abc123", &sig, b"{\"a\":1}", 1000),
            Err(CallbackError::BadSignature)
        );
        let other = sign(
            &SigningKey::from_bytes(&[8; 32]),
            1000,
            "abc123",
            b"{\"a\":1}",
        );
        assert_eq!(
            check("1000", "abc123", &other, b"{\"a\":1}", 1000),
            Err(CallbackError::BadSignature)
        );
    }

    #[test]
    fn stale_missing_and_malformed_headers_are_named() {
        let sig = sign(&key(), 1000, "abc123", b"{}");
        let stale = check("1000", "abc123", &sig, b"{}", 1000 + TOLERANCE_SECS + 1).unwrap_err();
        assert_eq!(
            (stale.rule(), stale.field(&SCHEME)),
            ("stale_timestamp", "t-sig")
        );
        assert_eq!(
            check("1000", "", &sig, b"{}", 1000),
            Err(CallbackError::MissingHeader("t-nonce"))
        );
        let e = check("x", "abc123", &sig, b"{}", 1000).unwrap_err();
        assert_eq!((e.rule(), e.field(&SCHEME)), ("malformed_header", "t-ts"));
        let e = check("1000", "a-b", &sig, b"{}", 1000).unwrap_err();
        assert_eq!(
            (e.rule(), e.field(&SCHEME)),
            ("malformed_header", "t-nonce")
        );
        let e = check("1000", "abc123", "AAAA", b"{}", 1000).unwrap_err();
        assert_eq!((e.rule(), e.field(&SCHEME)), ("malformed_header", "t-sig"));
    }
}
