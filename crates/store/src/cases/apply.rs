//! Applying a change of a case inside the writer's batch: checked first,
//! then its rows (`rows.rs`) and those of its outbox messages and
//! certificates gathered into the batch's script.
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

use sqlx::{Any, Row};

use crate::alongside::Alongside;
use crate::cases::change::Change;
use crate::cases::rows::{UPDATE_TASK, insert_case_row, insert_tasks, update_case_row};
use crate::certificates;
use crate::error::StoreError;
use crate::ledger::append::Stored;
use crate::outbox;
use crate::sql::backend::Backend;
use crate::sql::script::Script;
use crate::vocabulary::{IdempotencyKey, Outcome};

/// The id the ledger's state row is read under in [`Checks::sqlite`],
/// followed by its root.
const LEDGER_ROW: &str = "ledger:";

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

    /// SQLite: reads, in the batch's transaction on the writer's
    /// connection, the versions of every case the changes update and the
    /// ledger's stored size and root, in one statement.
    pub(crate) fn sqlite(
        conn: &rusqlite::Connection,
        changes: &[&Change],
    ) -> Result<(Checks, Stored), StoreError> {
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
                    stored = Some(Stored {
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
            let q = crate::sql::value::bind(sqlx::query(sql), params);
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
            Change::Insert { .. } | Change::Rows(_) => None,
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
            alongside,
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
            certificates::insert(
                script,
                checks.backend,
                &case.id.to_string(),
                certificates,
                now_ms,
            );
            push_rows(script, alongside);
            Ok(Outcome::Written)
        }
        Change::Rows(rows) => {
            push_rows(script, rows);
            Ok(Outcome::Written)
        }
    }
}

/// Adds another aggregate's rows to the script, each statement changing
/// the rows it says (the script's count is checked as a whole; a batch
/// that fails it is written again change by change, which finds the one).
fn push_rows(script: &mut Script, rows: &Alongside) {
    for (sql, params, n) in &rows.0 {
        script.push(sql.clone(), params.clone(), *n);
    }
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
