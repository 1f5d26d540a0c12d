//! What a carrier's callback says and the headers it is signed under
//! (see [`yici_callback`]).

use serde::{Deserialize, Serialize};
use yici_callback::Scheme;
use yici_hall::ParcelState;

/// The header with the seconds since the Unix epoch of signing.
pub const TIMESTAMP_HEADER: &str = "yici-carrier-timestamp";
/// The header with the nonce, unique per callback sent.
pub const NONCE_HEADER: &str = "yici-carrier-nonce";
/// The header with the base64 Ed25519 signature.
pub const SIGNATURE_HEADER: &str = "yici-carrier-signature";
/// The carrier's headers.
pub const SCHEME: Scheme = Scheme {
    timestamp: TIMESTAMP_HEADER,
    nonce: NONCE_HEADER,
    signature: SIGNATURE_HEADER,
};

/// What a carrier's callback says: where a parcel is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarrierNotice {
    /// The waybill.
    pub waybill: String,
    /// Where the parcel is.
    pub state: ParcelState,
    /// When it got there (ms).
    pub at_ms: i64,
}
