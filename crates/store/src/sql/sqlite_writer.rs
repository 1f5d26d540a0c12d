//! The writer on SQLite: one connection of its own, written through
//! by whichever request finds it free — a leader takes the batch.
//!
//! Why: through sqlx every statement of a batch was a hand-off to the
//! driver's SQLite thread and back, and the batch's script a new text for
//! SQLite to parse each time; measured under the case load, the driver's
//! thread was a third of the server's CPU. A writer thread of its own
//! removed that, but still cost a wake-up of that thread, and
//! a wait for the CPU, on every batch: measured with `perf sched`, the
//! thread waited runnable for 15 % of the run while every queued request
//! waited on it. So a change is queued, and the request that finds the
//! connection free writes what is queued itself, on its own tokio worker,
//! in a task of its own (so that a request dropped half-way never leaves a
//! batch half-written), batch after batch until the queue is empty. The
//! statements come from the connection's cache of prepared statements, so
//! a batch costs SQLite's own work.
//!
//! SQLite allows one writer at a time, and the rest of the store writes
//! through sqlx's one-connection write pool. So the leader holds that
//! pool's connection while it writes its batches: the two never write
//! at once, and a deferred transaction of the pool never finds its snapshot
//! overtaken. While it holds it, the pool's connection also serves the
//! batch's rare reads of committed rows (the ledger's edge after another
//! write appended to it, an idempotency key after a failure).

use std::path::Path;
use std::sync::{Arc, PoisonError};

use rusqlite::{Connection, OpenFlags};
use sqlx::AnyConnection;
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

use crate::error::StoreError;
use crate::sql::backend::Pools;
use crate::sql::batch::{Batch, Batches, MAX_BATCH, Queued, answer_of, write_and_answer};
use crate::vocabulary::Outcome;

/// Most batches a leader writes while holding the write pool, so that the
/// store's other writes (consents, sessions, leases) wait for no more.
const LEAD_BATCHES: usize = 8;

/// SQLite's writer: the jobs waiting, and the connection that writes them.
pub(crate) struct SqliteWriter<J: Batch> {
    waiting: std::sync::Mutex<Vec<Queued<J>>>,
    /// Held by the leader while it writes.
    conn: Arc<Mutex<Connection>>,
    /// sqlx's write pool, whose connection a leader holds while it writes.
    pool: sqlx::AnyPool,
    /// What the jobs keep from one batch to the next.
    kept: J::Kept,
}

impl<J: Batch> std::fmt::Debug for SqliteWriter<J> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteWriter").finish_non_exhaustive()
    }
}

impl<J: Batch> SqliteWriter<J> {
    /// Opens the writer's connection to the database file at `path`.
    pub(crate) fn open(pools: &Pools, path: &Path) -> Result<SqliteWriter<J>, StoreError> {
        Ok(SqliteWriter {
            waiting: std::sync::Mutex::default(),
            conn: Arc::new(Mutex::new(open(path)?)),
            pool: pools.write.clone(),
            kept: J::Kept::default(),
        })
    }

    /// Writes `job` and waits for its outcome; hands the job back. Must be called on a tokio
    /// runtime: a leader's batches run in a task.
    pub(crate) async fn write(self: &Arc<Self>, job: J) -> Result<(Outcome, J), StoreError> {
        let (reply, answer) = oneshot::channel();
        // Unbounded, but each request waits for its own answer: no more
        // changes wait than requests are in flight.
        self.waiting().push(Queued { job, reply });
        self.lead();
        answer_of(answer).await
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, Vec<Queued<J>>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts writing what waits unless a leader already does; that
    /// leader takes it with its next batch.
    fn lead(self: &Arc<Self>) {
        if let Ok(conn) = self.conn.clone().try_lock_owned() {
            tokio::spawn(self.clone().run(conn));
        }
    }

    /// Writes batches until none waits, then lets the connection go.
    async fn run(self: Arc<Self>, conn: OwnedMutexGuard<Connection>) {
        // The requests ready on this worker run first and queue their
        // changes, so the first batch takes them too: measured under the
        // case load, 4.7 changes a commit instead of 3.0.
        tokio::task::yield_now().await;
        let mut leading = Some(conn);
        while let Some(mut conn) = leading.take() {
            self.write_waiting(&mut conn).await;
            drop(conn);
            // A change queued after the last batch was taken, while this
            // still held the connection, found it busy: take it too.
            if !self.waiting().is_empty() {
                leading = self.conn.clone().try_lock_owned().ok();
            }
        }
    }

    /// Takes the changes waiting, oldest first, up to a batch.
    fn next_batch(&self) -> Vec<Queued<J>> {
        let mut waiting = self.waiting();
        let n = waiting.len().min(MAX_BATCH);
        waiting.drain(..n).collect()
    }

    /// Writes batches while changes wait, up to [`LEAD_BATCHES`], holding
    /// the write pool's connection for all of them: sqlx tests a
    /// connection on its way back to the pool (a round trip to its SQLite
    /// thread), and the next batch could not start before that ended.
    async fn write_waiting(&self, conn: &mut Connection) {
        let mut held = match self.pool.acquire().await {
            Ok(held) => held,
            Err(e) => {
                tracing::error!(error = %e, "the SQLite writer cannot hold the write pool");
                for q in self.next_batch() {
                    q.answer(Err(StoreError::WriterGone));
                }
                return;
            }
        };
        for _ in 0..LEAD_BATCHES {
            let batch = self.next_batch();
            if batch.is_empty() {
                return;
            }
            let mut batches = SqliteBatches {
                conn: &mut *conn,
                held: &mut held,
                kept: &self.kept,
            };
            write_and_answer(&mut batches, batch).await;
        }
    }
}

fn open(path: &Path) -> Result<Connection, StoreError> {
    // NO_MUTEX: the connection is used by one leader at a time, behind
    // the writer's lock.
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The same settings as sqlx's write connection.
    conn.execute_batch(&crate::sql::pragmas::sqlite_pragmas(true).join(";\n"))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

struct SqliteBatches<'a, J: Batch> {
    /// `&mut`: a connection is not `Sync`, and the batch's future must be
    /// `Send` to run in a task.
    conn: &'a mut Connection,
    /// The write pool's connection, held for the batch.
    held: &'a mut AnyConnection,
    kept: &'a J::Kept,
}

impl<J: Batch> Batches<J> for SqliteBatches<'_, J> {
    /// The batch in one transaction: `BEGIN` with the versions and the
    /// ledger's size, the script, `COMMIT`.
    async fn write(&mut self, jobs: &[&J]) -> Result<Vec<Outcome>, StoreError> {
        let written = match self.fill(jobs).await {
            Ok(written) => self
                .conn
                .execute_batch("COMMIT")
                .map(|_| written)
                .map_err(StoreError::from),
            Err(e) => Err(e),
        };
        match written {
            Ok((outcomes, committed)) => {
                // Kept while the pool's connection is still held: no
                // other write (a side event's leaf) can come between the
                // commit and this.
                J::committed(self.kept, committed);
                Ok(outcomes)
            }
            Err(e) => {
                // Also when BEGIN itself failed: "no transaction" is harmless.
                self.conn.execute_batch("ROLLBACK").ok();
                Err(e)
            }
        }
    }

    async fn after_failure(&mut self, job: &J, e: StoreError) -> Result<Outcome, StoreError> {
        job.after_failure(&mut *self.held, e).await
    }
}

impl<J: Batch> SqliteBatches<'_, J> {
    /// `BEGIN IMMEDIATE`, then the jobs' checks and rows.
    async fn fill(&mut self, jobs: &[&J]) -> Result<(Vec<Outcome>, J::Committed), StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        J::write_sqlite(self.conn, self.held, self.kept, jobs).await
    }
}
