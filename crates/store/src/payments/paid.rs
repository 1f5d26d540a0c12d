//! A payment notice's common case — an order paid once, its fees not paid
//! before, its case open — written through the writer as rows with
//! exact counts. Anything else, and any race the rows run into (the nonce
//! heard meanwhile, the order moved, a fee claimed by another order), is
//! left to the transaction of `orders.rs`, which reads inside it and
//! decides: nothing of these rows is written then.
//!
//! Why: on SQLite that transaction hands its nine statements one by one
//! to sqlx's thread; measured under the case load with payment, the
//! hand-offs cost more than the work.

use crate::Store;
use crate::alongside::Alongside;
use crate::error::StoreError;
use crate::payments::orders::{Applied, NoticeLog, Transition};

impl Store {
    /// Writes the move of `t` to `paid` with its receipt, its fees and its
    /// log line, if the order's case is open and none of its fees is paid;
    /// `None` when it did not (nothing written), for the transaction to
    /// decide.
    pub(super) async fn apply_paid(
        &self,
        t: &Transition,
        l: &NoticeLog,
    ) -> Result<Option<Applied>, StoreError> {
        let key = [t.order.clone()];
        let case = self
            .hot_row(
                "SELECT o.case_id, c.state FROM payment_orders o JOIN cases c ON c.id = o.case_id WHERE o.id = $1",
                &key,
                |r| Ok((r.text("case_id")?, r.text("state")?)),
            )
            .await?;
        let Some((case_id, state)) = case else {
            return Ok(None);
        };
        if matches!(state.as_str(), "rejected" | "withdrawn") {
            return Ok(None);
        }
        let fees = self
            .hot_rows(
                "SELECT i.fee, p.order_id FROM payment_items i \
                 LEFT JOIN paid_fees p ON p.case_id = $1 AND p.fee = i.fee WHERE i.order_id = $2",
                &[case_id.clone(), t.order.clone()],
                |r| Ok((r.text("fee")?, r.opt_text("order_id")?)),
            )
            .await?;
        if fees.iter().any(|(_, taken)| taken.is_some()) {
            return Ok(None);
        }
        let mut rows = Vec::new();
        if let Some(nonce) = &t.nonce {
            rows.push((
                "INSERT INTO payment_nonces (nonce, received_ms) VALUES ($1, $2)".to_owned(),
                vec![nonce.as_str().into(), t.now_ms.into()],
                1,
            ));
        }
        rows.push((
            "UPDATE payment_orders SET state = 'paid', transaction_id = COALESCE($1, transaction_id), \
             paid_ms = COALESCE(paid_ms, $2), receipt = COALESCE(receipt, $3), updated_ms = $4 \
             WHERE id = $5 AND state = $6"
                .to_owned(),
            vec![
                t.transaction_id.clone().into(),
                t.paid_ms.into(),
                t.receipt.as_ref().map(|r| r.sd_jwt.clone()).into(),
                t.now_ms.into(),
                t.order.as_str().into(),
                t.from.as_str().into(),
            ],
            1,
        ));
        if let Some(r) = &t.receipt {
            rows.push((
                "INSERT INTO certificates (id, department, matter, case_id, holder, vct, status_idx, status_value, issued_ms, expires_ms, sd_jwt) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10)"
                    .to_owned(),
                vec![
                    r.id.as_str().into(),
                    r.department.as_str().into(),
                    r.matter.as_str().into(),
                    case_id.as_str().into(),
                    r.holder.as_str().into(),
                    r.vct.as_str().into(),
                    r.status_idx.into(),
                    r.issued_ms.into(),
                    r.expires_ms.into(),
                    r.sd_jwt.as_str().into(),
                ],
                1,
            ));
        }
        for (fee, _) in &fees {
            // No ON CONFLICT: a fee claimed meanwhile fails the rows, and
            // the transaction then refunds the order.
            rows.push((
                "INSERT INTO paid_fees (case_id, fee, order_id) VALUES ($1, $2, $3)".to_owned(),
                vec![
                    case_id.as_str().into(),
                    fee.as_str().into(),
                    t.order.as_str().into(),
                ],
                1,
            ));
        }
        rows.push((
            "INSERT INTO payment_callbacks (id, received_ms, source, outcome, rule, order_id, detail) \
             VALUES ($1, $2, $3, 'applied', NULL, $4, $5)"
                .to_owned(),
            vec![
                l.id.as_str().into(),
                l.at_ms.into(),
                l.source.as_str().into(),
                l.order.clone().into(),
                l.detail.as_str().into(),
            ],
            1,
        ));
        match self.write_rows(Alongside(rows)).await {
            Ok(()) => Ok(Some(Applied::Moved { refund: false })),
            Err(e) if e.is_unique_violation() || matches!(e, StoreError::RowsChanged { .. }) => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}
