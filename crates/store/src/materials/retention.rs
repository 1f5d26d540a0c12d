//! Retention of a closed case's documents (保管期限): when a closed case
//! with files may have them deleted, and the deletion itself, each file's
//! with its `material_deleted` event in one transaction. The row and its
//! SHA-256 stay; only the sealed content goes (by the caller, once no live
//! file uses it).

use sqlx::Row;

use super::files::{COLUMNS, MaterialFile, file};
use crate::Store;
use crate::error::StoreError;
use crate::vocabulary::SideEvent;

/// A closed case with files whose retention is not yet set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedCase {
    /// The case.
    pub case_id: String,
    /// Its last change once closed (ms): when its retention starts.
    pub closed_ms: i64,
}

/// When a closed case's documents may be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    /// The case.
    pub case_id: String,
    /// When it closed (ms).
    pub closed_ms: i64,
    /// The longest retention of its matters; `None`: permanently.
    pub years: Option<u16>,
    /// From when (ms); `None`: never.
    pub delete_after_ms: Option<i64>,
}

/// The states in which handling is over (see `CaseState::is_closed`).
const CLOSED: &str = "('rejected', 'withdrawn', 'delivered', 'rated')";

impl Store {
    /// Closed cases that have files and no retention yet, oldest first, at
    /// most `limit`.
    pub async fn closed_cases_without_retention(
        &self,
        limit: u32,
    ) -> Result<Vec<ClosedCase>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT c.id, c.updated_ms FROM cases c \
             WHERE c.state IN {CLOSED} \
             AND EXISTS (SELECT 1 FROM material_files f WHERE f.case_id = c.id) \
             AND NOT EXISTS (SELECT 1 FROM case_retention r WHERE r.case_id = c.id) \
             ORDER BY c.updated_ms, c.id LIMIT {limit}"
        ))
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ClosedCase {
                    case_id: r.try_get("id")?,
                    closed_ms: r.try_get("updated_ms")?,
                })
            })
            .collect()
    }

    /// Sets a closed case's retention; a second worker setting the same
    /// case changes nothing.
    pub async fn set_retention(&self, r: &Retention) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO case_retention (case_id, closed_ms, retention_years, delete_after_ms) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (case_id) DO NOTHING",
        )
        .bind(&r.case_id)
        .bind(r.closed_ms)
        .bind(r.years.map(i64::from))
        .bind(r.delete_after_ms)
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }

    /// A case's retention, once set.
    pub async fn retention(&self, case_id: &str) -> Result<Option<Retention>, StoreError> {
        let row = sqlx::query(
            "SELECT case_id, closed_ms, retention_years, delete_after_ms FROM case_retention WHERE case_id = $1",
        )
        .bind(case_id)
        .fetch_optional(&self.pools.read)
        .await?;
        row.map(|r| {
            let years: Option<i64> = r.try_get("retention_years")?;
            Ok(Retention {
                case_id: r.try_get("case_id")?,
                closed_ms: r.try_get("closed_ms")?,
                years: years.and_then(|y| u16::try_from(y).ok()),
                delete_after_ms: r.try_get("delete_after_ms")?,
            })
        })
        .transpose()
    }

    /// Live files whose case's retention ended by `now_ms`, at most `limit`.
    pub async fn files_past_retention(
        &self,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<MaterialFile>, StoreError> {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("f.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {columns} FROM material_files f JOIN case_retention r ON r.case_id = f.case_id \
             WHERE r.delete_after_ms <= $1 AND f.deleted_ms IS NULL \
             ORDER BY r.delete_after_ms, f.id LIMIT {limit}"
        ))
        .bind(now_ms)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(file).collect()
    }

    /// Marks a file deleted with its event, in one transaction; `false`
    /// (and nothing written) when it already was.
    pub async fn delete_file(
        &self,
        f: &MaterialFile,
        at_ms: i64,
        event: SideEvent,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        // The event first: on PostgreSQL it locks the case's row, so a
        // second worker deleting the same file waits and then finds it done.
        self.side_event(&mut tx, &f.case_id, event, at_ms).await?;
        let done = sqlx::query(
            "UPDATE material_files SET deleted_ms = $1 WHERE id = $2 AND deleted_ms IS NULL",
        )
        .bind(at_ms)
        .bind(&f.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// How many live files, of any case, have content `sha256`.
    pub async fn files_with_content(&self, sha256: &str) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) FROM material_files WHERE sha256 = $1 AND deleted_ms IS NULL",
        )
        .bind(sha256)
        .fetch_one(&self.pools.read)
        .await?
        .try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
