//! The sandbox carrier's books: its parcels, each walking created →
//! picked up → in transit → delivered (or failed). A step is taken only
//! once yici has answered its callback, so a report is never lost; a
//! server that takes the same step twice sends one callback twice, which
//! yici takes once.

use sqlx::Row;

use crate::Store;
use crate::alongside::Alongside;
use crate::error::StoreError;

/// A parcel at the sandbox carrier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxParcel {
    /// Its waybill.
    pub waybill: String,
    /// Where it is.
    pub state: String,
    /// Whether the address can be served (else the parcel fails).
    pub deliverable: bool,
    /// When its next step is due (ms).
    pub next_ms: i64,
    /// Callbacks of this step not answered.
    pub attempts: i64,
}

fn sandbox_parcel(r: &sqlx::any::AnyRow) -> Result<SandboxParcel, StoreError> {
    Ok(SandboxParcel {
        waybill: r.try_get("waybill")?,
        state: r.try_get("state")?,
        deliverable: r.try_get::<i64, _>("deliverable")? != 0,
        next_ms: r.try_get("next_ms")?,
        attempts: r.try_get("attempts")?,
    })
}

impl Store {
    /// Takes a parcel into the sandbox's books.
    pub async fn sandbox_parcel_open(
        &self,
        p: &SandboxParcel,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.write_rows(Alongside(vec![(
            "INSERT INTO sandbox_parcels (waybill, state, deliverable, next_ms, attempts, created_ms) VALUES ($1, $2, $3, $4, 0, $5)"
                .to_owned(),
            vec![
                p.waybill.as_str().into(),
                p.state.as_str().into(),
                i64::from(p.deliverable).into(),
                p.next_ms.into(),
                now_ms.into(),
            ],
            1,
        )]))
        .await
    }

    /// A sandbox parcel by waybill.
    pub async fn sandbox_parcel(&self, waybill: &str) -> Result<Option<SandboxParcel>, StoreError> {
        let row = sqlx::query(
            "SELECT waybill, state, deliverable, next_ms, attempts FROM sandbox_parcels WHERE waybill = $1",
        )
        .bind(waybill)
        .fetch_optional(&self.pools.read)
        .await?;
        row.as_ref().map(sandbox_parcel).transpose()
    }

    /// Sandbox parcels whose next step is due, oldest first.
    pub async fn sandbox_parcels_due(
        &self,
        now_ms: i64,
        batch: u32,
    ) -> Result<Vec<SandboxParcel>, StoreError> {
        let rows = sqlx::query(
            "SELECT waybill, state, deliverable, next_ms, attempts FROM sandbox_parcels \
             WHERE next_ms <= $1 AND state NOT IN ('delivered', 'failed') ORDER BY next_ms, waybill LIMIT $2",
        )
        .bind(now_ms)
        .bind(i64::from(batch))
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(sandbox_parcel).collect()
    }

    /// Records a step answered: from `from` to `to`, the next due at
    /// `next_ms`; whether this server took it (another may have).
    pub async fn sandbox_parcel_stepped(
        &self,
        waybill: &str,
        from: &str,
        to: &str,
        next_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE sandbox_parcels SET state = $1, next_ms = $2, attempts = 0 WHERE waybill = $3 AND state = $4",
        )
        .bind(to)
        .bind(next_ms)
        .bind(waybill)
        .bind(from)
        .execute(&self.pools.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a step's callback unanswered: tried again at `next_ms`.
    pub async fn sandbox_parcel_unanswered(
        &self,
        waybill: &str,
        next_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE sandbox_parcels SET attempts = attempts + 1, next_ms = $1 WHERE waybill = $2",
        )
        .bind(next_ms)
        .bind(waybill)
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }
}
