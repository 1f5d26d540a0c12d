//! The changes the store's writer applies — a new case, a transition — and
//! the rows each writes, gathered into the batch's script.
//!
//! Each change is checked before any of it is written: its case must still
//! be at the version it was computed from, its idempotency key must be new
//! or name the same request. On PostgreSQL, where several writers run, the
//! version check is the guarded `UPDATE` itself, run at once; on SQLite,
//! whose one writer holds the only write connection for the whole batch,
//! the versions are read once for the batch and followed in memory, so the
//! batch's writes can go to the database in one script.

use std::collections::HashMap;

use sqlx::AnyConnection;
use yici_core::case::{Case, CaseId};

use crate::cases::{IdempotencyKey, idempotent_case};
use crate::db::Backend;
use crate::error::StoreError;
use crate::ledger::{self, Prepared};
use crate::outbox::{self, OutboxMessage};
use crate::script::{Script, Value};
use crate::writer::Outcome;

/// The id the ledger's state row is read under in [`Checks::open_sqlite`],
/// followed by its root.
const LEDGER_ROW: &str = "ledger:";

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
        /// The case as stored, serialized beside the request.
        snapshot: String,
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
        /// The case after it as stored, serialized beside the request.
        snapshot: String,
        /// The version it was computed from.
        expected_version: u64,
        /// `UPDATE tasks` parameters of the tasks it changed, made beside
        /// the request ([`changed_tasks`]) rather than in the writer.
        tasks: Vec<Vec<Value>>,
        /// Messages announcing it.
        outbox: Vec<OutboxMessage>,
        /// Certificates issued with it.
        certificates: Vec<crate::certificates::NewCertificate>,
    },
}

impl Change {
    /// The case it writes, and its JSON as stored.
    pub(crate) fn into_stored(self) -> (Case, String) {
        match self {
            Change::Insert { case, snapshot, .. } | Change::Update { case, snapshot, .. } => {
                (case, snapshot)
            }
        }
    }

    /// The idempotency key of a new case.
    pub(crate) fn idempotency(&self) -> Option<&IdempotencyKey> {
        match self {
            Change::Insert { idempotency, .. } => idempotency.as_ref(),
            Change::Update { .. } => None,
        }
    }
}

/// What a batch knows while it checks its changes one after the other.
pub(crate) struct Checks {
    backend: Backend,
    /// SQLite: each updated case's version after the changes before.
    versions: HashMap<String, u64>,
    /// The idempotency keys of the new cases before: (scope, key) →
    /// (request hash, case).
    keys: HashMap<(String, String), (String, CaseId)>,
}

impl Checks {
    /// PostgreSQL: the checks of a batch, made by the guarded updates
    /// themselves as they run.
    pub(crate) fn postgres() -> Checks {
        Checks {
            backend: Backend::Postgres,
            versions: HashMap::new(),
            keys: HashMap::new(),
        }
    }

    /// SQLite: opens the batch's transaction on the writer's connection
    /// and reads the versions of every case the changes update and the
    /// ledger's stored size and root, in one statement.
    pub(crate) fn open_sqlite(
        conn: &rusqlite::Connection,
        changes: &[&Change],
    ) -> Result<(Checks, ledger::Stored), StoreError> {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let ids = updated(changes);
        let list = vec!["?"; ids.len()].join(",");
        // The ledger's state rides along as a row whose id is LEDGER_ROW
        // and its root (case ids are UUIDs).
        let cases = if ids.is_empty() {
            String::new()
        } else {
            format!("SELECT id, version FROM cases WHERE id IN ({list}) UNION ALL ")
        };
        let sql = format!(
            "{cases}SELECT '{LEDGER_ROW}' || COALESCE(root, '') AS id, size AS version FROM ledger_state WHERE id = 1"
        );
        let mut statement = conn.prepare_cached(&sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(&ids))?;
        let mut versions = HashMap::new();
        let mut stored = None;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let v = u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
            match id.strip_prefix(LEDGER_ROW) {
                Some(root) => {
                    stored = Some(ledger::Stored {
                        size: v,
                        root: Some(root.to_owned()).filter(|r| !r.is_empty()),
                    });
                }
                None => {
                    versions.insert(id, v);
                }
            }
        }
        let stored =
            stored.ok_or_else(|| StoreError::Corrupt("the ledger has no state row".into()))?;
        let checks = Checks {
            backend: Backend::Sqlite,
            versions,
            keys: HashMap::new(),
        };
        Ok((checks, stored))
    }

    /// Whether `case` may move from `expected`: on PostgreSQL by the
    /// guarded update, run now; on SQLite by the versions followed in
    /// memory, its update added to the script. `Err` holds the version
    /// found instead.
    async fn advance(
        &mut self,
        conn: &mut AnyConnection,
        script: &mut Script,
        case: &Case,
        snapshot: &str,
        expected: u64,
        now_ms: i64,
    ) -> Result<Result<(), u64>, StoreError> {
        let (sql, params) = update_case_row(case, snapshot, expected, now_ms);
        if self.backend == Backend::Postgres {
            let q = crate::script::bind(sqlx::query(sql), params);
            if q.execute(&mut *conn).await?.rows_affected() == 1 {
                return Ok(Ok(()));
            }
            let actual: Option<(i64,)> = sqlx::query_as("SELECT version FROM cases WHERE id = $1")
                .bind(case.id.to_string())
                .fetch_optional(&mut *conn)
                .await?;
            return Ok(Err(actual.map_or(0, |(v,)| u64::try_from(v).unwrap_or(0))));
        }
        let id = case.id.to_string();
        let stored = self.versions.get(&id).copied().unwrap_or(0);
        if stored != expected {
            return Ok(Err(stored));
        }
        self.versions.insert(id, case.version);
        script.push(sql, params, 1);
        Ok(Ok(()))
    }

    /// The case an earlier change of this batch or an earlier request
    /// created with `key`, if any.
    async fn existing(
        &self,
        conn: &mut AnyConnection,
        key: &IdempotencyKey,
    ) -> Result<Option<CaseId>, StoreError> {
        match self.keys.get(&(key.scope.clone(), key.key.clone())) {
            Some((hash, _)) if *hash != key.request_hash => Err(StoreError::IdempotencyMismatch {
                key: key.key.clone(),
            }),
            Some((_, case)) => Ok(Some(*case)),
            // SQLite: a key used by an earlier batch fails the script on
            // the key's unique index, and the writer then answers that
            // change alone, looking the key up. A new key, the common
            // case, so costs no read.
            None if self.backend == Backend::Sqlite => Ok(None),
            None => idempotent_case(&mut *conn, key).await,
        }
    }
}

/// The ids of the cases `changes` update.
fn updated(changes: &[&Change]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Update { case, .. } => Some(case.id.to_string()),
            Change::Insert { .. } => None,
        })
        .collect()
}

/// Checks one change and adds its rows to the batch's script. A change
/// that does not apply is refused and adds nothing; an error aborts the
/// whole transaction.
pub(crate) async fn apply(
    conn: &mut AnyConnection,
    checks: &mut Checks,
    script: &mut Script,
    change: &Change,
    now_ms: i64,
) -> Result<Outcome, StoreError> {
    match change {
        Change::Insert {
            case,
            snapshot,
            owner,
            outbox,
            idempotency,
        } => {
            if let Some(key) = idempotency {
                match checks.existing(conn, key).await {
                    Ok(Some(existing)) => return Ok(Outcome::Existing(existing)),
                    Ok(None) => {}
                    Err(e @ StoreError::IdempotencyMismatch { .. }) => {
                        return Ok(Outcome::Refused(e));
                    }
                    Err(e) => return Err(e),
                }
            }
            insert_case_row(script, case, snapshot, owner, now_ms);
            insert_tasks(script, case, now_ms);
            outbox::insert(script, outbox, now_ms);
            if let Some(key) = idempotency {
                script.push(
                    "INSERT INTO idempotency (owner, idem_key, request_hash, case_id, created_ms) VALUES ($1, $2, $3, $4, $5)",
                    vec![
                        key.scope.as_str().into(),
                        key.key.as_str().into(),
                        key.request_hash.as_str().into(),
                        case.id.to_string().into(),
                        now_ms.into(),
                    ],
                    1,
                );
                checks.keys.insert(
                    (key.scope.clone(), key.key.clone()),
                    (key.request_hash.clone(), case.id),
                );
            }
            Ok(Outcome::Written)
        }
        Change::Update {
            case,
            snapshot,
            expected_version,
            tasks,
            outbox,
            certificates,
        } => {
            let expected = *expected_version;
            if let Err(actual) = checks
                .advance(conn, script, case, snapshot, expected, now_ms)
                .await?
            {
                return Ok(Outcome::Refused(StoreError::VersionConflict {
                    case: case.id.to_string(),
                    expected,
                    actual,
                }));
            }
            for row in tasks {
                script.push(UPDATE_TASK, row.clone(), 1);
            }
            outbox::insert(script, outbox, now_ms);
            crate::certificates::insert(
                script,
                checks.backend,
                &case.id.to_string(),
                certificates,
                now_ms,
            );
            Ok(Outcome::Written)
        }
    }
}

/// The update that moves the case row to its new version, guarded by the
/// version it was computed from.
fn update_case_row(
    case: &Case,
    snapshot: &str,
    expected: u64,
    now_ms: i64,
) -> (&'static str, Vec<Value>) {
    (
        "UPDATE cases SET version = $1, state = $2, trips = $3, deadline = $4, rating = $5, snapshot = $6, updated_ms = $7, checked_on = NULL WHERE id = $8 AND version = $9",
        vec![
            u64_of(case.version).into(),
            case.state.as_str().into(),
            i64::from(case.trips).into(),
            date(case.deadline).into(),
            case.rating.as_ref().map(|r| i64::from(r.score())).into(),
            snapshot.into(),
            now_ms.into(),
            case.id.to_string().into(),
            u64_of(expected).into(),
        ],
    )
}

fn insert_case_row(script: &mut Script, case: &Case, snapshot: &str, owner: &str, now_ms: i64) {
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
    script.push(
        "INSERT INTO cases (id, version, state, target, owner, subject, region, window_code, channel, planned_trips, trips, submitted_on, deadline, rating, snapshot, created_ms, updated_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, $14, $15, $16)",
        vec![
            case.id.to_string().into(),
            u64_of(case.version).into(),
            case.state.as_str().into(),
            target.into(),
            owner.into(),
            subject.into(),
            case.subject.region().to_string().into(),
            window.into(),
            channel.into(),
            i64::from(case.planned_trips).into(),
            i64::from(case.trips).into(),
            case.submitted_on.to_string().into(),
            date(case.deadline).into(),
            snapshot.into(),
            now_ms.into(),
            now_ms.into(),
        ],
        1,
    );
}

fn insert_tasks(script: &mut Script, case: &Case, now_ms: i64) {
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
            ]
            .into_iter()
            .chain(progress(t, now_ms))
            .collect()
        })
        .collect();
    script.insert_rows(
        "tasks (id, case_id, matter, department, region, stage, state, flag, opened_on, deadline, decided_on, updated_ms)",
        rows,
    );
}

/// A task's columns that change as it moves: state, flag, opened_on,
/// deadline, decided_on, updated_ms.
fn progress(t: &yici_core::case::Task, now_ms: i64) -> [Value; 6] {
    [
        t.state.as_str().into(),
        t.flag.as_str().into(),
        date(t.opened_on).into(),
        date(t.deadline).into(),
        date(t.decided_on).into(),
        now_ms.into(),
    ]
}

const UPDATE_TASK: &str = "UPDATE tasks SET state = $1, flag = $2, opened_on = $3, deadline = $4, decided_on = $5, updated_ms = $6 WHERE id = $7";

/// The `UPDATE tasks` parameters of the tasks of `case` that differ from
/// `previous` (all of them without it).
pub(crate) fn changed_tasks(case: &Case, previous: Option<&Case>, now_ms: i64) -> Vec<Vec<Value>> {
    case.tasks
        .iter()
        .filter(|t| {
            !previous
                .and_then(|p| p.tasks.iter().find(|old| old.id == t.id))
                .is_some_and(|old| old == *t)
        })
        .map(|t| {
            progress(t, now_ms)
                .into_iter()
                .chain([t.id.to_string().into()])
                .collect()
        })
        .collect()
}

/// Adds the inserts of event rows, from their prepared records, to a script.
pub(crate) fn insert_event_records(script: &mut Script, records: &[&Prepared]) {
    let rows: Vec<Vec<Value>> = records
        .iter()
        .map(|p| {
            let r = &p.record;
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
                p.data.as_str().into(),
            ]
        })
        .collect();
    script.insert_rows(
        "case_events (case_id, seq, idx, kind, actor, role, at_ms, on_date, from_state, to_state, data)",
        rows,
    );
}
