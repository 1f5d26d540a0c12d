//! The provider's asynchronous notification (支付结果通知) and its
//! signature: a signed callback ([`yici_callback`]) under the
//! `yici-pay-*` headers, whose body is a [`Notice`]. A provider that gets
//! no answer sends the notice again, signed afresh; the order's state
//! machine ([`crate::order`]) makes that harmless.

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
pub use yici_callback::{CallbackError as NoticeError, Scheme, Signed, TOLERANCE_SECS};

/// The header with the seconds since the Unix epoch of signing.
pub const TIMESTAMP_HEADER: &str = "yici-pay-timestamp";
/// The header with the nonce, unique per notice sent.
pub const NONCE_HEADER: &str = "yici-pay-nonce";
/// The header with the base64 Ed25519 signature.
pub const SIGNATURE_HEADER: &str = "yici-pay-signature";
/// The payment provider's headers.
pub const SCHEME: Scheme = Scheme {
    timestamp: TIMESTAMP_HEADER,
    nonce: NONCE_HEADER,
    signature: SIGNATURE_HEADER,
};

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

/// The base64 signature of a notice.
pub fn sign(key: &SigningKey, timestamp: i64, nonce: &str, body: &[u8]) -> String {
    yici_callback::sign(key, timestamp, nonce, body)
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
    let nonce = yici_callback::verify(key, &SCHEME, headers, body, now)?;
    let notice: Notice =
        serde_json::from_slice(body).map_err(|e| NoticeError::MalformedBody(e.to_string()))?;
    Ok((notice, nonce))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn signed<'a>(ts: &'a str, nonce: &'a str, sig: &'a str) -> Signed<'a> {
        Signed {
            timestamp: Some(ts),
            nonce: Some(nonce),
            signature: Some(sig),
        }
    }

    #[test]
    fn a_signed_notice_reads_back_and_a_forged_one_does_not() {
        let body = serde_json::to_vec(&Notice {
            order: "o1".into(),
            transaction: "t1".into(),
            state: ProviderState::Paid,
            amount_fen: 8000,
            paid_ms: Some(1),
            refund: None,
        })
        .expect("json");
        let sig = sign(&key(), 1000, "abc123", &body);
        let vk = key().verifying_key();
        let (n, nonce) = verify(&vk, &signed("1000", "abc123", &sig), &body, 1010).expect("valid");
        assert_eq!(
            (n.order.as_str(), n.state, nonce.as_str()),
            ("o1", ProviderState::Paid, "abc123")
        );
        let mut forged = body.clone();
        forged[10] ^= 1;
        assert_eq!(
            verify(&vk, &signed("1000", "abc123", &sig), &forged, 1010),
            Err(NoticeError::BadSignature)
        );
        let e = verify(&vk, &signed("1000", "abc123", &sig), &body, 2000).unwrap_err();
        assert_eq!(
            (e.rule(), e.field(&SCHEME)),
            ("stale_timestamp", SIGNATURE_HEADER)
        );
    }

    #[test]
    fn a_signed_body_that_is_not_a_notice_is_named() {
        let sig = sign(&key(), 1000, "abc123", b"{\"order\":1}");
        let e = verify(
            &key().verifying_key(),
            &signed("1000", "abc123", &sig),
            b"{\"order\":1}",
            1000,
        )
        .unwrap_err();
        assert_eq!((e.rule(), e.field(&SCHEME)), ("malformed_notice", "body"));
    }
}
