//! The sandbox carrier, served by yici itself (`--carrier sandbox`, the
//! demo default) so that two-way delivery can be walked end to end
//! without a contract with a courier company. It behaves as one: its own
//! books (`sandbox_parcels`), a waybill per parcel, and a signed callback
//! to yici's notify URL at each step (created → picked up → in transit →
//! delivered), sent again until yici answers 2xx. An address whose street
//! line says 无法投递 or "undeliverable" cannot be served: its parcel ends
//! failed, the way a real one comes back.

use ed25519_dalek::{SigningKey, VerifyingKey};
use uuid::Uuid;
use yici_hall::{Address, ParcelState};
use yici_store::Store;
use yici_store::parcels::SandboxParcel;

use super::notice::CarrierNotice;
use crate::error::Result;

/// The sandbox's pace in `serve`: one step every 30 s (`--carrier-step-secs`).
pub const SANDBOX_STEP_MS: i64 = 30_000;

/// The sandbox carrier.
pub struct SandboxCarrier {
    key: SigningKey,
    step_ms: i64,
}

/// Whether the sandbox can serve an address.
pub fn deliverable(to: &Address) -> bool {
    let line = to.line.to_lowercase();
    !(line.contains("无法投递") || line.contains("undeliverable"))
}

impl SandboxCarrier {
    pub(super) fn new(seed: Option<[u8; 32]>, step_ms: i64) -> Self {
        let seed = seed.unwrap_or_else(|| {
            let mut s = [0u8; 32];
            // Tests only: `serve` always passes the seed from its key file.
            let _ = getrandom::fill(&mut s);
            s
        });
        SandboxCarrier {
            key: SigningKey::from_bytes(&seed),
            step_ms: step_ms.max(0),
        }
    }

    pub(super) fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// How long a step takes.
    pub fn step_ms(&self) -> i64 {
        self.step_ms
    }

    /// Signs a callback for one delivery: a new timestamp and nonce each
    /// time. Answers (timestamp, nonce, signature).
    pub fn sign(&self, body: &str, now_secs: i64) -> (i64, String, String) {
        let nonce = Uuid::new_v4().simple().to_string();
        let signature = yici_callback::sign(&self.key, now_secs, &nonce, body.as_bytes());
        (now_secs, nonce, signature)
    }

    /// The callback body of a step.
    pub fn body(waybill: &str, state: ParcelState, at_ms: i64) -> String {
        serde_json::to_string(&CarrierNotice {
            waybill: waybill.to_owned(),
            state,
            at_ms,
        })
        .unwrap_or_default()
    }

    pub(super) async fn take(&self, store: &Store, to: &Address, now_ms: i64) -> Result<String> {
        // Waybills are letters and digits, as carriers print them.
        let digits: String = Uuid::now_v7()
            .simple()
            .to_string()
            .chars()
            .rev()
            .take(14)
            .collect();
        let waybill = format!("SBX{}", digits.to_uppercase());
        store
            .sandbox_parcel_open(
                &SandboxParcel {
                    waybill: waybill.clone(),
                    state: ParcelState::Created.as_str().into(),
                    deliverable: deliverable(to),
                    next_ms: now_ms + self.step_ms,
                    attempts: 0,
                },
                now_ms,
            )
            .await?;
        Ok(waybill)
    }
}
