//! The case writer on SQLite: a thread of its own with its own connection.
//!
//! Why: through sqlx every statement of a batch was a hand-off to the
//! driver's SQLite thread and back, and the batch's script a new text for
//! SQLite to parse each time; measured under the case load, the driver's
//! thread was a third of the server's CPU. Here the thread that gathers a
//! batch also runs its statements, each prepared once and kept, so a batch
//! costs one wake-up of this thread and SQLite's own work.
//!
//! SQLite allows one writer at a time, and the rest of the store writes
//! through sqlx's one-connection write pool. So the writer holds that
//! pool's connection for as long as it writes a batch: the two never write
//! at once, and a deferred transaction of the pool never finds its snapshot
//! overtaken. While it holds it, the pool's connection also serves the
//! batch's rare reads of committed rows (the ledger's edge after another
//! write appended to it, an idempotency key after a failure).

use std::path::Path;
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags};
use sqlx::AnyConnection;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use yici_core::case::CaseId;
use yici_ledger::CompactRange;

use crate::cases::{self, IdempotencyKey};
use crate::change::{self, Change};
use crate::db::Pools;
use crate::error::StoreError;
use crate::ledger;
use crate::writer::{Batches, Edge, Job, MAX_BATCH, Outcome, Queued, scripted, write_and_answer};

/// Opens the writer's connection to the database file at `path` and
/// starts the writer thread, which takes changes from `queue` until every
/// sender is gone. Must be called on a tokio runtime, which the thread
/// uses for the pool's connection.
pub(crate) fn spawn(
    pools: &Pools,
    path: &Path,
    queue: mpsc::Receiver<Queued>,
    edge: Arc<Edge>,
) -> Result<(), StoreError> {
    let conn = open(path)?;
    let handle = Handle::current();
    let write = pools.write.clone();
    std::thread::Builder::new()
        .name("yici-sqlite-writer".into())
        .spawn(move || run(&handle, &write, &conn, queue, &edge))
        .map_err(|e| StoreError::Corrupt(format!("cannot start the SQLite writer: {e}")))?;
    Ok(())
}

fn open(path: &Path) -> Result<Connection, StoreError> {
    // NO_MUTEX: the connection never leaves the writer thread.
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The same settings as sqlx's write connection.
    conn.execute_batch(&crate::db::sqlite_pragmas(true).join(";\n"))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn run(
    handle: &Handle,
    write: &sqlx::AnyPool,
    conn: &Connection,
    mut queue: mpsc::Receiver<Queued>,
    edge: &Edge,
) {
    while let Some(batch) = next_batch(&mut queue) {
        handle.block_on(async {
            match write.acquire().await {
                Ok(mut held) => {
                    let mut batches = SqliteBatches {
                        conn,
                        held: &mut held,
                        edge,
                    };
                    write_and_answer(&mut batches, batch).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "the SQLite writer cannot hold the write pool");
                    for q in batch {
                        let _ = q.reply.send(Err(StoreError::WriterGone));
                    }
                }
            }
        });
    }
}

/// Waits for a change and takes every other one queued, up to a batch;
/// `None` once the store is gone.
fn next_batch(queue: &mut mpsc::Receiver<Queued>) -> Option<Vec<Queued>> {
    let mut batch = vec![queue.blocking_recv()?];
    while batch.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(next) => batch.push(next),
            Err(_) => break,
        }
    }
    Some(batch)
}

struct SqliteBatches<'a> {
    conn: &'a Connection,
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
