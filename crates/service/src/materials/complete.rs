//! When an online application is complete: every material the applicant's
//! own plan says they bring has a file. An online case waits, pre-checked,
//! until then, and the system accepts it the moment its last material is
//! given (一网通办: the files travel instead of the person). An online
//! supplement (补正, 容缺) is taken only with a file for each material it
//! asks for, given since it was asked; at a window the clerk sees the
//! paper.

use yici_catalog::Plan;
use yici_core::case::{
    Action, Case, CaseState, ChannelKind, EventKind, apply, settle, system_actor,
};
use yici_exchange::prefill::personal_plan;
use yici_store::StoredCase;
use yici_store::materials::MaterialFile;

use crate::context::Service;
use crate::error::{FieldProblem, Result, ServiceError};

/// The keys of the materials `plan` says the applicant brings.
fn brought(plan: &Plan) -> Vec<&str> {
    plan.materials
        .bring
        .iter()
        .map(|m| m.key.as_str())
        .collect()
}

/// The brought materials of `wanted` that no live file in `files` given at
/// or after `since_ms` covers, in `wanted`'s order.
pub(crate) fn uncovered<'a>(
    wanted: impl IntoIterator<Item = &'a str>,
    files: &[MaterialFile],
    since_ms: i64,
) -> Vec<&'a str> {
    wanted
        .into_iter()
        .filter(|key| {
            !files
                .iter()
                .any(|f| f.material == *key && f.deleted_ms.is_none() && f.given_ms >= since_ms)
        })
        .collect()
}

/// Milliseconds since the epoch at the start of `day` in China, where the
/// case's dates are counted.
fn day_start_ms(day: time::Date) -> i64 {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let start = day.midnight().assume_offset(offset);
    i64::try_from(start.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MIN)
}

impl Service {
    /// The applicant's own plan for `stored`: the catalog's plan adjusted
    /// to what the exchange holds for its owner.
    pub(crate) async fn personal_plan_of(&self, stored: &StoredCase) -> Result<Plan> {
        let plan = self.plan_for(&stored.case.target)?;
        let records = self.records_for(&plan, &stored.owner).await?;
        Ok(personal_plan(plan, &records))
    }

    /// The materials `stored` still lacks a file for, by key, when the case
    /// waits for them (online and pre-checked); empty otherwise.
    pub async fn missing_materials(&self, stored: &StoredCase) -> Result<Vec<String>> {
        if !awaits_materials(&stored.case) {
            return Ok(Vec::new());
        }
        let plan = self.personal_plan_of(stored).await?;
        let files = self.store().case_files(&stored.case.id.to_string()).await?;
        Ok(uncovered(brought(&plan), &files, i64::MIN)
            .into_iter()
            .map(str::to_owned)
            .collect())
    }

    /// Accepts an online case waiting for its materials once every one has
    /// a file, as the system; otherwise leaves it as it is. Returns the case
    /// as it is afterwards.
    pub(crate) async fn accept_if_complete(&self, stored: StoredCase) -> Result<Case> {
        if !self.missing_materials(&stored).await?.is_empty() || !awaits_materials(&stored.case) {
            return Ok(stored.case);
        }
        // A fee due before acceptance waits too; its payment tries again.
        if self.check_fees(&stored, &Action::Accept).await.is_err() {
            return Ok(stored.case);
        }
        let today = self.clock().today();
        let calendar = self.calendar();
        let current = stored.case;
        let t = apply(&current, Action::Accept, &system_actor(), today, calendar)?;
        let mut events = t.events;
        let settled = settle(self.catalog(), t.case, today, calendar)?;
        events.extend(settled.events);
        let case = settled.case;
        let outbox = crate::cases::opened_messages(self, &current, &case)?;
        let news = self.news_alongside(&current, &case).await?;
        match self
            .store()
            .update_case_from(
                &current,
                &case,
                &events,
                &outbox,
                Vec::new(),
                news,
                self.clock().now_ms(),
            )
            .await
        {
            Ok(_) => Ok(case),
            // Someone acted on the case meanwhile (a clerk accepted it, or a
            // second file completed it first): what is stored stands.
            Err(yici_store::StoreError::VersionConflict { .. }) => {
                let now = self.store().case(&current.id).await?;
                Ok(now.map_or(case, |s| s.case))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Refuses an online supplement that lacks a file for a material it
    /// asks for: given since the request (补正), or at all (容缺). A clerk
    /// recording paper brought to a window is not held to it.
    pub(crate) async fn check_supplied(&self, stored: &StoredCase, action: &Action) -> Result<()> {
        let Action::Supplement { at_window: false } = action else {
            return Ok(());
        };
        let case = &stored.case;
        let mut asked: Vec<(&str, i64)> = Vec::new();
        if let Some(s) = &case.supplement {
            let since = match self.supplement_asked_ms(case).await? {
                Some(ms) => ms,
                None => day_start_ms(s.requested_on),
            };
            asked.extend(s.materials.iter().map(|m| (m.as_str(), since)));
        }
        if let Some(d) = &case.deficiency {
            asked.extend(d.materials.iter().map(|m| (m.as_str(), i64::MIN)));
        }
        if asked.is_empty() {
            return Ok(());
        }
        let plan = self.personal_plan_of(stored).await?;
        let brought = brought(&plan);
        let files = self.store().case_files(&case.id.to_string()).await?;
        let problems: Vec<FieldProblem> = asked
            .iter()
            .filter(|(key, _)| brought.contains(key))
            .filter(|(key, since)| !uncovered([*key], &files, *since).is_empty())
            .map(|(key, _)| {
                let name = plan
                    .materials
                    .bring
                    .iter()
                    .find(|m| m.key.as_str() == *key)
                    .map_or(*key, |m| &*m.name.zh);
                FieldProblem::new(
                    format!("materials.{key}"),
                    "file_required",
                    format!("{name}: give a file for this material before supplementing online"),
                )
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Invalid(problems))
        }
    }
}

impl Service {
    /// When the open supplement was first asked for: the first
    /// `supplement_requested` event since the last `supplemented` (several
    /// tasks may ask in one round). A file given before it does not answer
    /// it, even on the same day.
    async fn supplement_asked_ms(&self, case: &Case) -> Result<Option<i64>> {
        let mut since = None;
        for e in self.store().case_events(&case.id).await? {
            match e.event.kind {
                EventKind::SupplementRequested => {
                    since.get_or_insert(e.at_ms);
                }
                EventKind::Supplemented => since = None,
                _ => {}
            }
        }
        Ok(since)
    }
}

/// Whether `case` is an online application still waiting for its files.
fn awaits_materials(case: &Case) -> bool {
    case.channel.kind() == ChannelKind::Online && case.state == CaseState::PreChecked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(material: &str, given_ms: i64, deleted: bool) -> MaterialFile {
        MaterialFile {
            id: "f".into(),
            case_id: "c".into(),
            material: material.into(),
            subject: "s".into(),
            sha256: "00".into(),
            kind: "pdf".into(),
            size: 1,
            name: "a.pdf".into(),
            given_by: "u".into(),
            given_ms,
            reused_from: None,
            original_seen_by: None,
            original_seen_ms: None,
            deleted_ms: deleted.then_some(given_ms + 1),
        }
    }

    #[test]
    fn a_material_is_covered_by_a_live_file_given_since() {
        let files = [file("licence", 100, false), file("lease", 50, false)];
        assert_eq!(uncovered(["licence", "lease", "plan"], &files, 0), ["plan"]);
        // A file given before a supplement was asked does not answer it.
        assert_eq!(uncovered(["licence", "lease"], &files, 80), ["lease"]);
    }

    #[test]
    fn a_deleted_file_covers_nothing() {
        let files = [file("licence", 100, true)];
        assert_eq!(uncovered(["licence"], &files, 0), ["licence"]);
    }

    #[test]
    fn a_day_starts_at_midnight_in_china() {
        let day = time::macros::date!(2026 - 12 - 07);
        // 2026-12-06T16:00:00Z
        assert_eq!(day_start_ms(day), 1_796_572_800_000);
    }
}
