//! The carrier interface: take a parcel (a waybill back), and the key its
//! callbacks are signed with. One variant per carrier; today the sandbox
//! that yici serves itself (`--carrier sandbox`), standing in for EMS or a
//! courier company, whose variant would make the same calls over HTTPS.

use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use yici_callback::Scheme;
use yici_hall::{Address, ParcelState};
use yici_store::Store;

use super::sandbox::SandboxCarrier;
use crate::error::Result;

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

/// The configured carrier.
pub enum Carrier {
    /// The sandbox served by yici itself (`--carrier sandbox`).
    Sandbox(SandboxCarrier),
}

impl std::fmt::Debug for Carrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Carrier {
    /// The sandbox, signing with the key made from `seed` (random when
    /// `None`: tests) and taking a step every `step_ms`.
    pub fn sandbox(seed: Option<[u8; 32]>, step_ms: i64) -> Self {
        Carrier::Sandbox(SandboxCarrier::new(seed, step_ms))
    }

    /// Its name, as parcels record it.
    pub fn name(&self) -> &'static str {
        match self {
            Carrier::Sandbox(_) => "sandbox",
        }
    }

    /// The key its callbacks are signed with.
    pub fn verifying_key(&self) -> VerifyingKey {
        match self {
            Carrier::Sandbox(s) => s.verifying_key(),
        }
    }

    /// Hands a parcel for `to` to the carrier; its waybill.
    pub(crate) async fn take(&self, store: &Store, to: &Address, now_ms: i64) -> Result<String> {
        match self {
            Carrier::Sandbox(s) => s.take(store, to, now_ms).await,
        }
    }
}
