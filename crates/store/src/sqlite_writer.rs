//! The case writer on SQLite: one connection of its own, written through
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
use yici_core::case::CaseId;
use yici_ledger::CompactRange;

use crate::cases::{self, IdempotencyKey};
use crate::change::{self, Change};
use crate::db::Pools;
use crate::error::StoreError;
use crate::ledger;
use crate::writer::{
    Batches, Edge, Job, MAX_BATCH, Outcome, Queued, answer_of, scripted, write_and_answer,
};

/// Most batches a leader writes while holding the write pool, so that the
/// store's other writes (consents, sessions, leases) wait for no more.
const LEAD_BATCHES: usize = 8;

/// SQLite's case writer: the changes waiting, and the connection that
/// writes them.
pub(crate) struct SqliteWriter {
    waiting: std::sync::Mutex<Vec<Queued>>,
    /// Held by the leader while it writes.
    conn: Arc<Mutex<Connection>>,
    /// sqlx's write pool, whose connection a leader holds while it writes.
    pool: sqlx::AnyPool,
    edge: Edge,
}

impl std::fmt::Debug for SqliteWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteWriter").finish_non_exhaustive()
    }
}

impl SqliteWriter {
    /// Opens the writer's connection to the database file at `path`.
    pub(crate) fn open(pools: &Pools, path: &Path) -> Result<SqliteWriter, StoreError> {
        Ok(SqliteWriter {
            waiting: std::sync::Mutex::default(),
            conn: Arc::new(Mutex::new(open(path)?)),
            pool: pools.write.clone(),
            edge: Edge::default(),
        })
    }

    /// Writes `job` and waits for its outcome; hands the job back. Must be called on a tokio
    /// runtime: a leader's batches run in a task.
    pub(crate) async fn write(self: &Arc<Self>, job: Job) -> Result<(Outcome, Job), StoreError> {
        let (reply, answer) = oneshot::channel();
        // Unbounded, but each request waits for its own answer: no more
        // changes wait than requests are in flight.
        self.waiting().push(Queued { job, reply });
        self.lead();
        answer_of(answer).await
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, Vec<Queued>> {
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
    fn next_batch(&self) -> Vec<Queued> {
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
                edge: &self.edge,
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
    conn.execute_batch(&crate::db::sqlite_pragmas(true).join(";\n"))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

struct SqliteBatches<'a> {
    /// `&mut`: a connection is not `Sync`, and the batch's future must be
    /// `Send` to run in a task.
    conn: &'a mut Connection,
    /// The write pool's connection, held for the batch.
    held: &'a mut AnyConnection,
    edge: &'a Edge,
}

impl Batches for SqliteBatches<'_> {
    /// The batch in one transaction: `BEGIN` with the versions and the
    /// ledger's size, the script, `COMMIT`.
    async fn write(&mut self, jobs: &[&Job]) -> Result<Vec<Outcome>, StoreError> {
        let written = match self.fill(jobs).await {
            Ok(written) => self
                .conn
                .execute_batch("COMMIT")
                .map(|_| written)
                .map_err(StoreError::from),
            Err(e) => Err(e),
        };
        match written {
            Ok((outcomes, appended)) => {
                // Shared while the pool's connection is still held: no
                // other write (a side event's leaf) can come between the
                // commit and this.
                if let Some(appended) = appended {
                    self.edge.offer(appended);
                }
                Ok(outcomes)
            }
            Err(e) => {
                // Also when BEGIN itself failed: "no transaction" is harmless.
                self.conn.execute_batch("ROLLBACK").ok();
                Err(e)
            }
        }
    }

    async fn existing(&mut self, key: &IdempotencyKey) -> Result<Option<CaseId>, StoreError> {
        cases::idempotent_case(&mut *self.held, key).await
    }
}

impl SqliteBatches<'_> {
    async fn fill(
        &mut self,
        jobs: &[&Job],
    ) -> Result<(Vec<Outcome>, Option<CompactRange>), StoreError> {
        let changes: Vec<&Change> = jobs.iter().map(|j| &j.change).collect();
        let (mut checks, stored) = change::Checks::open_sqlite(self.conn, &changes)?;
        // On SQLite the checks follow versions in memory; the pool's
        // connection is not written through.
        let (outcomes, mut script, records) = scripted(self.held, &mut checks, jobs).await?;
        if records.is_empty() {
            script.run_sqlite(self.conn)?;
            return Ok((outcomes, None));
        }
        // A cached edge is used only if the stored size and root are its
        // own; otherwise it is read from the committed rows, which are this
        // transaction's too, as nothing is written before this point.
        let range = ledger::edge_at(self.held, &stored, || self.edge.get()).await?;
        let appended = ledger::append_to(&mut script, range, &records);
        script.run_sqlite(self.conn)?;
        Ok((outcomes, Some(appended)))
    }
}
