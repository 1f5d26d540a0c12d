//! Giving a file for a material of a case: online by the applicant, or at
//! the window by a clerk for the applicant. Only a material the applicant's
//! own plan says they bring takes files: what the exchange or an issued
//! certificate provides is never asked for (DESIGN invariant 3). The file is
//! judged by its content; a refused file is named with its material and its
//! rule, and nothing of it is kept.

use bytes::Bytes;
use futures_util::Stream;
use uuid::Uuid;
use yici_core::case::{CaseId, EventKind};
use yici_exchange::prefill::personal_plan;
use yici_materials::{FileKind, Refusal, claimed_kind};
use yici_store::StoredCase;
use yici_store::exchange::SideEvent;
use yici_store::materials::{Attached, FileLimits, MaterialFile};

use super::blobs::{Refused, Staged};
use crate::context::Service;
use crate::error::{FieldProblem, Result, ServiceError};
use crate::gate::{ApplicantDesk, Caller, WindowDesk, within};

/// A file as given: the name and media type it comes with (for people and
/// for the claim checked against its content) and its bytes as a stream.
pub struct GivenFile<S> {
    /// Its name as given; only its last part is kept, and never as a path.
    pub name: String,
    /// The media type it was declared with, if any.
    pub media_type: Option<String>,
    /// Its bytes.
    pub body: S,
}

/// The longest name kept, in characters.
const MAX_NAME: usize = 200;

/// What of a given name is kept: its last part, without control
/// characters, at most [`MAX_NAME`] characters; a name that is nothing
/// becomes the material's key with the kind's extension.
fn kept_name(given: &str, material: &str, kind: FileKind) -> String {
    let last = given
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME)
        .collect::<String>();
    let last = last.trim().trim_start_matches('.').to_owned();
    if last.is_empty() {
        format!("{material}.{}", kind.extension())
    } else {
        last
    }
}

/// What a refusal names: the material's key (the field) and name, and
/// the file's name.
struct Naming<'a> {
    key: &'a str,
    material: &'a str,
}

impl Naming<'_> {
    /// A refusal as the problem of the material's field.
    fn refused(&self, file: &str, r: &Refusal) -> ServiceError {
        ServiceError::Invalid(vec![FieldProblem::new(
            format!("materials.{}", self.key),
            r.rule(),
            format!("{} · {file}: {r}", self.material),
        )])
    }
}

impl ApplicantDesk<'_> {
    /// Gives a file for material `material` of the applicant's own case.
    pub async fn give_file<S, E>(
        &self,
        case: &CaseId,
        material: &str,
        file: GivenFile<S>,
    ) -> Result<MaterialFile>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let own = |s: &StoredCase| s.owner == self.subject();
        self.service()
            .give_to(self.caller(), case, own, material, file)
            .await
    }
}

impl WindowDesk<'_> {
    /// Gives a file (a scan) for material `material` of a case of the
    /// clerk's city.
    pub async fn give_file<S, E>(
        &self,
        case: &CaseId,
        material: &str,
        file: GivenFile<S>,
    ) -> Result<MaterialFile>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let city = |s: &StoredCase| within(&s.case.subject.region().to_string(), self.city());
        self.service()
            .give_to(self.caller(), case, city, material, file)
            .await
    }
}

impl Service {
    /// Gives a file for case `case`, if the caller's desk reaches it
    /// (`reaches`); otherwise the case is not found.
    async fn give_to<S, E>(
        &self,
        caller: &Caller,
        case: &CaseId,
        reaches: impl Fn(&StoredCase) -> bool,
        material: &str,
        file: GivenFile<S>,
    ) -> Result<MaterialFile>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let stored = self.store().case(case).await?;
        let stored = stored
            .filter(|s| reaches(s))
            .ok_or_else(|| ServiceError::NotFound {
                what: "case",
                id: case.to_string(),
            })?;
        self.give(caller, stored, material, file).await
    }

    /// The material's name in Chinese, when the case's plan has it.
    pub(super) async fn brought_material(
        &self,
        stored: &StoredCase,
        material: &str,
    ) -> Result<String> {
        let plan = self.plan_for(&stored.case.target)?;
        let records = self.records_for(&plan, &stored.owner).await?;
        let plan = personal_plan(plan, &records);
        if let Some(m) = plan
            .materials
            .bring
            .iter()
            .find(|m| m.key.as_str() == material)
        {
            return Ok(m.name.zh.to_string());
        }
        let provided = plan
            .materials
            .fetched
            .iter()
            .chain(&plan.materials.internal)
            .any(|m| m.key.as_str() == material);
        Err(if provided {
            ServiceError::invalid(
                format!("materials.{material}"),
                "not_brought",
                "the exchange or the departments provide this material; it is never asked for",
            )
        } else {
            ServiceError::invalid(
                format!("materials.{material}"),
                "unknown_material",
                "the case's plan has no such material",
            )
        })
    }

    /// The checks a stream scan cannot do, on the whole staged file.
    async fn check_whole(&self, staged: &Staged) -> std::result::Result<(), Refused> {
        if !staged.scanned.needs_whole_check {
            return Ok(());
        }
        let blobs = self.blobs()?;
        let bytes = blobs.read_whole(staged).await?;
        let kind = staged.scanned.kind;
        let verdict = tokio::task::spawn_blocking(move || match kind {
            FileKind::Pdf => yici_materials::pdf::check(&bytes),
            FileKind::Ofd => yici_materials::ofd::check(std::io::Cursor::new(bytes)),
            FileKind::Jpeg | FileKind::Png => Ok(()),
        })
        .await
        .map_err(|e| Refused::Failed(ServiceError::internal(e)))?;
        verdict.map_err(Refused::File)
    }

    async fn give<S, E>(
        &self,
        caller: &Caller,
        stored: StoredCase,
        material: &str,
        file: GivenFile<S>,
    ) -> Result<MaterialFile>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        if !stored.case.state.takes_materials() {
            return Err(ServiceError::StateConflict(format!(
                "a case {} takes no more files",
                stored.case.state
            )));
        }
        let material_name = self.brought_material(&stored, material).await?;
        let naming = Naming {
            key: material,
            material: &material_name,
        };
        let shown = |kind: Option<FileKind>| {
            kind.map_or_else(|| file.name.clone(), |k| kept_name(&file.name, material, k))
        };
        // A name or type of a kind yici does not take is refused unread.
        let claim = claimed_kind(Some(&file.name), file.media_type.as_deref())
            .map_err(|_| naming.refused(&shown(None), &Refusal::Unsupported))?;
        let blobs = self.blobs()?;
        let limits = self.limits();
        let staged = match blobs.stage(file.body, limits.max_file_bytes).await {
            Ok(s) => s,
            Err(Refused::File(r)) => return Err(naming.refused(&shown(None), &r)),
            Err(Refused::Failed(e)) => return Err(e),
        };
        let kind = staged.scanned.kind;
        let name = shown(Some(kind));
        let mut verdict = self.check_whole(&staged).await;
        if verdict.is_ok()
            && let Some(claimed) = claim
            && claimed != kind
        {
            verdict = Err(Refused::File(Refusal::mismatch(
                claimed.as_str(),
                Some(kind),
            )));
        }
        if let Err(e) = verdict {
            blobs.discard(&staged).await;
            return Err(match e {
                Refused::File(r) => naming.refused(&name, &r),
                Refused::Failed(e) => e,
            });
        }
        if let Err(e) = blobs.keep(&staged).await {
            blobs.discard(&staged).await;
            return Err(e);
        }
        let now = self.clock().now_ms();
        let f = MaterialFile {
            id: Uuid::now_v7().to_string(),
            case_id: stored.case.id.to_string(),
            material: material.to_owned(),
            subject: stored.owner.clone(),
            sha256: staged.scanned.sha256.clone(),
            kind: kind.as_str().to_owned(),
            size: i64::try_from(staged.scanned.size).unwrap_or(i64::MAX),
            name,
            given_by: caller.user().id.clone(),
            given_ms: now,
            reused_from: None,
            original_seen_by: None,
            original_seen_ms: None,
            deleted_ms: None,
        };
        let event = SideEvent {
            kind: EventKind::MaterialAttached,
            actor: caller.user().id.clone(),
            role: caller.role(),
            on: self.clock().today(),
            data: serde_json::json!({
                "material": f.material, "file": f.id, "sha256": f.sha256,
                "size": f.size, "kind": f.kind,
            }),
        };
        let room = FileLimits {
            max_files: limits.max_files_per_material,
            max_case_bytes: limits.max_case_bytes,
        };
        match self.store().attach_file(&f, event, room).await? {
            Attached::Done => Ok(f),
            Attached::TooManyFiles => Err(naming.refused(
                &f.name,
                &Refusal::TooManyFiles {
                    limit: limits.max_files_per_material,
                },
            )),
            Attached::CaseTooLarge => Err(naming.refused(
                &f.name,
                &Refusal::CaseTooLarge {
                    limit: limits.max_case_bytes,
                },
            )),
        }
    }
}

impl crate::gate::Intake<'_> {
    /// Gives a file for a material: an applicant for their own case, a
    /// clerk for a case of their city.
    pub async fn give_file<S, E>(
        &self,
        case: &CaseId,
        material: &str,
        file: GivenFile<S>,
    ) -> Result<MaterialFile>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        match self {
            crate::gate::Intake::Online(desk) => desk.give_file(case, material, file).await,
            crate::gate::Intake::Window(desk) => desk.give_file(case, material, file).await,
        }
    }
}
