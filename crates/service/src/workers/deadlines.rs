//! The deadline pass: yellow (预警) and red (超期) cards on open tasks,
//! recorded as events of the case.

use time::Date;
use yici_core::case::{Action, Case, apply};
use yici_store::StoreError;

use super::error::WorkerError;
use crate::context::Service;
use yici_core::case::system_actor;

/// How long a worker holds a case it leased for a check: far longer than a
/// check takes, short enough that a case whose worker died (or lost a race
/// with a reviewer) is checked again within minutes.
pub const DEADLINE_LEASE_MS: i64 = 5 * 60 * 1000;

/// What one deadline pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Cases leased and judged.
    pub checked: u64,
    /// Warning and overdue events written.
    pub events: u64,
    /// Cases that changed between lease and write; their change cleared
    /// the day's check and their lease is freed, so the same pass judges
    /// them again in their new version.
    pub conflicts: u64,
    /// Cases that could not be judged (e.g. a day beyond the calendar's
    /// years); logged, and tried again once the lease ends.
    pub failed: u64,
}

/// Checks every case that has an open task and was not yet checked today
/// (by the application clock, in China), `batch` at a time, until none is
/// left: applies [`Action::MarkDeadlines`] as the system actor and writes
/// the flags that changed with their events. A case whose flags did not
/// change writes nothing but its check mark, so a second pass on the same
/// day records nothing twice.
pub async fn deadline_pass(
    service: &Service,
    owner: &str,
    batch: u32,
) -> Result<PassReport, WorkerError> {
    let today = service.clock().today();
    let day = today.to_string();
    let mut report = PassReport::default();
    loop {
        let leased = service
            .store()
            .lease_deadline_checks(
                owner,
                &day,
                batch.max(1),
                service.clock().now_ms(),
                DEADLINE_LEASE_MS,
            )
            .await?;
        if leased.is_empty() {
            return Ok(report);
        }
        for stored in leased {
            report.checked += 1;
            match check(service, owner, &stored.case, today, &day).await {
                Ok(events) => report.events += events,
                Err(Checked::Conflict) => report.conflicts += 1,
                Err(Checked::Failed(reason)) => {
                    tracing::warn!(case = %stored.case.id, %reason, "deadline check failed");
                    report.failed += 1;
                }
                Err(Checked::Store(e)) => return Err(e.into()),
            }
        }
    }
}

/// Why a case was not marked checked.
enum Checked {
    Conflict,
    Failed(String),
    Store(StoreError),
}

/// Judges one case on `today`; returns the number of events written.
async fn check(
    service: &Service,
    owner: &str,
    case: &Case,
    today: Date,
    day: &str,
) -> Result<u64, Checked> {
    let t = apply(
        case,
        Action::MarkDeadlines { today },
        &system_actor(),
        today,
        service.calendar(),
    )
    .map_err(|e| Checked::Failed(e.to_string()))?;
    let written = t.events.len() as u64;
    if written > 0 {
        match service
            .store()
            .update_case_from(
                case,
                &t.case,
                &t.events,
                &[],
                Vec::new(),
                yici_store::Alongside::default(),
                service.clock().now_ms(),
            )
            .await
        {
            Ok(_) => {}
            Err(StoreError::VersionConflict { .. }) => {
                // Free the lease now: the changed case is due again.
                service
                    .store()
                    .deadline_checked(&case.id.to_string(), owner, case.version, day)
                    .await
                    .map_err(Checked::Store)?;
                return Err(Checked::Conflict);
            }
            Err(e) => return Err(Checked::Store(e)),
        }
    }
    service
        .store()
        .deadline_checked(&case.id.to_string(), owner, t.case.version, day)
        .await
        .map_err(Checked::Store)?;
    Ok(written)
}
