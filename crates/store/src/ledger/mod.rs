//! The ledger's storage: leaves, perfect-subtree nodes and signed tree
//! heads, appended in the same transaction as the events they record
//! (`append.rs`, `history.rs`), read back for proofs (`tree.rs`) and
//! recomputed from the events by the audit (`audit.rs`). What an event's
//! leaf is: the vocabulary's [`EventRecord`].
//!
//! This file only declares the ledger's modules and hands on its public
//! names; none of them uses it.

pub(crate) mod append;
pub(crate) mod audit;
pub(crate) mod history;
mod nodes;
mod tree;

pub use crate::vocabulary::{EventRecord, canonical_json};
pub use nodes::leaf_end;
