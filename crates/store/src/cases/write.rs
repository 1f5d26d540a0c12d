//! Writing cases: a new case, a transition, a transition that issues
//! certificates. Each is made a change (`change.rs`) beside the request and
//! queued to the writer (`sql/writer.rs`) as a job (`job.rs`); the answer
//! comes back with the job, whose case the case cache keeps.

use yici_core::case::{Case, CaseId, Event};

use crate::Store;
use crate::alongside::Alongside;
use crate::cases::change::Change;
use crate::cases::job::Job;
use crate::cases::rows::changed_tasks;
use crate::certificates::NewCertificate;
use crate::error::StoreError;
use crate::outbox::OutboxMessage;
use crate::vocabulary::{IdempotencyKey, Outcome, Prepared};

/// What `insert_case` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    /// The case was created.
    Created,
    /// The idempotency key had already created this case; nothing was written.
    Existing(CaseId),
}

impl Store {
    /// Creates a case with its tasks and events in one transaction. With an
    /// idempotency key already used in its scope, returns that case instead
    /// and writes nothing; with the same key and another request, refuses.
    pub async fn insert_case(
        &self,
        case: &Case,
        owner: &str,
        events: &[Event],
        outbox: &[OutboxMessage],
        idempotency: Option<&IdempotencyKey>,
        now_ms: i64,
    ) -> Result<Inserted, StoreError> {
        // A retried request is answered by the writer, which looks its key
        // up inside the batch's transaction anyway: a look beforehand would
        // cost every first submission one more read.
        let change = Change::Insert {
            case: case.clone(),
            snapshot: serde_json::to_string(case)?,
            owner: owner.to_owned(),
            outbox: outbox.to_vec(),
            idempotency: idempotency.cloned(),
        };
        match self.write(change, events, now_ms).await? {
            (Outcome::Written, job) => {
                if let Some((case, _)) = job.change.into_stored() {
                    self.cases.written(case, owner);
                }
                Ok(Inserted::Created)
            }
            (Outcome::Existing(id), _) => Ok(Inserted::Existing(id)),
            (Outcome::Refused(e), _) => Err(e),
        }
    }

    /// Writes a transition: the new case (whose version must be one more
    /// than `expected_version`), its tasks, events and outbox messages, in
    /// one transaction, or nothing when the stored version differs. Returns
    /// the case's JSON as stored (the API answers with it).
    pub async fn update_case(
        &self,
        case: &Case,
        expected_version: u64,
        events: &[Event],
        outbox: &[OutboxMessage],
        now_ms: i64,
    ) -> Result<String, StoreError> {
        let change = Change::Update {
            case: case.clone(),
            snapshot: serde_json::to_string(case)?,
            expected_version,
            tasks: changed_tasks(case, None, now_ms),
            outbox: outbox.to_vec(),
            certificates: Vec::new(),
            alongside: Alongside::default(),
        };
        self.write_transition(change, events, now_ms).await
    }

    /// As [`Store::update_case`] for a transition from `previous` (its
    /// version is the one expected), also issuing certificates and writing
    /// other aggregates' rows in the same transaction: a result is issued
    /// with its certificates, a rating given with its follow-up, or nothing.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_case_from(
        &self,
        previous: &Case,
        case: &Case,
        events: &[Event],
        outbox: &[OutboxMessage],
        certificates: Vec<NewCertificate>,
        alongside: Alongside,
        now_ms: i64,
    ) -> Result<String, StoreError> {
        let change = Change::Update {
            case: case.clone(),
            snapshot: serde_json::to_string(case)?,
            expected_version: previous.version,
            tasks: changed_tasks(case, Some(previous), now_ms),
            outbox: outbox.to_vec(),
            certificates,
            alongside,
        };
        self.write_transition(change, events, now_ms).await
    }

    async fn write_transition(
        &self,
        change: Change,
        events: &[Event],
        now_ms: i64,
    ) -> Result<String, StoreError> {
        match self.write(change, events, now_ms).await? {
            (Outcome::Written, job) => {
                let (case, json) = job.change.into_stored().ok_or_else(|| {
                    StoreError::Corrupt("a transition was answered without its case".into())
                })?;
                self.cases.transition_written(case);
                Ok(json)
            }
            (Outcome::Refused(e), _) => Err(e),
            (Outcome::Existing(id), _) => Err(StoreError::Corrupt(format!(
                "a transition was answered with case {id}"
            ))),
        }
    }

    /// Writes rows of other aggregates (made by their own functions, each
    /// statement changing exactly the rows it says) in one of the writer's
    /// transactions, with the cases' changes waiting beside them, or
    /// nothing of them.
    ///
    /// Why through the writer: on SQLite a transaction of the write pool
    /// hands each statement to sqlx's thread and back and waits for the
    /// writer to let the one connection go; measured under the case load
    /// with payment and express, those hand-offs were a third of the
    /// server's CPU. In a batch they cost SQLite's own work.
    pub async fn write_rows(&self, rows: Alongside) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        // No events: the job's time is not used.
        match self.write(Change::Rows(rows), &[], 0).await? {
            (Outcome::Written, _) => Ok(()),
            (Outcome::Refused(e), _) => Err(e),
            (Outcome::Existing(id), _) => Err(StoreError::Corrupt(format!(
                "rows alone were answered with case {id}"
            ))),
        }
    }

    /// Queues `change` to the writer and waits; hands the job back.
    async fn write(
        &self,
        change: Change,
        events: &[Event],
        at_ms: i64,
    ) -> Result<(Outcome, Job), StoreError> {
        // What can be computed beside the request is, so that the writer,
        // which holds the one write connection, only gathers.
        let events = events.iter().map(|e| Prepared::of(e, at_ms)).collect();
        self.writer
            .write(Job {
                change,
                events,
                at_ms,
            })
            .await
    }
}
