//! The writer: the store's tasks (PostgreSQL, `postgres_writer.rs`) or
//! leader requests (SQLite, `sqlite_writer.rs`) that write new cases and
//! case transitions in batches — group commit.
//!
//! Requests queue their changes (PostgreSQL: on a channel; SQLite: in the
//! leader's list); the writer takes every change waiting, writes them in
//! one transaction with their events and ledger leaves, commits once
//! and answers each. A change that does not apply
//! (stale version, reused idempotency key) is refused before anything of it
//! is written, so it never spoils its batch. If the batch fails for another
//! reason it is rolled back and its changes are written one by one, so that
//! each gets its own answer and nothing is half-written.
//!
//! Why: every statement costs a round trip, and on PostgreSQL the ledger
//! lock is held until the commit is flushed, so writing cases one per
//! transaction serialized every commit of the system behind that lock.
//! Batching turns ~20 statements and one commit a change into a few
//! statements a change and one commit a batch.
//!
//! The writer is SQL plumbing: it writes jobs of any kind that implements
//! [`Batch`] (`batch.rs`); the cases' jobs (`cases/job.rs`) turn their
//! changes into rows.

use std::path::Path;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use crate::error::StoreError;
use crate::sql::backend::Pools;
use crate::sql::batch::{Batch, Queued, answer_of};
use crate::sql::postgres_writer;
use crate::sql::sqlite_writer::SqliteWriter;
use crate::vocabulary::Outcome;

/// The handle to a store's writer of jobs `J`.
pub(crate) enum Writer<J: Batch> {
    /// SQLite's: written by a leader request (`sqlite_writer.rs`).
    Sqlite(Arc<SqliteWriter<J>>),
    /// PostgreSQL's: a queue to the writer tasks.
    Postgres(mpsc::Sender<Queued<J>>),
}

impl<J: Batch> Clone for Writer<J> {
    fn clone(&self) -> Self {
        match self {
            Writer::Sqlite(writer) => Writer::Sqlite(writer.clone()),
            Writer::Postgres(queue) => Writer::Postgres(queue.clone()),
        }
    }
}

impl<J: Batch> std::fmt::Debug for Writer<J> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Writer::Sqlite(writer) => f.debug_tuple("Sqlite").field(writer).finish(),
            Writer::Postgres(_) => f.debug_tuple("Postgres").finish_non_exhaustive(),
        }
    }
}

impl<J: Batch> Writer<J> {
    /// SQLite's writer, on its own connection to the database file `file`;
    /// SQLite has one writer anyway.
    pub(crate) fn sqlite(pools: &Pools, file: &Path) -> Result<Writer<J>, StoreError> {
        Ok(Writer::Sqlite(Arc::new(SqliteWriter::open(pools, file)?)))
    }

    /// Starts PostgreSQL's writer tasks on the current tokio runtime:
    /// several, so that one batch's statements travel while another waits
    /// for its commit (the ledger lock still orders their leaves).
    pub(crate) fn postgres(pools: &Pools) -> Writer<J> {
        Writer::Postgres(postgres_writer::spawn(pools))
    }

    /// Writes `job` and waits for its outcome; hands the job back.
    pub(crate) async fn write(&self, job: J) -> Result<(Outcome, J), StoreError> {
        match self {
            Writer::Sqlite(writer) => writer.write(job).await,
            Writer::Postgres(queue) => {
                let (reply, answer) = oneshot::channel();
                queue
                    .send(Queued { job, reply })
                    .await
                    .map_err(|_| StoreError::WriterGone)?;
                answer_of(answer).await
            }
        }
    }
}
