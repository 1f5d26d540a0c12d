//! The retention pass (保管期限): a closed case's documents are kept for
//! the longest retention its matters declare in the catalog, counted from
//! when the case closed, and then deleted. Each deletion is a
//! `material_deleted` event of the case, so the ledger records it; the
//! file's row and SHA-256 stay, and what the ledger proves of the case
//! stays provable. A matter that declares none keeps its documents
//! permanently (永久).
//!
//! Safe on several servers at once: setting a retention twice changes
//! nothing, and a file is marked deleted in the transaction of its event
//! only if it was not already.

use time::OffsetDateTime;
use yici_core::case::{Case, EventKind, Role};
use yici_store::exchange::SideEvent;
use yici_store::materials::{ClosedCase, Retention};

use super::error::WorkerError;
use crate::context::Service;

/// What one retention pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Closed cases whose retention was set.
    pub scheduled: u64,
    /// Files deleted.
    pub deleted: u64,
}

/// The longest retention of `case`'s matters, or `None` (permanently)
/// when any of them keeps its documents permanently or is no longer in
/// the catalog (nothing is deleted on a guess).
pub fn retention_years(service: &Service, case: &Case) -> Option<u16> {
    let mut longest = 0u16;
    for task in &case.tasks {
        let years = service
            .catalog()
            .matters
            .get(&task.matter)?
            .retention_years?;
        longest = longest.max(years);
    }
    (longest > 0).then_some(longest)
}

/// `years` calendar years after `from_ms` (29 February becomes 28 February
/// in a year without it).
pub fn years_after(from_ms: i64, years: u16) -> Option<i64> {
    let from = OffsetDateTime::from_unix_timestamp_nanos(i128::from(from_ms) * 1_000_000).ok()?;
    let year = from.year().checked_add(i32::from(years))?;
    let date = from.date();
    let to = date
        .replace_year(year)
        .or_else(|_| date.replace_day(28).and_then(|d| d.replace_year(year)))
        .ok()?;
    let until = from.replace_date(to);
    i64::try_from(until.unix_timestamp_nanos() / 1_000_000).ok()
}

/// Sets the retention of every closed case that has files and none yet,
/// then deletes the files of every case whose retention has ended, `batch`
/// at a time, until nothing is left to do.
pub async fn retention_pass(service: &Service, batch: u32) -> Result<RetentionReport, WorkerError> {
    let mut report = RetentionReport::default();
    let batch = batch.max(1);
    loop {
        let closed = service
            .store()
            .closed_cases_without_retention(batch)
            .await?;
        if closed.is_empty() {
            break;
        }
        for c in closed {
            schedule(service, c).await?;
            report.scheduled += 1;
        }
    }
    loop {
        let due = service
            .store()
            .files_past_retention(service.clock().now_ms(), batch)
            .await?;
        if due.is_empty() {
            return Ok(report);
        }
        let blobs = service.blobs().map_err(WorkerError::Service)?;
        for f in due {
            let years = service
                .store()
                .retention(&f.case_id)
                .await?
                .and_then(|r| r.years);
            let event = SideEvent {
                kind: EventKind::MaterialDeleted,
                actor: "system".into(),
                role: Role::System,
                on: service.clock().today(),
                data: serde_json::json!({
                    "material": f.material, "file": f.id, "sha256": f.sha256,
                    "size": f.size, "retention_years": years,
                }),
            };
            let now = service.clock().now_ms();
            if !service.store().delete_file(&f, now, event).await? {
                continue;
            }
            report.deleted += 1;
            // Another case may hold the same content (a reused file): it
            // stays until the last file with it is deleted.
            if service.store().files_with_content(&f.sha256).await? == 0 {
                blobs
                    .delete(&f.sha256)
                    .await
                    .map_err(WorkerError::Service)?;
            }
        }
    }
}

async fn schedule(service: &Service, c: ClosedCase) -> Result<(), WorkerError> {
    let id = yici_core::case::CaseId::parse(&c.case_id)
        .map_err(|e| WorkerError::Service(crate::ServiceError::internal(e)))?;
    let years = match service.store().case(&id).await? {
        Some(stored) => retention_years(service, &stored.case),
        None => None,
    };
    let retention = Retention {
        delete_after_ms: years.and_then(|y| years_after(c.closed_ms, y)),
        case_id: c.case_id,
        closed_ms: c.closed_ms,
        years,
    };
    service.store().set_retention(&retention).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: i64 = 86_400_000;

    #[test]
    fn years_are_calendar_years() {
        // 2016-02-29T00:00:00Z
        let leap = 1_456_704_000_000;
        // 2026-02-28T00:00:00Z: ten years on, in a year without 29 February.
        assert_eq!(years_after(leap, 10), Some(1_772_236_800_000));
        // 2020-02-29: four years on, a leap year again.
        assert_eq!(years_after(leap, 4), Some(leap + (365 * 3 + 366) * DAY_MS));
    }
}
