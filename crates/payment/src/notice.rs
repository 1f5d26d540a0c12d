//! The provider's asynchronous notification (支付结果通知) and its
//! signature.
//!
//! # Signature
//!
//! A notice is a `POST` of a JSON [`Notice`] with three headers:
//!
//! ```text
//! Yici-Pay-Timestamp: 1796630400
//! Yici-Pay-Nonce: 5K8264ILTKCH16CQ2502SI8ZNMTM67VS
//! Yici-Pay-Signature: <base64 of Ed25519(key, "1796630400\n5K82…\n" + body + "\n")>
//! ```
//!
//! This is the shape WeChat Pay API v3 and Alipay use for their callbacks
//! (a timestamp, a nonce and the exact body, one per line, signed with the
//! provider's platform key), with Ed25519 in place of RSA. The receiver
//! checks the signature over the raw bytes before parsing, refuses a
//! timestamp more than [`TOLERANCE_SECS`] from its clock, and remembers
//! the nonce so that a captured notice cannot be sent twice. A provider
//! that gets no answer sends the notice again, signed afresh; the order's
//! state machine ([`crate::order`]) makes that harmless.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The header with the seconds since the Unix epoch of signing.
pub const TIMESTAMP_HEADER: &str = "yici-pay-timestamp";
/// The header with the nonce, unique per notice sent.
pub const NONCE_HEADER: &str = "yici-pay-nonce";
/// The header with the base64 Ed25519 signature.
pub const SIGNATURE_HEADER: &str = "yici-pay-signature";
/// How far a notice's timestamp may be from the receiver's clock.
pub const TOLERANCE_SECS: i64 = 300;
/// The longest nonce accepted.
const MAX_NONCE: usize = 64;

/// Where the provider says an order is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderState {
    /// Created, not paid.
    Pending,
    /// Paid in full.
    Paid,
    /// Paid, then refunded in full.
    Refunded,
    /// Closed unpaid (expired or cancelled).
    Closed,
}

/// Where the provider says an order is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderView {
    /// Its state.
    pub state: ProviderState,
    /// The provider's transaction id.
    pub transaction: String,
    /// The amount (fen).
    pub amount_fen: u64,
    /// When paid (ms).
    pub paid_ms: Option<i64>,
}

/// What a notice says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// The merchant's (yici's) order id.
    pub order: String,
    /// The provider's transaction id.
    pub transaction: String,
    /// The order's state at the provider.
    pub state: ProviderState,
    /// The amount paid, in fen.
    pub amount_fen: u64,
    /// When it was paid (ms), if it was.
    pub paid_ms: Option<i64>,
    /// The refund's id, for a refund.
    pub refund: Option<String>,
}

/// The headers of a notice as received.
#[derive(Debug, Clone, Default)]
pub struct Signed<'a> {
    /// [`TIMESTAMP_HEADER`].
    pub timestamp: Option<&'a str>,
    /// [`NONCE_HEADER`].
    pub nonce: Option<&'a str>,
    /// [`SIGNATURE_HEADER`].
    pub signature: Option<&'a str>,
}

/// Why a notice is refused. Nothing changes for a refused notice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
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
    #[error("the signature does not match the notice")]
    BadSignature,
    /// Signed too long ago or in the future.
    #[error("signed at {timestamp}, more than {TOLERANCE_SECS} s from now ({now})")]
    Stale {
        /// The notice's.
        timestamp: i64,
        /// The receiver's.
        now: i64,
    },
    /// The body is not a notice.
    #[error("the body is not a payment notice: {0}")]
    MalformedBody(String),
}

impl NoticeError {
    /// A stable rule name for the problem document and the log.
    pub fn rule(&self) -> &'static str {
        match self {
            NoticeError::MissingHeader(_) => "missing_header",
            NoticeError::MalformedHeader { .. } => "malformed_header",
            NoticeError::BadSignature => "bad_signature",
            NoticeError::Stale { .. } => "stale_timestamp",
            NoticeError::MalformedBody(_) => "malformed_notice",
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

/// The base64 signature of a notice.
pub fn sign(key: &SigningKey, timestamp: i64, nonce: &str, body: &[u8]) -> String {
    STANDARD.encode(key.sign(&message(timestamp, nonce, body)).to_bytes())
}

fn present<'a>(v: Option<&'a str>, name: &'static str) -> Result<&'a str, NoticeError> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(NoticeError::MissingHeader(name))
}

/// Checks a received notice against the provider's key and the clock
/// (`now`, seconds) and reads it; the nonce is returned for the replay
/// check, which needs the store.
pub fn verify(
    key: &VerifyingKey,
    headers: &Signed<'_>,
    body: &[u8],
    now: i64,
) -> Result<(Notice, String), NoticeError> {
    let timestamp = present(headers.timestamp, TIMESTAMP_HEADER)?;
    let nonce = present(headers.nonce, NONCE_HEADER)?;
    let signature = present(headers.signature, SIGNATURE_HEADER)?;
    let timestamp: i64 = timestamp
        .parse()
        .map_err(|_| NoticeError::MalformedHeader {
            header: TIMESTAMP_HEADER,
            reason: "not whole seconds since 1970".into(),
        })?;
    if nonce.len() > MAX_NONCE || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(NoticeError::MalformedHeader {
            header: NONCE_HEADER,
            reason: format!("1 to {MAX_NONCE} letters and digits"),
        });
    }
    let signature = STANDARD
        .decode(signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .ok_or_else(|| NoticeError::MalformedHeader {
            header: SIGNATURE_HEADER,
            reason: "not the base64 of a 64-byte Ed25519 signature".into(),
        })?;
    key.verify(
        &message(timestamp, nonce, body),
        &Signature::from_bytes(&signature),
    )
    .map_err(|_| NoticeError::BadSignature)?;
    if (now - timestamp).abs() > TOLERANCE_SECS {
        return Err(NoticeError::Stale { timestamp, now });
    }
    let notice: Notice =
        serde_json::from_slice(body).map_err(|e| NoticeError::MalformedBody(e.to_string()))?;
    Ok((notice, nonce.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn body() -> Vec<u8> {
        serde_json::to_vec(&Notice {
            order: "o1".into(),
            transaction: "t1".into(),
            state: ProviderState::Paid,
            amount_fen: 8000,
            paid_ms: Some(1),
            refund: None,
        })
        .expect("json")
    }

    fn check(
        ts: &str,
        nonce: &str,
        sig: &str,
        body: &[u8],
        now: i64,
    ) -> Result<Notice, NoticeError> {
        let headers = Signed {
            timestamp: Some(ts),
            nonce: Some(nonce),
            signature: Some(sig),
        };
        verify(&key().verifying_key(), &headers, body, now).map(|(n, _)| n)
    }

    #[test]
    fn a_signed_notice_reads_back() {
        let sig = sign(&key(), 1000, "abc123", &body());
        let n = check("1000", "abc123", &sig, &body(), 1010).expect("valid");
        assert_eq!(n.order, "o1");
        assert_eq!(n.state, ProviderState::Paid);
    }

    #[test]
    fn a_changed_byte_a_changed_nonce_or_another_key_is_refused() {
        let sig = sign(&key(), 1000, "abc123", &body());
        let mut forged = body();
        let at = forged.len() - 2;
        forged[at] ^= 1;
        assert_eq!(
            check("1000", "abc123", &sig, &forged, 1000),
            Err(NoticeError::BadSignature)
        );
        assert_eq!(
            check("1000", "abc124", &sig, &body(), 1000),
            Err(NoticeError::BadSignature)
        );
        assert_eq!(
            check("1001", "abc123", &sig, &body(), 1000),
            Err(NoticeError::BadSignature)
        );
        let other = sign(&SigningKey::from_bytes(&[8; 32]), 1000, "abc123", &body());
        assert_eq!(
            check("1000", "abc123", &other, &body(), 1000),
            Err(NoticeError::BadSignature)
        );
    }

    #[test]
    fn stale_missing_and_malformed_headers_are_named() {
        let sig = sign(&key(), 1000, "abc123", &body());
        assert_eq!(
            check("1000", "abc123", &sig, &body(), 1000 + TOLERANCE_SECS + 1).map_err(|e| e.rule()),
            Err("stale_timestamp")
        );
        assert_eq!(
            check("1000", "", &sig, &body(), 1000),
            Err(NoticeError::MissingHeader(NONCE_HEADER))
        );
        assert_eq!(
            check("x", "abc123", &sig, &body(), 1000).map_err(|e| e.rule()),
            Err("malformed_header")
        );
        assert_eq!(
            check("1000", "a-b", &sig, &body(), 1000).map_err(|e| e.rule()),
            Err("malformed_header")
        );
        assert_eq!(
            check("1000", "abc123", "AAAA", &body(), 1000).map_err(|e| e.rule()),
            Err("malformed_header")
        );
    }
}
