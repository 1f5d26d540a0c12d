//! The store's shared vocabulary: the words its aggregates (`cases/`,
//! `exchange/`, `certificates/`, `outbox/`, `ledger/`) and its plumbing
//! (`sql/`) use to speak to each other — an idempotency key, what became of
//! a change, a side event, an event's record.
//!
//! Why a module of its own: each of these used to live in whichever file
//! used it first, so files that needed each other's words imported each
//! other in a circle. Everything depends on this module and it depends on
//! none of them (only on the error type).

mod event;

pub(crate) use event::Prepared;
pub use event::{EventRecord, canonical_json};

use yici_core::case::{CaseId, EventKind, Role};

use crate::error::StoreError;

/// An `Idempotency-Key` with a digest of the request it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    /// Whose key it is (the calling user): keys of different callers never collide.
    pub scope: String,
    /// The key, as the client sent it.
    pub key: String,
    /// Digest of the request body: the same key with another body is refused.
    pub request_hash: String,
}

/// What became of a change the writer was given.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Written.
    Written,
    /// Its idempotency key had already created this case; nothing written.
    Existing(CaseId),
    /// Refused before anything was written (stale version, key reused for
    /// another request).
    Refused(StoreError),
}

/// A side event of a case: recorded in its history without a transition.
pub struct SideEvent {
    /// What happened.
    pub kind: EventKind,
    /// Who.
    pub actor: String,
    /// In which role.
    pub role: Role,
    /// The day.
    pub on: time::Date,
    /// Details.
    pub data: serde_json::Value,
}
