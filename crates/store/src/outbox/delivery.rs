//! The outbox's messages as they are written and delivered: the rows a
//! change adds to its transaction, and the delivery worker's lease,
//! delivery, failed attempt and dead letter.

use sqlx::Row;

use crate::Store;
use crate::error::StoreError;
use crate::sql::backend::Backend;
use crate::sql::script::Script;
use crate::sql::value::Value;

/// A message waiting for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Id (also the CloudEvents `id`).
    pub id: String,
    /// Kind of message, e.g. `task.opened`.
    pub topic: String,
    /// Where it goes, e.g. a department code whose webhook receives it.
    pub destination: String,
    /// The body, JSON.
    pub payload: String,
    /// Delivery attempts so far.
    pub attempts: u32,
}

impl Store {
    /// Leases up to `limit` due messages to `owner` for `lease_ms`. Each
    /// message is leased by one worker at a time, on any number of servers:
    /// PostgreSQL skips rows another transaction holds (`FOR UPDATE SKIP
    /// LOCKED`); SQLite has a single writer.
    pub async fn lease_outbox(
        &self,
        owner: &str,
        now_ms: i64,
        limit: u32,
        lease_ms: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let lock = match self.pools.backend {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET lease_owner = $1, lease_until_ms = $2 WHERE id IN (
                SELECT id FROM outbox
                WHERE delivered_ms IS NULL AND dead_ms IS NULL AND next_attempt_ms <= $3
                  AND (lease_until_ms IS NULL OR lease_until_ms < $3)
                ORDER BY next_attempt_ms LIMIT $4 {lock})
             RETURNING id, topic, destination, payload, attempts"
        );
        let rows = sqlx::query(&sql)
            .bind(owner)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .bind(i64::from(limit))
            .fetch_all(&self.pools.write)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxMessage {
                    id: r.try_get("id")?,
                    topic: r.try_get("topic")?,
                    destination: r.try_get("destination")?,
                    payload: r.try_get("payload")?,
                    attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    /// Records a delivery.
    pub async fn outbox_delivered(&self, id: &str, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET delivered_ms = $1, attempts = attempts + 1, lease_owner = NULL, lease_until_ms = NULL WHERE id = $2",
        )
        .bind(now_ms)
        .bind(id)
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }

    /// Records a failed attempt and when to try again.
    pub async fn outbox_failed(
        &self,
        id: &str,
        next_attempt_ms: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = $1, last_error = $2, lease_owner = NULL, lease_until_ms = NULL WHERE id = $3",
        )
        .bind(next_attempt_ms)
        .bind(error)
        .bind(id)
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }

    /// Records a failed last attempt: the message is set aside as a dead
    /// letter and no worker leases it again until an admin retries it.
    pub async fn outbox_dead(&self, id: &str, now_ms: i64, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, dead_ms = $1, last_error = $2, lease_owner = NULL, lease_until_ms = NULL WHERE id = $3",
        )
        .bind(now_ms)
        .bind(error)
        .bind(id)
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }
}

/// Adds the inserts of `messages` to a batch's script.
pub(crate) fn insert(script: &mut Script, messages: &[OutboxMessage], now_ms: i64) {
    let rows: Vec<Vec<Value>> = messages
        .iter()
        .map(|m| {
            vec![
                m.id.as_str().into(),
                m.topic.as_str().into(),
                m.destination.as_str().into(),
                m.payload.as_str().into(),
                0.into(),
                now_ms.into(),
                now_ms.into(),
            ]
        })
        .collect();
    script.insert_rows(
        "outbox (id, topic, destination, payload, attempts, next_attempt_ms, created_ms)",
        rows,
    );
}
