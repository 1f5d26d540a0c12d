//! The case writer: tasks of the store that write new cases and case
//! transitions in batches — group commit.
//!
//! Requests queue on a channel; the writer takes every change waiting, writes
//! them in one transaction with their events and ledger leaves as multi-row
//! statements, commits once and answers each. A change that does not apply
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

use std::sync::Arc;

use sqlx::AnyConnection;
use sqlx::Executor;
use tokio::sync::{Mutex, mpsc, oneshot};
use yici_core::case::CaseId;
use yici_ledger::CompactRange;

use crate::cases::{self, IdempotencyKey};
use crate::change::{self, Change};
use crate::db::{Backend, Pools};
use crate::error::{StoreError, is_unique_violation};
use crate::ledger::{self, Prepared};
use crate::script::Script;

/// Most changes in one transaction.
const MAX_BATCH: usize = 64;

/// Writer tasks on PostgreSQL.
const POSTGRES_WRITERS: usize = 4;

/// What became of a change.
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

/// A change with its events, waiting for the writer.
pub(crate) struct Job {
    /// The change.
    pub change: Change,
    /// Its events, in order, prepared for the ledger.
    pub events: Vec<Prepared>,
    /// When it was requested (ms): the events' time.
    pub at_ms: i64,
}

struct Queued {
    job: Job,
    reply: oneshot::Sender<Result<Outcome, StoreError>>,
}

/// The handle to a store's writer task.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    queue: mpsc::Sender<Queued>,
}

impl Writer {
    /// Starts the writer tasks on the current tokio runtime: one on SQLite,
    /// which has one writer anyway; several on PostgreSQL, so that one
    /// batch's statements travel while another waits for its commit (the
    /// ledger lock still orders their leaves).
    pub(crate) fn spawn(pools: Pools) -> Writer {
        let (queue, rx) = mpsc::channel(4 * MAX_BATCH);
        let rx = Arc::new(Mutex::new(rx));
        let writers = match pools.backend {
            Backend::Sqlite => 1,
            Backend::Postgres => POSTGRES_WRITERS,
        };
        let edge = Arc::new(Edge::default());
        for _ in 0..writers {
            tokio::spawn(run(pools.clone(), rx.clone(), edge.clone()));
        }
        Writer { queue }
    }

    /// Writes `job` and waits for its outcome.
    pub(crate) async fn write(&self, job: Job) -> Result<Outcome, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Queued { job, reply })
            .await
            .map_err(|_| StoreError::WriterGone)?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }
}

/// The ledger's right edge after the newest append of this process's
/// writers, shared so that a writer whose batch follows another's need not
/// read the edge back from the database. Each writer shares its edge while
/// it still holds the log (SQLite: the write connection; PostgreSQL: the
/// ledger row's lock), so the one kept is always the newest; and
/// `ledger::edge_at` uses it only if the stored size and root are its own.
#[derive(Debug, Default)]
struct Edge(std::sync::Mutex<Option<CompactRange>>);

impl Edge {
    fn get(&self) -> Option<CompactRange> {
        self.0.lock().ok().and_then(|e| e.clone())
    }

    /// Keeps `appended`, the newest edge.
    fn offer(&self, appended: CompactRange) {
        if let Ok(mut e) = self.0.lock() {
            *e = Some(appended);
        }
    }
}

async fn run(pools: Pools, rx: Arc<Mutex<mpsc::Receiver<Queued>>>, edge: Arc<Edge>) {
    while let Some(batch) = next_batch(&rx).await {
        write_and_answer(&pools, &edge, batch).await;
    }
}

/// Takes everything queued, up to a batch; `None` once the store is gone.
async fn next_batch(rx: &Mutex<mpsc::Receiver<Queued>>) -> Option<Vec<Queued>> {
    let mut rx = rx.lock().await;
    let mut batch = vec![rx.recv().await?];
    while batch.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(next) => batch.push(next),
            Err(_) => break,
        }
    }
    Some(batch)
}

async fn write_and_answer(pools: &Pools, edge: &Edge, mut batch: Vec<Queued>) {
    let jobs: Vec<&Job> = batch.iter().map(|q| &q.job).collect();
    let started = std::time::Instant::now();
    match write_batch(pools, edge, &jobs).await {
        Ok(outcomes) => {
            tracing::debug!(
                changes = batch.len(),
                elapsed_us = started.elapsed().as_micros() as u64,
                "batch written"
            );
            for (q, outcome) in batch.into_iter().zip(outcomes) {
                let _ = q.reply.send(Ok(outcome));
            }
        }
        Err(e) if batch.len() == 1 => {
            let answer = after_failure(pools, batch[0].job.change.idempotency(), e).await;
            if let Some(q) = batch.pop() {
                let _ = q.reply.send(answer);
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, size = batch.len(), "write batch failed; writing its changes one by one");
            for q in batch {
                let answer = match write_batch(pools, edge, &[&q.job]).await {
                    Ok(mut outcomes) => outcomes.pop().ok_or(StoreError::WriterGone),
                    Err(e) => after_failure(pools, q.job.change.idempotency(), e).await,
                };
                let _ = q.reply.send(answer);
            }
        }
    }
}

/// The answer to a change whose transaction failed: a new case whose
/// idempotency key another server used at the same moment is that server's
/// case; anything else is the error.
async fn after_failure(
    pools: &Pools,
    key: Option<&IdempotencyKey>,
    e: StoreError,
) -> Result<Outcome, StoreError> {
    if let (StoreError::Database(db), Some(key)) = (&e, key)
        && is_unique_violation(db)
    {
        return match cases::idempotent_case(&pools.write, key).await? {
            Some(existing) => Ok(Outcome::Existing(existing)),
            None => Err(e),
        };
    }
    Err(e)
}

async fn write_batch(
    pools: &Pools,
    edge: &Edge,
    jobs: &[&Job],
) -> Result<Vec<Outcome>, StoreError> {
    match pools.backend {
        Backend::Sqlite => write_batch_sqlite(pools, edge, jobs).await,
        Backend::Postgres => write_batch_postgres(pools, edge, jobs).await,
    }
}

/// SQLite: the batch in three trips to the driver's thread — `BEGIN` with
/// the versions and the ledger's size, the script, `COMMIT` — on the one
/// write connection, held from the first to the last.
async fn write_batch_sqlite(
    pools: &Pools,
    edge: &Edge,
    jobs: &[&Job],
) -> Result<Vec<Outcome>, StoreError> {
    let mut conn = pools.write.acquire().await?;
    let written = match fill_sqlite(&mut conn, edge, jobs).await {
        Ok(written) => conn
            .execute("COMMIT")
            .await
            .map(|_| written)
            .map_err(StoreError::from),
        Err(e) => Err(e),
    };
    match written {
        Ok((outcomes, appended)) => {
            // Shared while the connection is still held: no other write
            // (a side event's leaf) can come between the commit and this.
            if let Some(appended) = appended {
                edge.offer(appended);
            }
            Ok(outcomes)
        }
        Err(e) => {
            // Also when BEGIN itself failed: "no transaction" is harmless.
            conn.execute("ROLLBACK").await.ok();
            Err(e)
        }
    }
}

async fn fill_sqlite(
    conn: &mut AnyConnection,
    edge: &Edge,
    jobs: &[&Job],
) -> Result<(Vec<Outcome>, Option<CompactRange>), StoreError> {
    let changes: Vec<&Change> = jobs.iter().map(|j| &j.change).collect();
    let (mut checks, stored) = change::Checks::open_sqlite(conn, &changes).await?;
    let (outcomes, mut script, records) = scripted(conn, &mut checks, jobs).await?;
    if records.is_empty() {
        script.run(conn, Backend::Sqlite).await?;
        return Ok((outcomes, None));
    }
    // One script for the whole batch, ledger included.
    let range = ledger::edge_at(conn, &stored, || edge.get()).await?;
    let appended = ledger::append_to(&mut script, range, &records);
    script.run(conn, Backend::Sqlite).await?;
    Ok((outcomes, Some(appended)))
}

async fn write_batch_postgres(
    pools: &Pools,
    edge: &Edge,
    jobs: &[&Job],
) -> Result<Vec<Outcome>, StoreError> {
    let mut tx = pools.write.begin().await?;
    match fill_postgres(&mut tx, edge, jobs).await {
        Ok(outcomes) => {
            tx.commit().await?;
            Ok(outcomes)
        }
        Err(e) => {
            tx.rollback().await.ok();
            Err(e)
        }
    }
}

/// Checks each job's change and gathers the rows of those that apply into
/// one script, with the records of their events for the ledger.
async fn scripted<'j>(
    conn: &mut AnyConnection,
    checks: &mut change::Checks,
    jobs: &[&'j Job],
) -> Result<(Vec<Outcome>, Script, Vec<&'j Prepared>), StoreError> {
    let mut script = Script::default();
    let mut outcomes = Vec::with_capacity(jobs.len());
    let mut records: Vec<&Prepared> = Vec::new();
    for job in jobs {
        let outcome = change::apply(conn, checks, &mut script, &job.change, job.at_ms).await?;
        if matches!(outcome, Outcome::Written) {
            records.extend(job.events.iter());
        }
        outcomes.push(outcome);
    }
    change::insert_event_records(&mut script, &records);
    Ok((outcomes, script, records))
}

/// PostgreSQL: the guarded updates run as they come; the log is sequenced
/// last, which keeps the ledger lock for the shortest time: from here to
/// the commit.
async fn fill_postgres(
    conn: &mut AnyConnection,
    edge: &Edge,
    jobs: &[&Job],
) -> Result<Vec<Outcome>, StoreError> {
    let mut checks = change::Checks::postgres();
    let (outcomes, script, records) = scripted(conn, &mut checks, jobs).await?;
    script.run(conn, Backend::Postgres).await?;
    if records.is_empty() {
        return Ok(outcomes);
    }
    let range = ledger::right_edge(conn, Backend::Postgres, || edge.get()).await?;
    let appended = ledger::append_postgres(conn, range, &records).await?;
    // Shared at once, while the ledger row is still locked: the writer
    // that takes the lock next finds it whether or not this transaction
    // has been answered yet. `right_edge` uses it only if the stored root
    // is its own, so it is harmless if this transaction rolls back.
    edge.offer(appended);
    Ok(outcomes)
}
