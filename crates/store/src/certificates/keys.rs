//! Departments' sealing keys: the current one signs, retired ones keep
//! only their public half for verification. Nothing else in the store
//! uses them.

use sqlx::Row;

use crate::Store;
use crate::error::{StoreError, is_unique_violation};

/// A department's sealing key. Retired keys keep only their public half.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealKey {
    /// Key id (RFC 7638 thumbprint).
    pub kid: String,
    /// Hex seed of the private key; `None` once retired.
    pub seed: Option<String>,
    /// Hex public key.
    pub public_key: String,
    /// Whether it signs new certificates.
    pub current: bool,
}

impl Store {
    /// A department's keys, current first.
    pub async fn seal_keys(&self, department: &str) -> Result<Vec<SealKey>, StoreError> {
        let rows = sqlx::query("SELECT kid, seed, public_key, is_current FROM seal_keys WHERE department = $1 ORDER BY is_current DESC, created_ms DESC")
            .bind(department)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SealKey {
                    kid: r.try_get("kid")?,
                    seed: r.try_get("seed")?,
                    public_key: r.try_get("public_key")?,
                    current: r.try_get::<i64, _>("is_current")? == 1,
                })
            })
            .collect()
    }

    /// Makes `key` the department's current key; the previous current key is
    /// retired and its private half erased. Of two rotations of one
    /// department at the same moment (on PostgreSQL, from two servers) one
    /// wins and the other is [`StoreError::Duplicate`]: a department never
    /// has two current keys.
    pub async fn rotate_seal_key(
        &self,
        department: &str,
        key: &SealKey,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        sqlx::query("UPDATE seal_keys SET is_current = 0, seed = NULL WHERE department = $1 AND is_current = 1")
            .bind(department)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO seal_keys (department, kid, seed, public_key, is_current, created_ms) VALUES ($1, $2, $3, $4, 1, $5)")
            .bind(department)
            .bind(&key.kid)
            .bind(&key.seed)
            .bind(&key.public_key)
            .bind(now_ms)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Duplicate {
                        what: "current seal key of department",
                        value: department.to_owned(),
                    }
                } else {
                    e.into()
                }
            })?;
        tx.commit().await?;
        Ok(())
    }
}
