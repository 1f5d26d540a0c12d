//! Cases, their tasks and their events: one write method per use case, one
//! transaction each, events and outbox messages included.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use yici_core::case::{Case, CaseId, Event};

use crate::Store;
use crate::error::{StoreError, is_unique_violation};
use crate::outbox::{self, OutboxMessage};

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

fn date(d: Option<time::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn u64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
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
        if let Some(key) = idempotency
            && let Some(existing) = self.idempotent_case(key).await?
        {
            return Ok(Inserted::Existing(existing));
        }
        let mut tx = self.pools.write.begin().await?;
        let written = async {
            insert_case_row(&mut tx, case, owner, now_ms).await?;
            write_tasks(&mut tx, case, now_ms, true).await?;
            insert_events(&mut tx, events, now_ms).await?;
            crate::ledger::append(&mut tx, self.pools.backend, events, now_ms).await?;
            outbox::insert(&mut tx, outbox, now_ms).await?;
            if let Some(key) = idempotency {
                sqlx::query(
                    "INSERT INTO idempotency (owner, idem_key, request_hash, case_id, created_ms) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&key.scope)
                .bind(&key.key)
                .bind(&key.request_hash)
                .bind(case.id.to_string())
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
            }
            Ok::<_, StoreError>(())
        }
        .await;
        match written {
            Ok(()) => {
                tx.commit().await?;
                Ok(Inserted::Created)
            }
            // Two requests with one key raced (PostgreSQL): the loser
            // returns the winner's case.
            Err(StoreError::Database(e)) if idempotency.is_some() && is_unique_violation(&e) => {
                tx.rollback().await?;
                let key = idempotency.ok_or(StoreError::Database(e))?;
                match self.idempotent_case(key).await? {
                    Some(existing) => Ok(Inserted::Existing(existing)),
                    None => Err(StoreError::Corrupt("idempotency race lost its row".into())),
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn idempotent_case(&self, key: &IdempotencyKey) -> Result<Option<CaseId>, StoreError> {
        let row = sqlx::query(
            "SELECT request_hash, case_id FROM idempotency WHERE owner = $1 AND idem_key = $2",
        )
        .bind(&key.scope)
        .bind(&key.key)
        .fetch_optional(&self.pools.write)
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

    /// Writes a transition: the new case (whose version must be one more
    /// than `expected_version`), its tasks, events and outbox messages, in
    /// one transaction, or nothing when the stored version differs.
    pub async fn update_case(
        &self,
        case: &Case,
        expected_version: u64,
        events: &[Event],
        outbox: &[OutboxMessage],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.update_case_issuing(case, expected_version, events, outbox, Vec::new(), now_ms)
            .await
    }

    /// As [`Store::update_case`], also issuing certificates in the same
    /// transaction: a result is issued with its certificates or not at all.
    pub async fn update_case_issuing(
        &self,
        case: &Case,
        expected_version: u64,
        events: &[Event],
        outbox: &[OutboxMessage],
        certificates: Vec<crate::certificates::NewCertificate>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pools.write.begin().await?;
        let snapshot = serde_json::to_string(case)?;
        let updated = sqlx::query(
            "UPDATE cases SET version = $1, state = $2, trips = $3, deadline = $4, rating = $5, snapshot = $6, updated_ms = $7, checked_on = NULL WHERE id = $8 AND version = $9",
        )
        .bind(u64_of(case.version))
        .bind(case.state.as_str())
        .bind(i64::from(case.trips))
        .bind(date(case.deadline))
        .bind(case.rating.as_ref().map(|r| i64::from(r.score())))
        .bind(snapshot)
        .bind(now_ms)
        .bind(case.id.to_string())
        .bind(u64_of(expected_version))
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            let actual: Option<(i64,)> = sqlx::query_as("SELECT version FROM cases WHERE id = $1")
                .bind(case.id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            tx.rollback().await?;
            return Err(StoreError::VersionConflict {
                case: case.id.to_string(),
                expected: expected_version,
                actual: actual.map_or(0, |(v,)| u64::try_from(v).unwrap_or(0)),
            });
        }
        write_tasks(&mut tx, case, now_ms, false).await?;
        insert_events(&mut tx, events, now_ms).await?;
        crate::ledger::append(&mut tx, self.pools.backend, events, now_ms).await?;
        outbox::insert(&mut tx, outbox, now_ms).await?;
        crate::certificates::insert(&mut tx, &case.id.to_string(), certificates).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A case and its owner.
    pub async fn case(&self, id: &CaseId) -> Result<Option<StoredCase>, StoreError> {
        let row = sqlx::query("SELECT owner, snapshot FROM cases WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(stored_case).transpose()
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

pub(crate) fn stored_case(row: &AnyRow) -> Result<StoredCase, StoreError> {
    let snapshot: String = row.try_get("snapshot")?;
    Ok(StoredCase {
        case: serde_json::from_str(&snapshot)?,
        owner: row.try_get("owner")?,
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

async fn insert_case_row(
    tx: &mut Transaction<'_, Any>,
    case: &Case,
    owner: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let (channel, window) = match &case.channel {
        yici_core::case::Channel::Online => ("online", None),
        yici_core::case::Channel::Window { window } => ("window", Some(window.to_string())),
    };
    let target = match &case.target {
        yici_core::case::Target::OneThing(c) => c.to_string(),
        yici_core::case::Target::Matter(c) => c.to_string(),
    };
    let subject = match &case.subject {
        yici_core::case::Applicant::Person { resident_id, .. } => resident_id.to_string(),
        yici_core::case::Applicant::Enterprise { uscc, .. } => uscc.to_string(),
    };
    let snapshot = serde_json::to_string(case).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO cases (id, version, state, target, owner, subject, region, window_code, channel, planned_trips, trips, submitted_on, deadline, rating, snapshot, created_ms, updated_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, $14, $15, $15)",
    )
    .bind(case.id.to_string())
    .bind(u64_of(case.version))
    .bind(case.state.as_str())
    .bind(target)
    .bind(owner)
    .bind(subject)
    .bind(case.subject.region().to_string())
    .bind(window)
    .bind(channel)
    .bind(i64::from(case.planned_trips))
    .bind(i64::from(case.trips))
    .bind(case.submitted_on.to_string())
    .bind(date(case.deadline))
    .bind(snapshot)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn write_tasks(
    tx: &mut Transaction<'_, Any>,
    case: &Case,
    now_ms: i64,
    insert: bool,
) -> Result<(), sqlx::Error> {
    for t in &case.tasks {
        let sql = if insert {
            "INSERT INTO tasks (state, flag, opened_on, deadline, decided_on, updated_ms, id, case_id, matter, department, region, stage)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        } else {
            "UPDATE tasks SET state = $1, flag = $2, opened_on = $3, deadline = $4, decided_on = $5, updated_ms = $6 WHERE id = $7"
        };
        let q = sqlx::query(sql)
            .bind(t.state.as_str())
            .bind(t.flag.as_str())
            .bind(date(t.opened_on))
            .bind(date(t.deadline))
            .bind(date(t.decided_on))
            .bind(now_ms)
            .bind(t.id.to_string());
        let q = if insert {
            q.bind(case.id.to_string())
                .bind(t.matter.to_string())
                .bind(t.department.to_string())
                .bind(t.region.to_string())
                .bind(i64::try_from(t.stage).unwrap_or(i64::MAX))
        } else {
            q
        };
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

pub(crate) async fn insert_events(
    tx: &mut Transaction<'_, Any>,
    events: &[Event],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    for e in events {
        sqlx::query(
            "INSERT INTO case_events (case_id, seq, idx, kind, actor, role, at_ms, on_date, from_state, to_state, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(e.case_id.to_string())
        .bind(u64_of(e.seq))
        .bind(i64::from(e.index))
        .bind(e.kind.as_str())
        .bind(&e.actor)
        .bind(e.role.as_str())
        .bind(now_ms)
        .bind(e.on.to_string())
        .bind(e.from_state.map(|s| s.as_str()))
        .bind(e.to_state.as_str())
        .bind(e.data.to_string())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
