//! Cases, their tasks and their events: the store's write methods, which
//! queue each change to the writer (`writer.rs`), and the reads.

use sqlx::any::AnyRow;
use sqlx::{Any, Row};
use yici_core::case::{Case, CaseId, Event};

use crate::Store;
use crate::change::Change;
use crate::error::StoreError;
use crate::outbox::OutboxMessage;
use crate::rows::Columns;
use crate::writer::{Job, Outcome};

/// An `Idempotency-Key` with a digest of the request it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    /// Whose key it is (the calling user): keys of different callers never collide.
    pub scope: String,
    /// The key, as the client sent it.
    pub key: String,
    /// Digest of the request body: the same key with another body is refused.
    pub request_hash: String,
}

/// What `insert_case` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    /// The case was created.
    Created,
    /// The idempotency key had already created this case; nothing was written.
    Existing(CaseId),
}

/// A case with who owns it.
#[derive(Debug, Clone)]
pub struct StoredCase {
    /// The case.
    pub case: Case,
    /// User id of the applicant account that owns it.
    pub owner: String,
}

/// A stored event with its wall-clock time.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// The event.
    pub event: Event,
    /// When it was written (ms since the epoch).
    pub at_ms: i64,
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
                self.cases.written(job.change.into_stored().0, owner);
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
            tasks: crate::change::changed_tasks(case, None, now_ms),
            outbox: outbox.to_vec(),
            certificates: Vec::new(),
        };
        self.write_transition(change, events, now_ms).await
    }

    /// As [`Store::update_case`] for a transition from `previous` (its
    /// version is the one expected), also issuing certificates in the same
    /// transaction: a result is issued with its certificates or not at all.
    pub async fn update_case_from(
        &self,
        previous: &Case,
        case: &Case,
        events: &[Event],
        outbox: &[OutboxMessage],
        certificates: Vec<crate::certificates::NewCertificate>,
        now_ms: i64,
    ) -> Result<String, StoreError> {
        let change = Change::Update {
            case: case.clone(),
            snapshot: serde_json::to_string(case)?,
            expected_version: previous.version,
            tasks: crate::change::changed_tasks(case, Some(previous), now_ms),
            outbox: outbox.to_vec(),
            certificates,
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
                let (case, json) = job.change.into_stored();
                self.cases.transition_written(case);
                Ok(json)
            }
            (Outcome::Refused(e), _) => Err(e),
            (Outcome::Existing(id), _) => Err(StoreError::Corrupt(format!(
                "a transition was answered with case {id}"
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
        let events = events
            .iter()
            .map(|e| crate::ledger::Prepared::of(e, at_ms))
            .collect();
        self.writer
            .write(Job {
                change,
                events,
                at_ms,
            })
            .await
    }

    /// A case and its owner.
    pub async fn case(&self, id: &CaseId) -> Result<Option<StoredCase>, StoreError> {
        self.hot_row(
            "SELECT owner, version, snapshot FROM cases WHERE id = $1",
            &[id.to_string()],
            |r| self.cases.read(id, r),
        )
        .await
    }

    /// The history of a case, in order.
    pub async fn case_events(&self, id: &CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, idx, kind, actor, role, at_ms, on_date, from_state, to_state, data FROM case_events WHERE case_id = $1 ORDER BY seq, idx",
        )
        .bind(id.to_string())
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(|r| stored_event(id, r)).collect()
    }
}

pub(crate) fn stored_case(row: &dyn Columns) -> Result<StoredCase, StoreError> {
    Ok(StoredCase {
        case: serde_json::from_str(&row.text("snapshot")?)?,
        owner: row.text("owner")?,
    })
}

fn stored_event(id: &CaseId, r: &AnyRow) -> Result<StoredEvent, StoreError> {
    // Rebuild the event through its JSON form so that the enums' names are
    // parsed by the same serde rules that wrote them.
    let data: String = r.try_get("data")?;
    let json = serde_json::json!({
        "case_id": id.to_string(),
        "seq": r.try_get::<i64, _>("seq")?,
        "index": r.try_get::<i64, _>("idx")?,
        "kind": r.try_get::<String, _>("kind")?,
        "actor": r.try_get::<String, _>("actor")?,
        "role": r.try_get::<String, _>("role")?,
        "on": r.try_get::<String, _>("on_date")?,
        "from_state": r.try_get::<Option<String>, _>("from_state")?,
        "to_state": r.try_get::<String, _>("to_state")?,
        "data": serde_json::from_str::<serde_json::Value>(&data)?,
    });
    Ok(StoredEvent {
        event: serde_json::from_value(json)?,
        at_ms: r.try_get("at_ms")?,
    })
}

/// The case an idempotency key created, if any; the same key with another
/// request is refused.
pub(crate) async fn idempotent_case<'e, E>(
    exec: E,
    key: &IdempotencyKey,
) -> Result<Option<CaseId>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query(
        "SELECT request_hash, case_id FROM idempotency WHERE owner = $1 AND idem_key = $2",
    )
    .bind(&key.scope)
    .bind(&key.key)
    .fetch_optional(exec)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let hash: String = row.try_get("request_hash")?;
    if hash != key.request_hash {
        return Err(StoreError::IdempotencyMismatch {
            key: key.key.clone(),
        });
    }
    let id: String = row.try_get("case_id")?;
    CaseId::parse(&id)
        .map(Some)
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}
