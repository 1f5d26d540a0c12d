//! The carrier interface: take a parcel (a waybill back), and the key its
//! callbacks are signed with. One variant per carrier; today the sandbox
//! that yici serves itself (`--carrier sandbox`), standing in for EMS or a
//! courier company, whose variant would make the same calls over HTTPS.

use ed25519_dalek::VerifyingKey;
use yici_hall::Address;
use yici_store::Store;

use super::sandbox::SandboxCarrier;
use crate::error::Result;

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
