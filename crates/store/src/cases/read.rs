//! Reading cases: a case with its owner, and its history. The case as
//! stored ([`StoredCase`]) is read here and by the lists, the case cache
//! and the deadline leases, which is why it lives apart from the writes.

use sqlx::Row;
use sqlx::any::AnyRow;
use yici_core::case::{Case, CaseId, Event};

use crate::Store;
use crate::error::StoreError;
use crate::sql::rows::Columns;

/// A case with who owns it.
#[derive(Debug, Clone)]
pub struct StoredCase {
    /// The case.
    pub case: Case,
    /// User id of the applicant account that owns it.
    pub owner: String,
}

/// A stored event with its wall-clock time.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// The event.
    pub event: Event,
    /// When it was written (ms since the epoch).
    pub at_ms: i64,
}

impl Store {
    /// A case and its owner.
    pub async fn case(&self, id: &CaseId) -> Result<Option<StoredCase>, StoreError> {
        self.hot_row(
            "SELECT owner, version, snapshot FROM cases WHERE id = $1",
            &[id.to_string()],
            |r| self.cases.read(id, r),
        )
        .await
    }

    /// The history of a case, in order.
    pub async fn case_events(&self, id: &CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, idx, kind, actor, role, at_ms, on_date, from_state, to_state, data FROM case_events WHERE case_id = $1 ORDER BY seq, idx",
        )
        .bind(id.to_string())
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(|r| stored_event(id, r)).collect()
    }
}

pub(crate) fn stored_case(row: &dyn Columns) -> Result<StoredCase, StoreError> {
    Ok(StoredCase {
        case: serde_json::from_str(&row.text("snapshot")?)?,
        owner: row.text("owner")?,
    })
}

fn stored_event(id: &CaseId, r: &AnyRow) -> Result<StoredEvent, StoreError> {
    // Rebuild the event through its JSON form so that the enums' names are
    // parsed by the same serde rules that wrote them.
    let data: String = r.try_get("data")?;
    let json = serde_json::json!({
        "case_id": id.to_string(),
        "seq": r.try_get::<i64, _>("seq")?,
        "index": r.try_get::<i64, _>("idx")?,
        "kind": r.try_get::<String, _>("kind")?,
        "actor": r.try_get::<String, _>("actor")?,
        "role": r.try_get::<String, _>("role")?,
        "on": r.try_get::<String, _>("on_date")?,
        "from_state": r.try_get::<Option<String>, _>("from_state")?,
        "to_state": r.try_get::<String, _>("to_state")?,
        "data": serde_json::from_str::<serde_json::Value>(&data)?,
    });
    Ok(StoredEvent {
        event: serde_json::from_value(json)?,
        at_ms: r.try_get("at_ms")?,
    })
}
