//! The tamper-evident ledger's pure core: an RFC 6962 / RFC 9162 Merkle log.
//!
//! Every event of yici is appended as a leaf. Anyone holding a
//! [`SignedTreeHead`] can check with an inclusion proof that an event is in
//! the log ([`verify_inclusion`], [`Receipt`]), and with a consistency proof
//! that a later head extends an earlier one ([`verify_consistency`]): no
//! event was changed or removed after the fact.
//!
//! - [`hash`]: leaf and node hashes (RFC 9162 §2.1.1).
//! - [`Log`] over a [`NodeStore`]: appends and proofs in `O(log n)` reads;
//!   [`MemoryStore`] keeps the nodes in memory. The [`store`] module docs say
//!   which nodes each append writes, for a database backend.
//! - [`CompactRange`]: the right edge of the tree, enough for the current root.
//! - [`verify_inclusion`] / [`verify_consistency`]: RFC 9162 §2.1.3.2 / §2.1.4.2.
//! - [`TreeHead`], [`SignedTreeHead`], [`LogSigner`]: Ed25519-signed heads.
//! - [`Receipt`]: leaf + proof + signed head, verified step by step.
//!
//! Nothing here does I/O, reads a clock or blocks.

pub mod compact;
pub mod error;
pub mod hash;
pub mod log;
pub mod receipt;
pub mod serde_hex;
pub mod sth;
pub mod store;
pub mod verify;

pub use compact::CompactRange;
pub use ed25519_dalek::VerifyingKey;
pub use error::{LedgerError, StoreError};
pub use hash::{EMPTY_ROOT, Hash, leaf_hash, node_hash};
pub use log::Log;
pub use receipt::{Leaf, Receipt, Trace};
pub use sth::{KeyId, LogSigner, SignedTreeHead, TreeHead, key_id};
pub use store::{MemoryStore, NodeStore};
pub use verify::{
    Side, Step, inclusion_steps, root_from_inclusion_proof, verify_consistency, verify_inclusion,
};
