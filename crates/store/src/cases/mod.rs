//! Cases, their tasks and their events: the store's largest aggregate.
//!
//! A case is written through the writer (`sql/writer.rs`) as a job of its
//! own kind (`job.rs`): the request makes the change and its rows' parts
//! beside itself (`write.rs`, `change.rs`, `rows.rs`), the writer checks
//! each change in its batch (`apply.rs`) and writes them all in one
//! transaction. Reads (`read.rs`, `lists.rs`) take the hot path on SQLite;
//! a case read at a version this process knows comes from memory
//! (`cache.rs`); the deadline worker leases cases (`lease.rs`).
//!
//! This file only declares the modules and hands on their public names;
//! none of them uses it.

mod apply;
pub(crate) mod cache;
mod change;
pub(crate) mod job;
mod lease;
mod lists;
mod read;
mod rows;
mod write;

pub use lists::{CaseFilter, TaskFilter, TaskRow};
pub use read::{StoredCase, StoredEvent};
pub use write::Inserted;
