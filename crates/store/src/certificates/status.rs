//! The certificates' status lists: indexes reserved before signing, and
//! each certificate's status (valid, revoked, suspended) read and changed,
//! a change with its side event in the case's history and the ledger.

use std::collections::HashMap;

use sqlx::Row;

use crate::Store;
use crate::error::StoreError;
use crate::vocabulary::SideEvent;

impl Store {
    /// Reserves `count` consecutive indexes of `department`'s status list
    /// and returns the first. See [`Store::reserve_status_indexes_of`].
    pub async fn reserve_status_indexes(
        &self,
        department: &str,
        count: u64,
    ) -> Result<u64, StoreError> {
        let first = self
            .reserve_status_indexes_of(&[(department, count)])
            .await?;
        first
            .get(department)
            .copied()
            .ok_or_else(|| StoreError::Corrupt(format!("no status index for {department}")))
    }

    /// Reserves, for each `(department, count)`, `count` consecutive indexes
    /// of the department's status list, and returns the first of each, in
    /// one statement. Reserved before the certificates are signed (the index
    /// is inside what is signed), outside the case's write so that signing
    /// happens beside the request; an index reserved for a write that then
    /// fails stays unused, which a status list allows.
    pub async fn reserve_status_indexes_of(
        &self,
        wanted: &[(&str, u64)],
    ) -> Result<HashMap<String, u64>, StoreError> {
        // One row per department: an upsert may not touch a row twice.
        let mut counts: Vec<(&str, i64)> = Vec::new();
        for (department, count) in wanted {
            let count = i64::try_from(*count).unwrap_or(i64::MAX);
            match counts.iter_mut().find(|(d, _)| d == department) {
                Some((_, n)) => *n += count,
                None => counts.push((department, count)),
            }
        }
        if counts.is_empty() {
            return Ok(HashMap::new());
        }
        // The first reservation of a department starts after the indexes
        // its certificates already use (databases older than the counter).
        let rows = (0..counts.len())
            .map(|i| {
                let (d, n) = (2 * i + 1, 2 * i + 2);
                format!("(${d}, (SELECT COALESCE(MAX(status_idx), -1) + 1 FROM certificates WHERE department = ${d}) + ${n})")
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO status_counters (department, next_idx) VALUES {rows}
             ON CONFLICT (department) DO UPDATE SET next_idx = status_counters.next_idx + excluded.next_idx
                 - (SELECT COALESCE(MAX(status_idx), -1) + 1 FROM certificates WHERE department = excluded.department)
             RETURNING department, next_idx"
        );
        let q = counts
            .iter()
            .fold(sqlx::query(&sql), |q, (d, n)| q.bind(*d).bind(*n));
        let mut first = HashMap::new();
        for r in q.fetch_all(&self.pools.write).await? {
            let department: String = r.try_get("department")?;
            let next: i64 = r.try_get("next_idx")?;
            let count = counts
                .iter()
                .find(|(d, _)| *d == department)
                .map_or(0, |(_, n)| *n);
            first.insert(department, u64::try_from(next - count).unwrap_or(0));
        }
        Ok(first)
    }

    /// The status of every certificate of a department, by index.
    pub async fn status_values(&self, department: &str) -> Result<Vec<(u64, u8)>, StoreError> {
        let rows = sqlx::query("SELECT status_idx, status_value FROM certificates WHERE department = $1 ORDER BY status_idx")
            .bind(department)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    u64::try_from(r.try_get::<i64, _>(0)?).unwrap_or(0),
                    u8::try_from(r.try_get::<i64, _>(1)?).unwrap_or(0),
                ))
            })
            .collect()
    }

    /// The status value of the certificate at `idx` of a department's status
    /// list, read from its row (the `(department, status_idx)` unique index):
    /// what verification needs, without the department's whole list.
    pub async fn certificate_status(
        &self,
        department: &str,
        idx: u64,
    ) -> Result<Option<u8>, StoreError> {
        let Ok(idx) = i64::try_from(idx) else {
            return Ok(None);
        };
        let row = sqlx::query(
            "SELECT status_value FROM certificates WHERE department = $1 AND status_idx = $2",
        )
        .bind(department)
        .bind(idx)
        .fetch_optional(&self.pools.read)
        .await?;
        row.map(|r| Ok(u8::try_from(r.try_get::<i64, _>(0)?).unwrap_or(u8::MAX)))
            .transpose()
    }

    /// Changes a certificate's status, with its event in the case's history
    /// and the ledger, in one transaction.
    pub async fn set_certificate_status(
        &self,
        id: &str,
        value: u8,
        event: SideEvent,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        let case_id: String = sqlx::query("SELECT case_id FROM certificates WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        sqlx::query("UPDATE certificates SET status_value = $1 WHERE id = $2")
            .bind(i64::from(value))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.side_event(&mut tx, &case_id, event, now_ms).await?;
        tx.commit().await?;
        Ok(())
    }
}
