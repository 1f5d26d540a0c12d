//! Reading orders: one with its items, a case's, a payer's, a region's for
//! the window, the fees of a case that are paid, the pending orders the
//! reconciler asks about, and the log of notices.

use std::collections::BTreeSet;

use sqlx::Row;

use crate::Store;
use crate::error::StoreError;
use crate::payments::orders::{COLUMNS, OrderItem, PaymentOrder, order};

/// One line of the notices' log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeLine {
    /// Id.
    pub id: String,
    /// Received (ms).
    pub received_ms: i64,
    /// `notice` or `query`.
    pub source: String,
    /// `applied`, `already` or `refused`.
    pub outcome: String,
    /// The rule a refused notice broke.
    pub rule: Option<String>,
    /// The order, if known.
    pub order: Option<String>,
    /// What was said.
    pub detail: String,
}

impl Store {
    /// Fills the orders' items, all in one query.
    async fn with_items(
        &self,
        mut orders: Vec<PaymentOrder>,
    ) -> Result<Vec<PaymentOrder>, StoreError> {
        if orders.is_empty() {
            return Ok(orders);
        }
        let marks: Vec<String> = (1..=orders.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT order_id, fee, name_zh, name_en, units, amount_fen FROM payment_items WHERE order_id IN ({}) ORDER BY order_id, fee",
            marks.join(", ")
        );
        let ids: Vec<String> = orders.iter().map(|o| o.id.clone()).collect();
        let items = self
            .hot_rows(&sql, &ids, |r| {
                let item = OrderItem {
                    fee: r.text("fee")?,
                    name_zh: r.text("name_zh")?,
                    name_en: r.text("name_en")?,
                    units: r.int("units")?,
                    amount_fen: r.int("amount_fen")?,
                };
                Ok((r.text("order_id")?, item))
            })
            .await?;
        for (order, item) in items {
            if let Some(o) = orders.iter_mut().find(|o| o.id == order) {
                o.items.push(item);
            }
        }
        Ok(orders)
    }

    async fn orders_where(
        &self,
        filter: &str,
        key: &str,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<PaymentOrder>, u64), StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM payment_orders WHERE {filter} ORDER BY created_ms DESC, id DESC LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(&sql)
            .bind(key)
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pools.read)
            .await?;
        let orders = rows
            .iter()
            .map(|r| order(r))
            .collect::<Result<Vec<_>, _>>()?;
        let count_sql = format!("SELECT COUNT(*) AS n FROM payment_orders WHERE {filter}");
        let total: i64 = sqlx::query(&count_sql)
            .bind(key)
            .fetch_one(&self.pools.read)
            .await?
            .try_get("n")?;
        Ok((self.with_items(orders).await?, total.max(0) as u64))
    }

    /// An order with its items.
    pub async fn payment_order(&self, id: &str) -> Result<Option<PaymentOrder>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM payment_orders WHERE id = $1");
        let Some(found) = self.hot_row(&sql, &[id.to_owned()], order).await? else {
            return Ok(None);
        };
        Ok(self.with_items(vec![found]).await?.pop())
    }

    /// A case's orders, newest first.
    pub async fn orders_of_case(&self, case_id: &str) -> Result<Vec<PaymentOrder>, StoreError> {
        // On the calling thread: asked of every payment and notice.
        let sql = format!(
            "SELECT {COLUMNS} FROM payment_orders WHERE case_id = $1 ORDER BY created_ms DESC, id DESC LIMIT 100"
        );
        let orders = self.hot_rows(&sql, &[case_id.to_owned()], order).await?;
        self.with_items(orders).await
    }

    /// An applicant's orders (by resident ID or USCC), newest first, and
    /// how many in all.
    pub async fn orders_of_subject(
        &self,
        subject: &str,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<PaymentOrder>, u64), StoreError> {
        self.orders_where("subject = $1", subject, limit, offset)
            .await
    }

    /// The orders of cases whose region starts with `region` (a prefix
    /// such as 3302 for a city), newest first, and how many in all.
    pub async fn orders_in_region(
        &self,
        region: &str,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<PaymentOrder>, u64), StoreError> {
        self.orders_where("region LIKE $1", &format!("{region}%"), limit, offset)
            .await
    }

    /// The fees of a case that are paid, as `matter/code`.
    pub async fn paid_fees(&self, case_id: &str) -> Result<BTreeSet<String>, StoreError> {
        let fees = self
            .hot_rows(
                "SELECT fee FROM paid_fees WHERE case_id = $1",
                &[case_id.to_owned()],
                |r| r.text("fee"),
            )
            .await?;
        Ok(fees.into_iter().collect())
    }

    /// Pending orders created before `before_ms`, oldest first: those
    /// whose notice may never have come.
    pub async fn pending_orders_before(
        &self,
        before_ms: i64,
        batch: u32,
    ) -> Result<Vec<PaymentOrder>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM payment_orders WHERE state = 'pending' AND created_ms < $1 ORDER BY created_ms, id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(before_ms)
            .bind(i64::from(batch))
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(|r| order(r)).collect()
    }

    /// The log of notices and queries, newest first, and how many in all.
    pub async fn notice_log(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<NoticeLine>, u64), StoreError> {
        let rows = sqlx::query(
            "SELECT id, received_ms, source, outcome, rule, order_id, detail FROM payment_callbacks \
             ORDER BY received_ms DESC, id DESC LIMIT $1 OFFSET $2",
        )
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pools.read)
        .await?;
        let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM payment_callbacks")
            .fetch_one(&self.pools.read)
            .await?
            .try_get("n")?;
        let lines = rows
            .iter()
            .map(|r| {
                Ok(NoticeLine {
                    id: r.try_get("id")?,
                    received_ms: r.try_get("received_ms")?,
                    source: r.try_get("source")?,
                    outcome: r.try_get("outcome")?,
                    rule: r.try_get("rule")?,
                    order: r.try_get("order_id")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((lines, total.max(0) as u64))
    }
}
