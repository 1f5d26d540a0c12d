//! The sandbox provider's books: its orders and the notices it owes yici.
//! Paying or refunding changes the order and queues its notice in one
//! transaction, as a real provider's system would, so a notice is never
//! lost however the delivery fails.

use sqlx::Row;

use crate::Store;
use crate::alongside::Alongside;
use crate::error::StoreError;
use crate::sql::rows::Columns;

/// An order at the sandbox provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxOrder {
    /// The provider's transaction id.
    pub transaction_id: String,
    /// yici's order id.
    pub merchant_order: String,
    /// Amount (fen).
    pub amount_fen: i64,
    /// What is paid for.
    pub description: String,
    /// `pending`, `paid`, `refunded` or `closed`.
    pub state: String,
    /// Where the payer's browser goes back to.
    pub return_url: String,
    /// Created (ms).
    pub created_ms: i64,
    /// Paid (ms).
    pub paid_ms: Option<i64>,
    /// The refund's id.
    pub refund_id: Option<String>,
}

/// A move of a sandbox order: paid, or refunded.
#[derive(Debug, Clone, Copy)]
pub struct SandboxMove<'a> {
    /// The order's transaction id.
    pub transaction: &'a str,
    /// The state it must be in.
    pub from: &'a str,
    /// The state it moves to.
    pub to: &'a str,
    /// The refund's id, for a refund.
    pub refund_id: Option<&'a str>,
    /// The id of the notice queued.
    pub notice_id: &'a str,
    /// Now (ms).
    pub now_ms: i64,
}

/// A notice the sandbox owes yici.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxNotice {
    /// Id.
    pub id: String,
    /// The JSON body.
    pub body: String,
    /// Deliveries tried.
    pub attempts: i64,
}

const COLUMNS: &str = "transaction_id, merchant_order, amount_fen, description, state, return_url, created_ms, paid_ms, refund_id";

fn sandbox_order(r: &dyn Columns) -> Result<SandboxOrder, StoreError> {
    Ok(SandboxOrder {
        transaction_id: r.text("transaction_id")?,
        merchant_order: r.text("merchant_order")?,
        amount_fen: r.int("amount_fen")?,
        description: r.text("description")?,
        state: r.text("state")?,
        return_url: r.text("return_url")?,
        created_ms: r.int("created_ms")?,
        paid_ms: r.opt_int("paid_ms")?,
        refund_id: r.opt_text("refund_id")?,
    })
}

impl Store {
    /// Opens an order at the sandbox, or finds the one already opened for
    /// the same merchant order.
    pub async fn sandbox_open(&self, o: &SandboxOrder) -> Result<SandboxOrder, StoreError> {
        let insert = Alongside(vec![(
            "INSERT INTO sandbox_orders (transaction_id, merchant_order, amount_fen, description, state, return_url, created_ms) \
             VALUES ($1, $2, $3, $4, 'pending', $5, $6)"
                .to_owned(),
            vec![
                o.transaction_id.as_str().into(),
                o.merchant_order.as_str().into(),
                o.amount_fen.into(),
                o.description.as_str().into(),
                o.return_url.as_str().into(),
                o.created_ms.into(),
            ],
            1,
        )]);
        match self.write_rows(insert).await {
            Ok(()) => {}
            // Opened for the same order before: that one stands.
            Err(e) if e.is_unique_violation() => {}
            Err(e) => return Err(e),
        }
        self.sandbox_by_merchant(&o.merchant_order)
            .await?
            .ok_or_else(|| {
                StoreError::Corrupt(format!("sandbox order {} vanished", o.merchant_order))
            })
    }

    /// A sandbox order by its transaction id.
    pub async fn sandbox_order(
        &self,
        transaction: &str,
    ) -> Result<Option<SandboxOrder>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM sandbox_orders WHERE transaction_id = $1");
        self.hot_row(&sql, &[transaction.to_owned()], sandbox_order)
            .await
    }

    /// A sandbox order by yici's order id.
    pub async fn sandbox_by_merchant(
        &self,
        merchant: &str,
    ) -> Result<Option<SandboxOrder>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM sandbox_orders WHERE merchant_order = $1");
        self.hot_row(&sql, &[merchant.to_owned()], sandbox_order)
            .await
    }

    /// Makes the move `m` and queues the notice whose body `notice` makes
    /// of the moved order (given when it was paid); whether it moved.
    pub async fn sandbox_move(
        &self,
        m: &SandboxMove<'_>,
        notice: impl FnOnce(i64) -> String,
    ) -> Result<bool, StoreError> {
        let SandboxMove {
            transaction,
            from,
            to,
            refund_id,
            notice_id,
            now_ms,
        } = *m;
        // The paid time the notice tells is now for a payment, else the
        // order's own; read first, and the move guarded by the state read.
        let Some(order) = self.sandbox_order(transaction).await? else {
            return Ok(false);
        };
        if order.state != from {
            return Ok(false);
        }
        let paid_ms = if to == "paid" {
            now_ms
        } else {
            order.paid_ms.unwrap_or(now_ms)
        };
        let rows = Alongside(vec![
            (
                "UPDATE sandbox_orders SET state = $1, \
                 paid_ms = CASE WHEN $2 = 'paid' THEN $3 ELSE paid_ms END, \
                 refund_id = COALESCE($4, refund_id), \
                 refunded_ms = CASE WHEN $5 = 'refunded' THEN $6 ELSE refunded_ms END \
                 WHERE transaction_id = $7 AND state = $8"
                    .to_owned(),
                vec![
                    to.into(),
                    to.into(),
                    now_ms.into(),
                    refund_id.map(str::to_owned).into(),
                    to.into(),
                    now_ms.into(),
                    transaction.into(),
                    from.into(),
                ],
                1,
            ),
            (
                "INSERT INTO sandbox_notices (id, transaction_id, body, attempts, next_ms) VALUES ($1, $2, $3, 0, $4)"
                    .to_owned(),
                vec![
                    notice_id.into(),
                    transaction.into(),
                    notice(paid_ms).into(),
                    now_ms.into(),
                ],
                1,
            ),
        ]);
        match self.write_rows(rows).await {
            Ok(()) => Ok(true),
            // Moved by another request since it was read.
            Err(StoreError::RowsChanged { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Notices due for delivery, oldest first.
    pub async fn sandbox_notices_due(
        &self,
        now_ms: i64,
        batch: u32,
    ) -> Result<Vec<SandboxNotice>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, body, attempts FROM sandbox_notices WHERE delivered_ms IS NULL AND next_ms <= $1 ORDER BY next_ms, id LIMIT $2",
        )
        .bind(now_ms)
        .bind(i64::from(batch))
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SandboxNotice {
                    id: r.try_get("id")?,
                    body: r.try_get("body")?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// Records a delivery attempt: delivered, or tried again at `next_ms`.
    pub async fn sandbox_notice_tried(
        &self,
        id: &str,
        delivered: bool,
        error: Option<&str>,
        next_ms: i64,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        sqlx::query(
            "UPDATE sandbox_notices SET attempts = attempts + 1, last_error = $1, next_ms = $2, \
             delivered_ms = CASE WHEN $3 = 1 THEN $4 ELSE NULL END WHERE id = $5 AND delivered_ms IS NULL",
        )
        .bind(error)
        .bind(next_ms)
        .bind(i64::from(delivered))
        .bind(now_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
