//! A material given once is not given again: the applicant's earlier files
//! of the same material (the articles of association, say) are offered for
//! a new case, and their choice is recorded, as a new attachment naming the
//! file it reuses. And at the window, a clerk records that the original
//! paper of a material was seen, and by whom.

use uuid::Uuid;
use yici_core::case::{CaseId, EventKind};
use yici_store::StoredCase;
use yici_store::exchange::SideEvent;
use yici_store::materials::{Attached, FileLimits, MaterialFile};

use crate::error::{Result, ServiceError};
use crate::gate::{ApplicantDesk, WindowDesk, within};

fn not_found(what: &'static str, id: &str) -> ServiceError {
    ServiceError::NotFound {
        what,
        id: id.to_owned(),
    }
}

impl ApplicantDesk<'_> {
    async fn own_case_for_files(&self, case: &CaseId) -> Result<StoredCase> {
        let stored = self.service().store().case(case).await?;
        stored
            .filter(|s| s.owner == self.subject())
            .ok_or_else(|| not_found("case", &case.to_string()))
    }

    /// The applicant's earlier files of `material` that case `case` does
    /// not have yet, newest first: what can be given again without a scan.
    pub async fn reuse_offers(&self, case: &CaseId, material: &str) -> Result<Vec<MaterialFile>> {
        let stored = self.own_case_for_files(case).await?;
        let store = self.service().store();
        let here = store.case_files(&stored.case.id.to_string()).await?;
        let offered = store.subject_files(self.subject(), material).await?;
        Ok(offered
            .into_iter()
            .filter(|f| f.case_id != stored.case.id.to_string())
            .filter(|f| !here.iter().any(|h| h.sha256 == f.sha256))
            .collect())
    }

    /// Gives earlier file `file` again for `material` of case `case`: the
    /// same sealed content, a new attachment that names the file it reuses.
    pub async fn reuse_file(
        &self,
        case: &CaseId,
        material: &str,
        file: &str,
    ) -> Result<MaterialFile> {
        let service = self.service();
        let stored = self.own_case_for_files(case).await?;
        super::give::check_takes_files(&stored)?;
        service
            .brought_material(&stored.case.target, &stored.owner, material)
            .await?;
        let earlier = service
            .store()
            .material_file(file)
            .await?
            .filter(|f| f.subject == self.subject() && f.deleted_ms.is_none())
            .ok_or_else(|| not_found("file", file))?;
        if earlier.material != material {
            return Err(ServiceError::invalid(
                format!("materials.{material}"),
                "other_material",
                format!(
                    "file {file} was given for {}, not {material}",
                    earlier.material
                ),
            ));
        }
        let now = service.clock().now_ms();
        let f = MaterialFile {
            id: Uuid::now_v7().to_string(),
            case_id: stored.case.id.to_string(),
            given_by: self.caller().user().id.clone(),
            given_ms: now,
            reused_from: Some(earlier.id.clone()),
            original_seen_by: None,
            original_seen_ms: None,
            deleted_ms: None,
            ..earlier
        };
        let event = SideEvent {
            kind: EventKind::MaterialAttached,
            actor: f.given_by.clone(),
            role: self.caller().role(),
            on: service.clock().today(),
            data: serde_json::json!({
                "material": f.material, "file": f.id, "sha256": f.sha256,
                "size": f.size, "kind": f.kind, "reused_from": f.reused_from,
            }),
        };
        let limits = service.limits();
        let room = FileLimits {
            max_files: limits.max_files_per_material,
            max_case_bytes: limits.max_case_bytes,
        };
        match service.store().attach_file(&f, event, room).await? {
            Attached::Done => {
                service.accept_if_complete(stored).await?;
                Ok(f)
            }
            Attached::TooManyFiles | Attached::CaseTooLarge => Err(ServiceError::invalid(
                format!("materials.{material}"),
                "max_files",
                "the material or the case has no room for another file",
            )),
        }
    }
}

impl WindowDesk<'_> {
    /// Records that the clerk saw the original paper of file `file`'s
    /// material, for a material whose original must be shown.
    pub async fn original_seen(&self, file: &str) -> Result<MaterialFile> {
        let service = self.service();
        let f = service
            .store()
            .material_file(file)
            .await?
            .ok_or_else(|| not_found("file", file))?;
        let case_id = CaseId::parse(&f.case_id).map_err(|_| not_found("file", file))?;
        let stored = service
            .store()
            .case(&case_id)
            .await?
            .filter(|s| within(&s.case.subject.region().to_string(), self.city()))
            .ok_or_else(|| not_found("file", file))?;
        let plan = service.plan_for(&stored.case.target)?;
        let required = plan
            .materials
            .bring
            .iter()
            .any(|m| m.key.as_str() == f.material && m.original_required);
        if !required {
            return Err(ServiceError::invalid(
                "file",
                "original_not_required",
                format!("material {} needs no original shown", f.material),
            ));
        }
        let by = self.caller().user().id.clone();
        let now = service.clock().now_ms();
        let event = SideEvent {
            kind: EventKind::OriginalSeen,
            actor: by.clone(),
            role: self.caller().role(),
            on: service.clock().today(),
            data: serde_json::json!({"file": f.id, "material": f.material, "window": self.window()}),
        };
        service
            .store()
            .record_original_seen(&f.id, &f.case_id, &by, now, event)
            .await?;
        Ok(MaterialFile {
            original_seen_by: Some(by),
            original_seen_ms: Some(now),
            ..f
        })
    }
}
