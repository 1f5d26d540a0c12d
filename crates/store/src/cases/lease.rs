//! Leasing cases to the deadline worker, safe on several servers at once:
//! the cases' own table, so with the cases.

use sqlx::Row;

use crate::Store;
use crate::cases::read::{StoredCase, stored_case};
use crate::error::StoreError;
use crate::sql::backend::Backend;

impl Store {
    /// Leases up to `limit` cases that have an open task and were not
    /// checked on `today`, to `owner` until `now_ms + lease_ms`. Deadline
    /// cards depend only on the day, so each case needs one check a day and
    /// again after each change (a change clears `checked_on`). On
    /// PostgreSQL `FOR UPDATE SKIP LOCKED` hands each case to one worker;
    /// SQLite has one writer.
    pub async fn lease_deadline_checks(
        &self,
        owner: &str,
        today: &str,
        limit: u32,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<Vec<StoredCase>, StoreError> {
        let lock = match self.pools.backend {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE cases SET lease_owner = $1, lease_until_ms = $2 WHERE id IN (
                SELECT id FROM cases
                WHERE (checked_on IS NULL OR checked_on < $3)
                  AND (lease_until_ms IS NULL OR lease_until_ms < $4)
                  AND id IN (SELECT case_id FROM tasks WHERE state = 'open')
                ORDER BY id LIMIT $5 {lock})
             RETURNING owner, snapshot"
        );
        let rows = sqlx::query(&sql)
            .bind(owner)
            .bind(now_ms + lease_ms)
            .bind(today)
            .bind(now_ms)
            .bind(i64::from(limit))
            .fetch_all(&self.pools.write)
            .await?;
        rows.iter().map(|r| stored_case(r)).collect()
    }

    /// Frees `owner`'s lease on a case and, when the case is still at
    /// `version`, records that its deadlines were checked on `today`. A case
    /// that changed since it was leased stays unchecked (its change cleared
    /// the mark) and, its lease freed, is leased again at once instead of
    /// waiting for the lease to run out.
    pub async fn deadline_checked(
        &self,
        id: &str,
        owner: &str,
        version: u64,
        today: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE cases SET checked_on = CASE WHEN version = $1 THEN $2 ELSE checked_on END, \
             lease_owner = NULL, lease_until_ms = NULL WHERE id = $3 AND lease_owner = $4",
        )
        .bind(i64::try_from(version).unwrap_or(i64::MAX))
        .bind(today)
        .bind(id)
        .bind(owner)
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }

    /// Number of cases still needing a deadline check on `today`.
    pub async fn deadline_checks_due(&self, today: &str) -> Result<u64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM cases WHERE (checked_on IS NULL OR checked_on < $1) AND id IN (SELECT case_id FROM tasks WHERE state = 'open')",
        )
        .bind(today)
        .fetch_one(&self.pools.read)
        .await?;
        Ok(u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0))
    }
}
