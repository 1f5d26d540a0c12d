//! Refunds: asked for in the transaction that finds them owed (a fee paid
//! twice, a case closed after its payment) or by the sweep over closed
//! cases; submitted to the provider by the worker; done when the
//! provider's refund notice arrives.

use sqlx::Row;

use crate::Store;
use crate::error::StoreError;

/// A refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// Id (the provider sees it as the refund number).
    pub id: String,
    /// The order refunded.
    pub order_id: String,
    /// Amount (fen).
    pub amount_fen: i64,
    /// `double_payment`, `case_closed` or `provider`.
    pub reason: String,
    /// `requested`, `submitted` or `refunded`.
    pub state: String,
    /// Asked for (ms).
    pub requested_ms: i64,
}

const COLUMNS: &str = "id, order_id, amount_fen, reason, state, requested_ms";

fn refund(r: &sqlx::any::AnyRow) -> Result<Refund, StoreError> {
    Ok(Refund {
        id: r.try_get("id")?,
        order_id: r.try_get("order_id")?,
        amount_fen: r.try_get("amount_fen")?,
        reason: r.try_get("reason")?,
        state: r.try_get("state")?,
        requested_ms: r.try_get("requested_ms")?,
    })
}

impl Store {
    /// Asks for a refund of every paid order of a case that was rejected
    /// or withdrawn and has none yet; how many it asked for.
    pub async fn request_refunds_for_closed_cases(
        &self,
        now_ms: i64,
        batch: u32,
    ) -> Result<u64, StoreError> {
        // Most passes find nothing: look first, so that they write nothing.
        let any = sqlx::query(
            "SELECT 1 AS one FROM payment_orders o JOIN cases c ON c.id = o.case_id \
             WHERE o.state = 'paid' AND c.state IN ('rejected', 'withdrawn') \
             AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) LIMIT 1",
        )
        .fetch_optional(&self.pools.read)
        .await?;
        if any.is_none() {
            return Ok(0);
        }
        let mut tx = self.pools.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO refunds (id, order_id, amount_fen, reason, state, requested_ms) \
             SELECT 'r-' || o.id, o.id, o.amount_fen, 'case_closed', 'requested', $1 \
             FROM payment_orders o JOIN cases c ON c.id = o.case_id \
             WHERE o.state = 'paid' AND c.state IN ('rejected', 'withdrawn') \
             AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) \
             ORDER BY o.paid_ms LIMIT $2 \
             ON CONFLICT (order_id) DO NOTHING",
        )
        .bind(now_ms)
        .bind(i64::from(batch))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Refunds asked for and not yet submitted, oldest first.
    pub async fn refunds_to_submit(&self, batch: u32) -> Result<Vec<Refund>, StoreError> {
        // A counter payment's refund is handed back at the counter, not
        // submitted to a provider.
        let sql = format!(
            "SELECT {COLUMNS} FROM refunds WHERE state = 'requested' \
             AND order_id NOT IN (SELECT id FROM payment_orders WHERE provider = $1) \
             ORDER BY requested_ms, id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(super::COUNTER)
            .bind(i64::from(batch))
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(refund).collect()
    }

    /// Marks a refund submitted to the provider (it may be done already
    /// if the provider's notice was quicker).
    pub async fn refund_submitted(&self, id: &str, now_ms: i64) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        sqlx::query(
            "UPDATE refunds SET state = 'submitted', submitted_ms = $1 WHERE id = $2 AND state = 'requested'",
        )
        .bind(now_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The refund of an order, if any.
    pub async fn refund_of(&self, order: &str) -> Result<Option<Refund>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM refunds WHERE order_id = $1");
        let row = sqlx::query(&sql)
            .bind(order)
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(refund).transpose()
    }
}
