//! A batch of the writer's jobs: what the writer asks of the jobs it
//! writes ([`Batch`]), and how a batch is written and each of its jobs
//! answered — the part of group commit that SQLite's writer
//! (`sqlite_writer.rs`) and PostgreSQL's (`postgres_writer.rs`) share.
//!
//! Why a trait: the writer is plumbing. The aggregate whose changes it
//! writes (the cases, `cases/job.rs`) checks each change against those
//! before it in the batch and turns it into rows; the writer forms the
//! batches, frames their transactions and answers, and names no table.

use std::future::Future;

use sqlx::{Any, AnyConnection};
use tokio::sync::oneshot;

use crate::error::StoreError;
use crate::vocabulary::Outcome;

/// Most changes in one transaction.
pub(crate) const MAX_BATCH: usize = 64;

/// A job of the writer, and how jobs of its kind are written together in
/// one transaction. Implemented by the aggregate whose changes they are.
pub(crate) trait Batch: Send + Sync + Sized + 'static {
    /// What a writer keeps for these jobs from one batch to the next (the
    /// ledger's right edge): one for each writer, shared by PostgreSQL's
    /// writer tasks.
    type Kept: Default + Send + Sync + 'static;

    /// What a SQLite batch hands to [`Batch::Kept`] once it is committed.
    type Committed: Send;

    /// PostgreSQL: checks and writes `jobs` in the transaction open on
    /// `conn`, and gives the outcome of each, in order.
    fn write_postgres(
        conn: &mut AnyConnection,
        kept: &Self::Kept,
        jobs: &[&Self],
    ) -> impl Future<Output = Result<Vec<Outcome>, StoreError>> + Send;

    /// SQLite: checks and writes `jobs` on the writer's own connection
    /// `conn`, in the transaction the writer began on it; `held` is the
    /// write pool's connection, held for the batch, for reads of committed
    /// rows. Gives the outcome of each, in order, and what to keep once
    /// the batch is committed.
    fn write_sqlite(
        conn: &mut rusqlite::Connection,
        held: &mut AnyConnection,
        kept: &Self::Kept,
        jobs: &[&Self],
    ) -> impl Future<Output = Result<(Vec<Outcome>, Self::Committed), StoreError>> + Send;

    /// Keeps what a SQLite batch committed, before the writer lets the
    /// write pool's connection go.
    fn committed(kept: &Self::Kept, committed: Self::Committed);

    /// The answer to this job when its own transaction failed with `e`,
    /// looked up through `exec` if need be.
    fn after_failure<'e>(
        &'e self,
        exec: impl sqlx::Executor<'e, Database = Any> + 'e,
        e: StoreError,
    ) -> impl Future<Output = Result<Outcome, StoreError>> + Send + 'e;
}

/// A job waiting for the writer, with where its answer goes.
pub(crate) struct Queued<J> {
    pub(crate) job: J,
    pub(crate) reply: oneshot::Sender<Answered<J>>,
}

/// A job's answer, with the job handed back: the request keeps what it
/// needs (its case) and drops the rest, not the writer, whose time is the
/// serial part.
pub(crate) struct Answered<J> {
    answer: Result<Outcome, StoreError>,
    job: J,
}

impl<J> Queued<J> {
    /// Answers the request that queued this job.
    pub(crate) fn answer(self, answer: Result<Outcome, StoreError>) {
        let _ = self.reply.send(Answered {
            answer,
            job: self.job,
        });
    }
}

/// Waits for the answer to a queued job: the outcome, and the job back.
pub(crate) async fn answer_of<J>(
    answered: oneshot::Receiver<Answered<J>>,
) -> Result<(Outcome, J), StoreError> {
    let Answered { answer, job } = answered.await.map_err(|_| StoreError::WriterGone)?;
    answer.map(|outcome| (outcome, job))
}

/// How a backend writes a batch in one transaction, and answers a job
/// whose transaction failed.
pub(crate) trait Batches<J> {
    /// Writes `jobs` in one transaction, or nothing of them.
    async fn write(&mut self, jobs: &[&J]) -> Result<Vec<Outcome>, StoreError>;
    /// The answer to `job`, whose transaction failed with `e`.
    async fn after_failure(&mut self, job: &J, e: StoreError) -> Result<Outcome, StoreError>;
}

/// Writes `batch` and answers each of its jobs. If the batch fails it is
/// rolled back and its jobs are written one by one, so that each gets its
/// own answer.
pub(crate) async fn write_and_answer<J>(batches: &mut impl Batches<J>, mut batch: Vec<Queued<J>>) {
    let jobs: Vec<&J> = batch.iter().map(|q| &q.job).collect();
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
            let answer = batches.after_failure(&batch[0].job, e).await;
            if let Some(q) = batch.pop() {
                q.answer(answer);
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, size = batch.len(), "write batch failed; writing its changes one by one");
            for q in batch {
                let answer = match batches.write(&[&q.job]).await {
                    Ok(mut outcomes) => outcomes.pop().ok_or(StoreError::WriterGone),
                    Err(e) => batches.after_failure(&q.job, e).await,
                };
                q.answer(answer);
            }
        }
    }
}
