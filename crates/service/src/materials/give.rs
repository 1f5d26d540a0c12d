//! Giving a file for a material of a case: online by the applicant, or at
//! the window by a clerk for the applicant. Only a material the applicant's
//! own plan says they bring takes files: what the exchange or an issued
//! certificate provides is never asked for (DESIGN invariant 3). The file is
//! judged by its content; a refused file is named with its material and its
//! rule, and nothing of it is kept.

use bytes::Bytes;
use futures_util::Stream;
use uuid::Uuid;
use yici_core::case::{CaseId, EventKind, Target};
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

    /// Checks and stages a file for material `material` of an application
    /// for `target` not yet made: the application page hands in its files
    /// with its form ([`ApplicantDesk::apply_online_with`]).
    pub async fn prepare_file<S, E>(
        &self,
        target: &Target,
        material: &str,
        file: GivenFile<S>,
    ) -> Result<Prepared>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let service = self.service();
        let name = service
            .brought_material(target, self.subject(), material)
            .await?;
        service.prepare(material, &name, file).await
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

/// A file checked and staged for a material, not yet part of a case:
/// what an application page hands in with its form. Attach it to the new
/// case, or discard it ([`Service::discard_prepared`]).
pub struct Prepared {
    material: String,
    staged: Staged,
    name: String,
    kind: FileKind,
}

impl Prepared {
    /// The material it is for.
    pub fn material(&self) -> &str {
        &self.material
    }

    /// Its size in bytes.
    pub fn size(&self) -> u64 {
        self.staged.scanned.size
    }
}

impl Service {
    /// Gives a file for case `case`, if the caller's desk reaches it
    /// (`reaches`); otherwise the case is not found. An online case that
    /// waited for its materials is accepted once the last one has a file.
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
        check_takes_files(&stored)?;
        let name = self
            .brought_material(&stored.case.target, &stored.owner, material)
            .await?;
        let prepared = self.prepare(material, &name, file).await?;
        let given = self.attach(caller, &stored, prepared).await?;
        self.accept_if_complete(stored).await?;
        Ok(given)
    }

    /// The material's name in Chinese, when the plan of `target` for
    /// `owner` says the applicant brings it; otherwise why not.
    pub(super) async fn brought_material(
        &self,
        target: &Target,
        owner: &str,
        material: &str,
    ) -> Result<String> {
        let plan = self.plan_for(target)?;
        let records = self.records_for(&plan, owner).await?;
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

    /// Streams `file` to staging and judges it by its content; a refused
    /// file is discarded and named with `material` (its key) and
    /// `material_name`.
    async fn prepare<S, E>(
        &self,
        material: &str,
        material_name: &str,
        file: GivenFile<S>,
    ) -> Result<Prepared>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let naming = Naming {
            key: material,
            material: material_name,
        };
        let shown = |kind: Option<FileKind>| {
            kind.map_or_else(|| file.name.clone(), |k| kept_name(&file.name, material, k))
        };
        // A name or type of a kind yici does not take is refused unread.
        let claim = claimed_kind(Some(&file.name), file.media_type.as_deref())
            .map_err(|_| naming.refused(&shown(None), &Refusal::Unsupported))?;
        let blobs = self.blobs()?;
        let staged = match blobs.stage(file.body, self.limits().max_file_bytes).await {
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
        Ok(Prepared {
            material: material.to_owned(),
            staged,
            name,
            kind,
        })
    }

    /// Discards files prepared for an application that was not made.
    pub async fn discard_prepared(&self, prepared: Vec<Prepared>) {
        if let Ok(blobs) = self.blobs() {
            for p in prepared {
                blobs.discard(&p.staged).await;
            }
        }
    }

    /// Keeps a prepared file and attaches it to case `stored` with its
    /// event, within the material's and the case's limits.
    pub(crate) async fn attach(
        &self,
        caller: &Caller,
        stored: &StoredCase,
        prepared: Prepared,
    ) -> Result<MaterialFile> {
        let blobs = self.blobs()?;
        let Prepared {
            material,
            staged,
            name,
            kind,
        } = prepared;
        if let Err(e) = blobs.keep(&staged).await {
            blobs.discard(&staged).await;
            return Err(e);
        }
        let now = self.clock().now_ms();
        let f = MaterialFile {
            id: Uuid::now_v7().to_string(),
            case_id: stored.case.id.to_string(),
            material,
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
        let limits = self.limits();
        let room = FileLimits {
            max_files: limits.max_files_per_material,
            max_case_bytes: limits.max_case_bytes,
        };
        let refusal = match self.store().attach_file(&f, event, room).await? {
            Attached::Done => return Ok(f),
            Attached::TooManyFiles => Refusal::TooManyFiles {
                limit: limits.max_files_per_material,
            },
            Attached::CaseTooLarge => Refusal::CaseTooLarge {
                limit: limits.max_case_bytes,
            },
        };
        self.forget_unused(&f.sha256).await?;
        let material_name = self
            .brought_material(&stored.case.target, &stored.owner, &f.material)
            .await
            .unwrap_or_else(|_| f.material.clone());
        let naming = Naming {
            key: &f.material,
            material: &material_name,
        };
        Err(naming.refused(&f.name, &refusal))
    }

    /// Deletes the sealed content `sha256` when no file of any case uses
    /// it: a file refused after its content was kept leaves nothing.
    pub(crate) async fn forget_unused(&self, sha256: &str) -> Result<()> {
        if self.store().files_with_content(sha256).await? == 0 {
            self.blobs()?.delete(sha256).await?;
        }
        Ok(())
    }
}

/// Refuses a file for a case that takes no more.
pub(super) fn check_takes_files(stored: &StoredCase) -> Result<()> {
    if stored.case.state.takes_materials() {
        Ok(())
    } else {
        Err(ServiceError::StateConflict(format!(
            "a case {} takes no more files",
            stored.case.state
        )))
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
