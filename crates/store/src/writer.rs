//! The case writer: the store's tasks (PostgreSQL) or leader requests
//! (SQLite, `sqlite_writer.rs`) that write new cases and case transitions
//! in batches — group commit.
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

use std::path::Path;
use std::sync::Arc;

use sqlx::AnyConnection;
use tokio::sync::{Mutex, mpsc, oneshot};
use yici_core::case::CaseId;
use yici_ledger::CompactRange;

use crate::cases::{self, IdempotencyKey};
use crate::change::{self, Change};
use crate::db::{Backend, Pools};
use crate::error::{StoreError, is_unique};
use crate::ledger::{self, Prepared};
use crate::script::Script;
use crate::sqlite_writer::SqliteWriter;

/// Most changes in one transaction.
pub(crate) const MAX_BATCH: usize = 64;

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

pub(crate) struct Queued {
    pub(crate) job: Job,
    pub(crate) reply: oneshot::Sender<Answered>,
}

/// A change's answer, with its job handed back: the request keeps its case
/// and drops the rest, not the writer, whose time is the serial part.
pub(crate) struct Answered {
    answer: Result<Outcome, StoreError>,
    job: Job,
}

impl Queued {
    /// Answers the request that queued this change.
    pub(crate) fn answer(self, answer: Result<Outcome, StoreError>) {
        let _ = self.reply.send(Answered {
            answer,
            job: self.job,
        });
    }
}

/// Waits for the answer to a queued change: the outcome, and the job back.
pub(crate) async fn answer_of(
    answered: oneshot::Receiver<Answered>,
) -> Result<(Outcome, Job), StoreError> {
    let Answered { answer, job } = answered.await.map_err(|_| StoreError::WriterGone)?;
    answer.map(|outcome| (outcome, job))
}

/// The handle to a store's case writer.
#[derive(Debug, Clone)]
pub(crate) enum Writer {
    /// SQLite's: written by a leader request (`sqlite_writer.rs`).
    Sqlite(Arc<SqliteWriter>),
    /// PostgreSQL's: a queue to the writer tasks.
    Postgres(mpsc::Sender<Queued>),
}

impl Writer {
    /// SQLite's writer, on its own connection to the database file `file`;
    /// SQLite has one writer anyway.
    pub(crate) fn sqlite(pools: &Pools, file: &Path) -> Result<Writer, StoreError> {
        Ok(Writer::Sqlite(Arc::new(SqliteWriter::open(pools, file)?)))
    }

    /// Starts PostgreSQL's writer tasks on the current tokio runtime:
    /// several, so that one batch's statements travel while another waits
    /// for its commit (the ledger lock still orders their leaves).
    pub(crate) fn postgres(pools: &Pools) -> Writer {
        let (queue, rx) = mpsc::channel(4 * MAX_BATCH);
        let rx = Arc::new(Mutex::new(rx));
        let edge = Arc::new(Edge::default());
        for _ in 0..POSTGRES_WRITERS {
            tokio::spawn(run_postgres(pools.clone(), rx.clone(), edge.clone()));
        }
        Writer::Postgres(queue)
    }

    /// Writes `job` and waits for its outcome; hands the job back.
    pub(crate) async fn write(&self, job: Job) -> Result<(Outcome, Job), StoreError> {
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

/// The ledger's right edge after the newest append of this process's
/// writers, shared so that a writer whose batch follows another's need not
/// read the edge back from the database. Each writer shares its edge while
/// it still holds the log (SQLite: the write connection; PostgreSQL: the
/// ledger row's lock), so the one kept is always the newest; and
/// `ledger::edge_at` uses it only if the stored size and root are its own.
#[derive(Debug, Default)]
pub(crate) struct Edge(std::sync::Mutex<Option<CompactRange>>);

impl Edge {
    pub(crate) fn get(&self) -> Option<CompactRange> {
        self.0.lock().ok().and_then(|e| e.clone())
    }

    /// Keeps `appended`, the newest edge.
    pub(crate) fn offer(&self, appended: CompactRange) {
        if let Ok(mut e) = self.0.lock() {
            *e = Some(appended);
        }
    }
}

async fn run_postgres(pools: Pools, rx: Arc<Mutex<mpsc::Receiver<Queued>>>, edge: Arc<Edge>) {
    while let Some(batch) = next_batch(&rx).await {
        let mut batches = PostgresBatches {
            pools: &pools,
            edge: &edge,
        };
        write_and_answer(&mut batches, batch).await;
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

/// How a backend writes a batch in one transaction, and finds the case of
/// an idempotency key after a failure.
pub(crate) trait Batches {
    /// Writes `jobs` in one transaction, or nothing of them.
    async fn write(&mut self, jobs: &[&Job]) -> Result<Vec<Outcome>, StoreError>;
    /// The case created with `key`, if any.
    async fn existing(&mut self, key: &IdempotencyKey) -> Result<Option<CaseId>, StoreError>;
}

/// Writes `batch` and answers each of its changes.
pub(crate) async fn write_and_answer(batches: &mut impl Batches, mut batch: Vec<Queued>) {
    let jobs: Vec<&Job> = batch.iter().map(|q| &q.job).collect();
    let started = std::time::Instant::now();
    match batches.write(&jobs).await {
        Ok(outcomes) => {
            tracing::debug!(
                changes = batch.len(),
                elapsed_us = started.elapsed().as_micros() as u64,
                "batch written"
            );
            for (q, outcome) in batch.into_iter().zip(outcomes) {
                q.answer(Ok(outcome));
            }
        }
        Err(e) if batch.len() == 1 => {
            let answer = after_failure(batches, batch[0].job.change.idempotency(), e).await;
            if let Some(q) = batch.pop() {
                q.answer(answer);
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, size = batch.len(), "write batch failed; writing its changes one by one");
            for q in batch {
                let answer = match batches.write(&[&q.job]).await {
                    Ok(mut outcomes) => outcomes.pop().ok_or(StoreError::WriterGone),
                    Err(e) => after_failure(batches, q.job.change.idempotency(), e).await,
                };
                q.answer(answer);
            }
        }
    }
}

/// The answer to a change whose transaction failed: a new case whose
/// idempotency key another server used at the same moment is that server's
/// case; anything else is the error.
async fn after_failure(
    batches: &mut impl Batches,
    key: Option<&IdempotencyKey>,
    e: StoreError,
) -> Result<Outcome, StoreError> {
    if let Some(key) = key
        && is_unique(&e)
    {
        return match batches.existing(key).await? {
            Some(existing) => Ok(Outcome::Existing(existing)),
            None => Err(e),
        };
    }
    Err(e)
}

struct PostgresBatches<'a> {
    pools: &'a Pools,
    edge: &'a Edge,
}

impl Batches for PostgresBatches<'_> {
    async fn write(&mut self, jobs: &[&Job]) -> Result<Vec<Outcome>, StoreError> {
        let mut tx = self.pools.write.begin().await?;
        match fill_postgres(&mut tx, self.edge, jobs).await {
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

    async fn existing(&mut self, key: &IdempotencyKey) -> Result<Option<CaseId>, StoreError> {
        cases::idempotent_case(&self.pools.write, key).await
    }
}

/// Checks each job's change and gathers the rows of those that apply into
/// one script, with the records of their events for the ledger.
pub(crate) async fn scripted<'j>(
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
