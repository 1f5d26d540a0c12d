//! A change of a case as the writer's job, and how a batch of them is
//! written: each change checked and turned into rows (`apply.rs`), their
//! events' rows and ledger leaves after them, all in one script.
//!
//! Here, with the cases, and not in the writer: the writer (`sql/`) forms
//! batches and frames their transactions for any [`Batch`]; what a batch
//! of case changes writes, and in which order on each backend, is the
//! cases' own business.

use sqlx::{Any, AnyConnection};
use yici_ledger::CompactRange;

use crate::cases::apply::{Checks, apply, idempotent_case};
use crate::cases::change::Change;
use crate::error::{StoreError, is_unique};
use crate::ledger::append::{Edge, append_postgres, append_to, edge_at, right_edge};
use crate::ledger::history::insert_event_records;
use crate::sql::backend::Backend;
use crate::sql::batch::Batch;
use crate::sql::script::Script;
use crate::vocabulary::{Outcome, Prepared};

/// A change with its events, waiting for the writer.
pub(crate) struct Job {
    /// The change.
    pub change: Change,
    /// Its events, in order, prepared for the ledger.
    pub events: Vec<Prepared>,
    /// When it was requested (ms): the events' time.
    pub at_ms: i64,
}

impl Batch for Job {
    /// The ledger's right edge after the newest append.
    type Kept = Edge;
    /// The right edge a SQLite batch appended, if it appended.
    type Committed = Option<CompactRange>;

    /// The guarded updates run as they come; the log is sequenced last,
    /// which keeps the ledger lock for the shortest time: from here to the
    /// commit.
    async fn write_postgres(
        conn: &mut AnyConnection,
        edge: &Edge,
        jobs: &[&Job],
    ) -> Result<Vec<Outcome>, StoreError> {
        let mut checks = Checks::postgres();
        let (outcomes, script, records) = scripted(conn, &mut checks, jobs).await?;
        script.run(conn, Backend::Postgres).await?;
        if records.is_empty() {
            return Ok(outcomes);
        }
        let range = right_edge(conn, Backend::Postgres, || edge.get()).await?;
        let appended = append_postgres(conn, range, &records).await?;
        // Shared at once, while the ledger row is still locked: the writer
        // that takes the lock next finds it whether or not this transaction
        // has been answered yet. `right_edge` uses it only if the stored root
        // is its own, so it is harmless if this transaction rolls back.
        edge.offer(appended);
        Ok(outcomes)
    }

    /// The versions and the ledger's size read at once, the checks
    /// followed in memory, and everything written as one script on the
    /// writer's connection.
    async fn write_sqlite(
        conn: &mut rusqlite::Connection,
        held: &mut AnyConnection,
        edge: &Edge,
        jobs: &[&Job],
    ) -> Result<(Vec<Outcome>, Option<CompactRange>), StoreError> {
        let changes: Vec<&Change> = jobs.iter().map(|j| &j.change).collect();
        let (mut checks, stored) = Checks::sqlite(conn, &changes)?;
        // On SQLite the checks follow versions in memory; the pool's
        // connection is not written through.
        let (outcomes, mut script, records) = scripted(held, &mut checks, jobs).await?;
        if records.is_empty() {
            script.run_sqlite(conn)?;
            return Ok((outcomes, None));
        }
        // A cached edge is used only if the stored size and root are its
        // own; otherwise it is read from the committed rows, which are this
        // transaction's too, as nothing is written before this point.
        let range = edge_at(held, &stored, || edge.get()).await?;
        let appended = append_to(&mut script, range, &records);
        script.run_sqlite(conn)?;
        Ok((outcomes, Some(appended)))
    }

    fn committed(edge: &Edge, appended: Option<CompactRange>) {
        if let Some(appended) = appended {
            edge.offer(appended);
        }
    }

    /// A new case whose idempotency key another server used at the same
    /// moment is that server's case; anything else is the error.
    async fn after_failure<'e>(
        &'e self,
        exec: impl sqlx::Executor<'e, Database = Any> + 'e,
        e: StoreError,
    ) -> Result<Outcome, StoreError> {
        if let Some(key) = self.change.idempotency()
            && is_unique(&e)
        {
            return match idempotent_case(exec, key).await? {
                Some(existing) => Ok(Outcome::Existing(existing)),
                None => Err(e),
            };
        }
        Err(e)
    }
}

/// Checks each job's change and gathers the rows of those that apply into
/// one script, with the records of their events for the ledger.
async fn scripted<'j>(
    conn: &mut AnyConnection,
    checks: &mut Checks,
    jobs: &[&'j Job],
) -> Result<(Vec<Outcome>, Script, Vec<&'j Prepared>), StoreError> {
    let mut script = Script::default();
    let mut outcomes = Vec::with_capacity(jobs.len());
    let mut records: Vec<&Prepared> = Vec::new();
    for job in jobs {
        let outcome = apply(conn, checks, &mut script, &job.change, job.at_ms).await?;
        if matches!(outcome, Outcome::Written) {
            records.extend(job.events.iter());
        }
        outcomes.push(outcome);
    }
    insert_event_records(&mut script, &records);
    Ok((outcomes, script, records))
}
