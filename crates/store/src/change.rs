//! The changes the store's writer applies — a new case, a transition — and
//! the rows each writes inside the writer's transaction.

use sqlx::{Any, Transaction};
use yici_core::case::{Case, Event};

use crate::bulk::{self, Value};
use crate::cases::{IdempotencyKey, idempotent_case};
use crate::error::StoreError;
use crate::ledger::EventRecord;
use crate::outbox::{self, OutboxMessage};
use crate::writer::Outcome;

fn date(d: Option<time::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn u64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A change the writer applies: a new case, or a transition of one.
pub(crate) enum Change {
    /// A new case.
    Insert {
        /// The case.
        case: Case,
        /// Owning user.
        owner: String,
        /// Messages announcing it.
        outbox: Vec<OutboxMessage>,
        /// The request's key, if any.
        idempotency: Option<IdempotencyKey>,
    },
    /// A transition.
    Update {
        /// The case after it.
        case: Case,
        /// The version it was computed from.
        expected_version: u64,
        /// The case before it, when known: only tasks that differ from it
        /// are written.
        previous: Option<Box<Case>>,
        /// Messages announcing it.
        outbox: Vec<OutboxMessage>,
        /// Certificates issued with it.
        certificates: Vec<crate::certificates::NewCertificate>,
    },
}

impl Change {
    /// The idempotency key of a new case.
    pub(crate) fn idempotency(&self) -> Option<&IdempotencyKey> {
        match self {
            Change::Insert { idempotency, .. } => idempotency.as_ref(),
            Change::Update { .. } => None,
        }
    }
}

/// Writes one change inside the writer's transaction. A change that does
/// not apply is refused before any of it is written; an error aborts the
/// whole transaction.
pub(crate) async fn apply(
    tx: &mut Transaction<'_, Any>,
    change: &Change,
    now_ms: i64,
) -> Result<Outcome, StoreError> {
    match change {
        Change::Insert {
            case,
            owner,
            outbox,
            idempotency,
        } => {
            if let Some(key) = idempotency {
                match idempotent_case(&mut **tx, key).await {
                    Ok(Some(existing)) => return Ok(Outcome::Existing(existing)),
                    Ok(None) => {}
                    Err(e @ StoreError::IdempotencyMismatch { .. }) => {
                        return Ok(Outcome::Refused(e));
                    }
                    Err(e) => return Err(e),
                }
            }
            insert_case_row(tx, case, owner, now_ms).await?;
            insert_tasks(tx, case, now_ms).await?;
            outbox::insert(tx, outbox, now_ms).await?;
            if let Some(key) = idempotency {
                sqlx::query(
                    "INSERT INTO idempotency (owner, idem_key, request_hash, case_id, created_ms) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&key.scope)
                .bind(&key.key)
                .bind(&key.request_hash)
                .bind(case.id.to_string())
                .bind(now_ms)
                .execute(&mut **tx)
                .await?;
            }
            Ok(Outcome::Written)
        }
        Change::Update {
            case,
            expected_version,
            previous,
            outbox,
            certificates,
        } => {
            let expected = *expected_version;
            if !update_case_row(tx, case, expected, now_ms).await? {
                let actual: Option<(i64,)> =
                    sqlx::query_as("SELECT version FROM cases WHERE id = $1")
                        .bind(case.id.to_string())
                        .fetch_optional(&mut **tx)
                        .await?;
                return Ok(Outcome::Refused(StoreError::VersionConflict {
                    case: case.id.to_string(),
                    expected,
                    actual: actual.map_or(0, |(v,)| u64::try_from(v).unwrap_or(0)),
                }));
            }
            update_tasks(tx, case, previous.as_deref(), now_ms).await?;
            outbox::insert(tx, outbox, now_ms).await?;
            crate::certificates::insert(tx, &case.id.to_string(), certificates).await?;
            Ok(Outcome::Written)
        }
    }
}

/// Moves the case row to its new version; false when the stored version is
/// not `expected` (nothing written).
async fn update_case_row(
    tx: &mut Transaction<'_, Any>,
    case: &Case,
    expected: u64,
    now_ms: i64,
) -> Result<bool, StoreError> {
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
    .bind(u64_of(expected))
    .execute(&mut **tx)
    .await?;
    Ok(updated.rows_affected() == 1)
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

async fn insert_tasks(
    tx: &mut Transaction<'_, Any>,
    case: &Case,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let rows: Vec<Vec<Value>> = case
        .tasks
        .iter()
        .map(|t| {
            vec![
                t.id.to_string().into(),
                case.id.to_string().into(),
                t.matter.to_string().into(),
                t.department.to_string().into(),
                t.region.to_string().into(),
                i64::try_from(t.stage).unwrap_or(i64::MAX).into(),
                t.state.as_str().into(),
                t.flag.as_str().into(),
                date(t.opened_on).into(),
                date(t.deadline).into(),
                date(t.decided_on).into(),
                now_ms.into(),
            ]
        })
        .collect();
    bulk::insert(
        tx,
        "tasks (id, case_id, matter, department, region, stage, state, flag, opened_on, deadline, decided_on, updated_ms)",
        &rows,
    )
    .await
}

/// Writes the tasks that differ from `previous` (all of them without it).
async fn update_tasks(
    tx: &mut Transaction<'_, Any>,
    case: &Case,
    previous: Option<&Case>,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    for t in &case.tasks {
        let unchanged = previous
            .and_then(|p| p.tasks.iter().find(|old| old.id == t.id))
            .is_some_and(|old| old == t);
        if unchanged {
            continue;
        }
        sqlx::query(
            "UPDATE tasks SET state = $1, flag = $2, opened_on = $3, deadline = $4, decided_on = $5, updated_ms = $6 WHERE id = $7",
        )
        .bind(t.state.as_str())
        .bind(t.flag.as_str())
        .bind(date(t.opened_on))
        .bind(date(t.deadline))
        .bind(date(t.decided_on))
        .bind(now_ms)
        .bind(t.id.to_string())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Inserts event rows.
pub(crate) async fn insert_events(
    tx: &mut Transaction<'_, Any>,
    events: &[Event],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let records: Vec<EventRecord> = events.iter().map(|e| EventRecord::of(e, now_ms)).collect();
    insert_event_records(tx, &records).await
}

/// Inserts event rows from their records, in one statement where the
/// limits allow.
pub(crate) async fn insert_event_records(
    tx: &mut Transaction<'_, Any>,
    records: &[EventRecord],
) -> Result<(), sqlx::Error> {
    let rows: Vec<Vec<Value>> = records
        .iter()
        .map(|r| {
            vec![
                r.case_id.as_str().into(),
                r.seq.into(),
                r.event_idx.into(),
                r.kind.as_str().into(),
                r.actor.as_str().into(),
                r.role.as_str().into(),
                r.at_ms.into(),
                r.on.as_str().into(),
                r.from_state.clone().into(),
                r.to_state.as_str().into(),
                r.data.to_string().into(),
            ]
        })
        .collect();
    bulk::insert(
        tx,
        "case_events (case_id, seq, idx, kind, actor, role, at_ms, on_date, from_state, to_state, data)",
        &rows,
    )
    .await
}
