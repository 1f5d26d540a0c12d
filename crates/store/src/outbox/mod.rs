//! The outbox: messages to other systems (department webhooks), written in
//! the same transaction as the change they announce and delivered later by
//! a worker, so that a message is never sent for a change that rolled back
//! nor lost for one that committed. Their writing and delivery:
//! `delivery.rs`; the admin's view of them: `entries.rs`.
//!
//! This file only declares the modules and hands on their public names;
//! none of them uses it.

mod delivery;
mod entries;

pub use delivery::OutboxMessage;
pub(crate) use delivery::insert;
pub use entries::{OutboxEntry, OutboxFilter, OutboxState, Retry};
