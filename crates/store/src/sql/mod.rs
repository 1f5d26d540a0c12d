//! The SQL plumbing: everything that reaches the database and knows no
//! aggregate — which backend and its pools (`backend.rs`), connecting and
//! migrating (`connect.rs`, `migrations.rs`), SQLite's settings and WAL
//! checkpoints (`pragmas.rs`, `checkpoint.rs`), a batch's writes as a
//! script of rows of values (`script.rs`, `value.rs`), reading rows of
//! either driver (`rows.rs`, `sqlite_reads.rs`), `WHERE` clauses and pages
//! (`filter.rs`), and the writer that commits jobs in batches (`writer.rs`,
//! `batch.rs`, `sqlite_writer.rs`, `postgres_writer.rs`).
//!
//! The aggregates (`cases/`, `exchange/`, `certificates/`, `outbox/`,
//! `ledger/`) use it; it uses none of them. The writer writes whatever
//! implements [`batch::Batch`]; the cases hand it their jobs.
//!
//! This file only declares the modules; none of them uses it.

pub(crate) mod backend;
pub(crate) mod batch;
pub(crate) mod checkpoint;
pub(crate) mod connect;
pub(crate) mod filter;
pub(crate) mod migrations;
pub(crate) mod postgres_writer;
pub(crate) mod pragmas;
pub(crate) mod rows;
pub(crate) mod script;
pub(crate) mod sqlite_reads;
pub(crate) mod sqlite_writer;
pub(crate) mod value;
pub(crate) mod writer;
