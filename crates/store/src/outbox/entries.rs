//! The outbox as an admin sees it: each message's delivery record, listed
//! and filtered by state, and a dead letter sent again.

use sqlx::Row;

use crate::Store;
use crate::error::StoreError;
use crate::sql::filter::{Where, total};

/// Where a message is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting for its first or next attempt.
    Pending,
    /// A webhook accepted it.
    Delivered,
    /// Set aside after the last attempt failed; waits for an admin.
    Dead,
}

impl OutboxState {
    /// The state's name in the API: `pending`, `delivered`, `dead`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Delivered => "delivered",
            OutboxState::Dead => "dead",
        }
    }

    /// The state named `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Dead]
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    fn condition(self) -> &'static str {
        match self {
            OutboxState::Pending => "delivered_ms IS NULL AND dead_ms IS NULL",
            OutboxState::Delivered => "delivered_ms IS NOT NULL",
            OutboxState::Dead => "dead_ms IS NOT NULL",
        }
    }
}

/// Which messages to list.
#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    /// Only messages in this state.
    pub state: Option<OutboxState>,
    /// Only messages to this destination (a department code).
    pub destination: Option<String>,
    /// Page size.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u64,
}

/// A message as an admin sees it: its delivery record, not its payload
/// (which carries the applicant's form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Id (also the CloudEvents `id`).
    pub id: String,
    /// Kind of message.
    pub topic: String,
    /// Where it goes.
    pub destination: String,
    /// Pending, delivered or dead.
    pub state: OutboxState,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// When it was written.
    pub created_ms: i64,
    /// When the next attempt is due (pending messages).
    pub next_attempt_ms: i64,
    /// When a webhook accepted it.
    pub delivered_ms: Option<i64>,
    /// When it was set aside.
    pub dead_ms: Option<i64>,
    /// What went wrong the last time.
    pub last_error: Option<String>,
    /// Who last sent it again by hand, and when.
    pub retried: Option<(String, i64)>,
}

/// What became of a request to send a dead letter again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// It is pending again, due at once.
    Queued,
    /// No message has that id.
    Unknown,
    /// The message is not dead (still pending, or delivered).
    NotDead(OutboxState),
}

fn entry(r: &sqlx::any::AnyRow) -> Result<OutboxEntry, StoreError> {
    let delivered_ms: Option<i64> = r.try_get("delivered_ms")?;
    let dead_ms: Option<i64> = r.try_get("dead_ms")?;
    let state = match (delivered_ms, dead_ms) {
        (Some(_), _) => OutboxState::Delivered,
        (None, Some(_)) => OutboxState::Dead,
        (None, None) => OutboxState::Pending,
    };
    let retried_by: Option<String> = r.try_get("retried_by")?;
    let retried_ms: Option<i64> = r.try_get("retried_ms")?;
    Ok(OutboxEntry {
        id: r.try_get("id")?,
        topic: r.try_get("topic")?,
        destination: r.try_get("destination")?,
        state,
        attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        created_ms: r.try_get("created_ms")?,
        next_attempt_ms: r.try_get("next_attempt_ms")?,
        delivered_ms,
        dead_ms,
        last_error: r.try_get("last_error")?,
        retried: retried_by.zip(retried_ms),
    })
}

const ENTRY_COLUMNS: &str = "id, topic, destination, attempts, created_ms, next_attempt_ms, delivered_ms, dead_ms, last_error, retried_by, retried_ms";

impl Store {
    /// Messages matching `filter`, newest first, and how many match in all.
    pub async fn list_outbox(
        &self,
        filter: &OutboxFilter,
    ) -> Result<(Vec<OutboxEntry>, u64), StoreError> {
        let mut w = Where::new();
        w.eq("destination", &filter.destination);
        if let Some(state) = filter.state {
            w.raw(state.condition());
        }
        let sql = format!(
            "SELECT {ENTRY_COLUMNS}, COUNT(*) OVER () AS total FROM outbox {} ORDER BY created_ms DESC, id LIMIT {} OFFSET {}",
            w.sql(),
            filter.limit,
            filter.offset
        );
        let rows = w.query(&sql).fetch_all(&self.pools.read).await?;
        let page = rows
            .iter()
            .map(|r| Ok((entry(r)?, total(r)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let count = self.total_of(&page, &w, "outbox").await?;
        Ok((page.into_iter().map(|(e, _)| e).collect(), count))
    }

    /// One message's delivery record.
    pub async fn outbox_entry(&self, id: &str) -> Result<Option<OutboxEntry>, StoreError> {
        let row = sqlx::query(&format!("SELECT {ENTRY_COLUMNS} FROM outbox WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(entry).transpose()
    }

    /// Sends a dead letter again: pending, due at `now_ms`, with `by` and
    /// the time recorded. Its attempts are kept, so a message that fails
    /// once more is set aside again at once.
    pub async fn retry_outbox(&self, id: &str, by: &str, now_ms: i64) -> Result<Retry, StoreError> {
        let changed = sqlx::query(
            "UPDATE outbox SET dead_ms = NULL, next_attempt_ms = $1, retried_by = $2, retried_ms = $1 WHERE id = $3 AND dead_ms IS NOT NULL AND delivered_ms IS NULL",
        )
        .bind(now_ms)
        .bind(by)
        .bind(id)
        .execute(&self.pools.write)
        .await?
        .rows_affected();
        if changed == 1 {
            return Ok(Retry::Queued);
        }
        Ok(match self.outbox_entry(id).await? {
            None => Retry::Unknown,
            Some(e) => Retry::NotDead(e.state),
        })
    }
}
