//! Writing orders and applying the provider's word to them. A notice is
//! applied in one transaction: its nonce is remembered (a replay finds it
//! and changes nothing), the order moves only from the state it was read
//! in, a payment claims its fees for the case, and a fee someone already
//! paid, or a case closed meanwhile, asks for a refund in the same
//! transaction.

use sqlx::Row;

use crate::Store;
use crate::alongside::Alongside;
use crate::error::{StoreError, is_unique_violation};
use crate::sql::rows::Columns;

/// One fee item of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderItem {
    /// `matter/code`.
    pub fee: String,
    /// Its name, Chinese.
    pub name_zh: String,
    /// Its name, English.
    pub name_en: String,
    /// Units counted.
    pub units: i64,
    /// Amount (fen).
    pub amount_fen: i64,
}

/// An order to write.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// Id (the merchant order number the provider sees).
    pub id: String,
    /// The case it pays for.
    pub case_id: String,
    /// The collecting department.
    pub department: String,
    /// The case's region.
    pub region: String,
    /// The paying account.
    pub payer: String,
    /// The applicant (resident ID or USCC).
    pub subject: String,
    /// The provider's name.
    pub provider: String,
    /// The items; the order's amount is their sum.
    pub items: Vec<OrderItem>,
    /// When (ms).
    pub created_ms: i64,
}

/// An order as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOrder {
    /// Id.
    pub id: String,
    /// Case.
    pub case_id: String,
    /// Collecting department.
    pub department: String,
    /// Case region.
    pub region: String,
    /// Paying account.
    pub payer: String,
    /// Applicant.
    pub subject: String,
    /// Amount (fen).
    pub amount_fen: i64,
    /// Provider.
    pub provider: String,
    /// `pending`, `paid`, `refunded` or `closed`.
    pub state: String,
    /// The provider's transaction id, once known.
    pub transaction_id: Option<String>,
    /// Created (ms).
    pub created_ms: i64,
    /// Paid (ms).
    pub paid_ms: Option<i64>,
    /// Closed (ms).
    pub closed_ms: Option<i64>,
    /// Refunded (ms).
    pub refunded_ms: Option<i64>,
    /// The electronic receipt (SD-JWT VC), once paid.
    pub receipt: Option<String>,
    /// The items.
    pub items: Vec<OrderItem>,
}

/// A move of an order the provider's word asks for.
#[derive(Debug, Clone)]
pub struct Transition {
    /// The order.
    pub order: String,
    /// The state it was read in; the move happens only from there.
    pub from: String,
    /// The state it moves to.
    pub to: String,
    /// The provider's transaction id; `None` when it has none (an order
    /// the provider never heard of, closed).
    pub transaction_id: Option<String>,
    /// When paid (ms), for a move to `paid` or `refunded`.
    pub paid_ms: Option<i64>,
    /// The receipt, for a move that records a payment.
    pub receipt: Option<NewReceipt>,
    /// The nonce of the notice, `None` for the reconciler's query.
    pub nonce: Option<String>,
    /// Now (ms).
    pub now_ms: i64,
}

/// A payment's electronic receipt, kept with the department's
/// certificates: it takes a place in their status list, so it verifies
/// (and could be revoked) like them, and its holder finds it among them.
#[derive(Debug, Clone)]
pub struct NewReceipt {
    /// Id.
    pub id: String,
    /// The collecting department.
    pub department: String,
    /// The matter charged.
    pub matter: String,
    /// The holder (resident ID or USCC).
    pub holder: String,
    /// Its credential type.
    pub vct: String,
    /// Its place in the department's status list.
    pub status_idx: i64,
    /// Issued (ms).
    pub issued_ms: i64,
    /// Verifies until (ms).
    pub expires_ms: i64,
    /// The SD-JWT VC.
    pub sd_jwt: String,
}

/// What a notice or query did, for the log.
#[derive(Debug, Clone)]
pub struct NoticeLog {
    /// Id of the log line.
    pub id: String,
    /// `notice` or `query`.
    pub source: String,
    /// The order, if known.
    pub order: Option<String>,
    /// What was said, shortened.
    pub detail: String,
    /// When (ms).
    pub at_ms: i64,
}

/// What applying did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The order moved.
    Moved {
        /// A refund was asked for: the fee was paid already, or the case
        /// closed without a result.
        refund: bool,
    },
    /// The order was no longer in the state read: nothing written.
    Raced,
    /// The nonce was heard before: nothing written but the log line.
    Replayed,
}

pub(super) const COLUMNS: &str = "id, case_id, department, region, payer, subject, amount_fen, provider, state, transaction_id, created_ms, paid_ms, closed_ms, refunded_ms, receipt";

pub(super) fn order(r: &dyn Columns) -> Result<PaymentOrder, StoreError> {
    Ok(PaymentOrder {
        id: r.text("id")?,
        case_id: r.text("case_id")?,
        department: r.text("department")?,
        region: r.text("region")?,
        payer: r.text("payer")?,
        subject: r.text("subject")?,
        amount_fen: r.int("amount_fen")?,
        provider: r.text("provider")?,
        state: r.text("state")?,
        transaction_id: r.opt_text("transaction_id")?,
        created_ms: r.int("created_ms")?,
        paid_ms: r.opt_int("paid_ms")?,
        closed_ms: r.opt_int("closed_ms")?,
        refunded_ms: r.opt_int("refunded_ms")?,
        receipt: r.opt_text("receipt")?,
        items: Vec::new(),
    })
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

async fn log(
    tx: &mut Tx,
    l: &NoticeLog,
    outcome: &str,
    rule: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO payment_callbacks (id, received_ms, source, outcome, rule, order_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&l.id)
    .bind(l.at_ms)
    .bind(&l.source)
    .bind(outcome)
    .bind(rule)
    .bind(&l.order)
    .bind(&l.detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn ask_refund(tx: &mut Tx, order: &str, reason: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO refunds (id, order_id, amount_fen, reason, state, requested_ms) \
         SELECT 'r-' || id, id, amount_fen, $1, 'requested', $2 FROM payment_orders WHERE id = $3 \
         ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(reason)
    .bind(now)
    .bind(order)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Writes a new pending order with its items.
    pub async fn create_order(&self, o: &NewOrder) -> Result<(), StoreError> {
        let amount: i64 = o.items.iter().map(|i| i.amount_fen).sum();
        let mut rows = vec![(
            "INSERT INTO payment_orders (id, case_id, department, region, payer, subject, amount_fen, provider, state, created_ms, updated_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10)"
                .to_owned(),
            vec![
                o.id.as_str().into(),
                o.case_id.as_str().into(),
                o.department.as_str().into(),
                o.region.as_str().into(),
                o.payer.as_str().into(),
                o.subject.as_str().into(),
                amount.into(),
                o.provider.as_str().into(),
                o.created_ms.into(),
                o.created_ms.into(),
            ],
            1,
        )];
        for i in &o.items {
            rows.push((
                "INSERT INTO payment_items (order_id, fee, name_zh, name_en, units, amount_fen) VALUES ($1, $2, $3, $4, $5, $6)".to_owned(),
                vec![
                    o.id.as_str().into(),
                    i.fee.as_str().into(),
                    i.name_zh.as_str().into(),
                    i.name_en.as_str().into(),
                    i.units.into(),
                    i.amount_fen.into(),
                ],
                1,
            ));
        }
        self.write_rows(Alongside(rows)).await
    }

    /// Logs a notice refused before it reached an order (bad signature,
    /// stale, unknown order …), in its own transaction.
    pub async fn log_refused_notice(&self, l: &NoticeLog, rule: &str) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        log(&mut tx, l, "refused", Some(rule)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Logs a notice that found its order already there, remembering its
    /// nonce; [`Applied::Replayed`] when the nonce was heard before.
    pub async fn log_notice_already(
        &self,
        l: &NoticeLog,
        nonce: Option<&str>,
    ) -> Result<Applied, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        if let Some(nonce) = nonce
            && !remember(&mut tx, nonce, l.at_ms).await?
        {
            drop(tx);
            self.log_refused_notice(l, "replayed_nonce").await?;
            return Ok(Applied::Replayed);
        }
        log(&mut tx, l, "already", None).await?;
        tx.commit().await?;
        Ok(Applied::Raced)
    }

    /// Applies a move the provider's word asks for, with its log line: a
    /// payment's common case through the writer (`paid.rs`), the rest in a
    /// transaction that reads what it decides on.
    pub async fn apply_transition(
        &self,
        t: &Transition,
        l: &NoticeLog,
    ) -> Result<Applied, StoreError> {
        if t.to == "paid"
            && let Some(applied) = self.apply_paid(t, l).await?
        {
            return Ok(applied);
        }
        let mut tx = self.pools.begin_write().await?;
        if let Some(nonce) = &t.nonce
            && !remember(&mut tx, nonce, t.now_ms).await?
        {
            drop(tx);
            self.log_refused_notice(l, "replayed_nonce").await?;
            return Ok(Applied::Replayed);
        }
        let moved = sqlx::query(
            "UPDATE payment_orders SET state = $1, transaction_id = COALESCE($2, transaction_id), \
             paid_ms = COALESCE(paid_ms, $3), receipt = COALESCE(receipt, $4), \
             closed_ms = CASE WHEN $5 = 'closed' THEN $6 ELSE closed_ms END, \
             refunded_ms = CASE WHEN $7 = 'refunded' THEN $8 ELSE refunded_ms END, \
             updated_ms = $9 WHERE id = $10 AND state = $11",
        )
        .bind(&t.to)
        .bind(&t.transaction_id)
        .bind(t.paid_ms)
        .bind(t.receipt.as_ref().map(|r| r.sd_jwt.as_str()))
        .bind(&t.to)
        .bind(t.now_ms)
        .bind(&t.to)
        .bind(t.now_ms)
        .bind(t.now_ms)
        .bind(&t.order)
        .bind(&t.from)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Ok(Applied::Raced);
        }
        if let Some(r) = &t.receipt {
            let case_id: String = sqlx::query("SELECT case_id FROM payment_orders WHERE id = $1")
                .bind(&t.order)
                .fetch_one(&mut *tx)
                .await?
                .try_get("case_id")?;
            sqlx::query(
                "INSERT INTO certificates (id, department, matter, case_id, holder, vct, status_idx, status_value, issued_ms, expires_ms, sd_jwt) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10)",
            )
            .bind(&r.id)
            .bind(&r.department)
            .bind(&r.matter)
            .bind(&case_id)
            .bind(&r.holder)
            .bind(&r.vct)
            .bind(r.status_idx)
            .bind(r.issued_ms)
            .bind(r.expires_ms)
            .bind(&r.sd_jwt)
            .execute(&mut *tx)
            .await?;
        }
        let mut refund = false;
        match t.to.as_str() {
            "paid" => {
                let closed = case_closed(&mut tx, &t.order).await?;
                let taken = claim_fees(&mut tx, &t.order).await?;
                if closed || taken {
                    let reason = if taken {
                        "double_payment"
                    } else {
                        "case_closed"
                    };
                    ask_refund(&mut tx, &t.order, reason, t.now_ms).await?;
                    refund = true;
                }
            }
            "refunded" => {
                sqlx::query("DELETE FROM paid_fees WHERE order_id = $1")
                    .bind(&t.order)
                    .execute(&mut *tx)
                    .await?;
                ask_refund(&mut tx, &t.order, "provider", t.now_ms).await?;
                sqlx::query(
                    "UPDATE refunds SET state = 'refunded', done_ms = $1 WHERE order_id = $2 AND state <> 'refunded'",
                )
                .bind(t.now_ms)
                .bind(&t.order)
                .execute(&mut *tx)
                .await?;
            }
            _ => {}
        }
        log(&mut tx, l, "applied", None).await?;
        tx.commit().await?;
        Ok(Applied::Moved { refund })
    }
}

/// Remembers a nonce; `false` when it was heard before.
async fn remember(tx: &mut Tx, nonce: &str, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("INSERT INTO payment_nonces (nonce, received_ms) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING")
        .bind(nonce)
        .bind(now)
        .execute(&mut **tx)
        .await;
    match done {
        Ok(r) => Ok(r.rows_affected() == 1),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Claims the order's fees for its case; whether some fee was paid
/// already by another order.
async fn claim_fees(tx: &mut Tx, order: &str) -> Result<bool, StoreError> {
    let rows = sqlx::query(
        "SELECT o.case_id, i.fee FROM payment_items i JOIN payment_orders o ON o.id = i.order_id WHERE i.order_id = $1",
    )
    .bind(order)
    .fetch_all(&mut **tx)
    .await?;
    let mut taken = false;
    for r in rows {
        let case_id: String = r.try_get("case_id")?;
        let fee: String = r.try_get("fee")?;
        let done = sqlx::query(
            "INSERT INTO paid_fees (case_id, fee, order_id) VALUES ($1, $2, $3) ON CONFLICT (case_id, fee) DO NOTHING",
        )
        .bind(&case_id)
        .bind(&fee)
        .bind(order)
        .execute(&mut **tx)
        .await?;
        taken |= done.rows_affected() == 0;
    }
    if taken {
        // All or nothing: an order that pays one fee twice is refunded
        // whole, so its other fees are not claimed by it.
        sqlx::query("DELETE FROM paid_fees WHERE order_id = $1")
            .bind(order)
            .execute(&mut **tx)
            .await?;
    }
    Ok(taken)
}

/// Whether the order's case was rejected or withdrawn.
async fn case_closed(tx: &mut Tx, order: &str) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT c.state FROM cases c JOIN payment_orders o ON o.case_id = c.id WHERE o.id = $1",
    )
    .bind(order)
    .fetch_optional(&mut **tx)
    .await?;
    let state: Option<String> = row.map(|r| r.try_get("state")).transpose()?;
    Ok(matches!(state.as_deref(), Some("rejected" | "withdrawn")))
}
