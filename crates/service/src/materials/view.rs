//! Opening the files of a case: only those who may see the case may list or
//! open them (a file of a case outside the scope is not found), and every
//! opening is logged, in the case's history and in the list the applicant
//! sees beside "who read my data".

use bytes::Bytes;
use futures_util::stream::BoxStream;
use uuid::Uuid;
use yici_catalog::Plan;
use yici_core::case::{CaseId, EventKind};
use yici_store::exchange::SideEvent;
use yici_store::materials::{MaterialFile, MaterialView};

use crate::error::{Result, ServiceError};
use crate::gate::{ApplicantDesk, CaseDesk};

/// A file opened: what it is, and its content streaming out.
pub struct Opened {
    /// The file.
    pub file: MaterialFile,
    /// Its content, opened chunk by chunk.
    pub content: BoxStream<'static, Result<Bytes>>,
}

/// A case's materials as its pages show them.
pub struct CaseMaterials {
    /// The applicant's own plan: what they bring, what is fetched.
    pub plan: Plan,
    /// The files given, deleted ones included (their hashes stay).
    pub files: Vec<MaterialFile>,
    /// What an online application waiting for its files still lacks.
    pub missing: Vec<String>,
}

impl CaseDesk<'_> {
    /// The files of case `id`, deleted ones included (their hashes stay).
    pub async fn files(&self, id: &CaseId) -> Result<Vec<MaterialFile>> {
        self.case(id).await?;
        Ok(self.service().store().case_files(&id.to_string()).await?)
    }

    /// The materials of case `id`: the applicant's own plan, the files
    /// and what is still missing.
    pub async fn materials(&self, id: &CaseId) -> Result<CaseMaterials> {
        let stored = self.case(id).await?;
        let service = self.service();
        let missing = service.missing_materials(&stored).await?;
        Ok(CaseMaterials {
            plan: service.personal_plan_of(&stored).await?,
            files: service.store().case_files(&id.to_string()).await?,
            missing,
        })
    }

    /// Opens file `id`, logging the opening first: an opening that cannot
    /// be logged does not happen.
    pub async fn open_file(&self, id: &str) -> Result<Opened> {
        let not_found = || ServiceError::NotFound {
            what: "file",
            id: id.to_owned(),
        };
        let service = self.service();
        let file = service
            .store()
            .material_file(id)
            .await?
            .ok_or_else(not_found)?;
        let case_id = CaseId::parse(&file.case_id).map_err(|_| not_found())?;
        let stored = service.store().case(&case_id).await?;
        self.scope().viewable(stored, id).map_err(|_| not_found())?;
        if file.deleted_ms.is_some() {
            return Err(ServiceError::StateConflict(
                "the file was deleted when its retention ended; its hash stays in the case's history"
                    .into(),
            ));
        }
        let content = service.blobs()?.open(&file.sha256).await?;
        let caller = self.caller();
        let view = MaterialView {
            id: Uuid::now_v7().to_string(),
            file_id: file.id.clone(),
            case_id: file.case_id.clone(),
            subject: file.subject.clone(),
            viewer: caller.user().id.clone(),
            role: caller.role().as_str().to_owned(),
            at_ms: service.clock().now_ms(),
        };
        let event = SideEvent {
            kind: EventKind::MaterialViewed,
            actor: caller.user().id.clone(),
            role: caller.role(),
            on: service.clock().today(),
            data: serde_json::json!({"file": file.id, "material": file.material, "sha256": file.sha256}),
        };
        service.store().record_view(&view, event).await?;
        Ok(Opened { file, content })
    }
}

impl ApplicantDesk<'_> {
    /// Who opened the applicant's documents, newest first: a page of
    /// `limit` after `offset`, and how many in all.
    pub async fn document_views(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<MaterialView>, u64)> {
        Ok(self
            .service()
            .store()
            .views_of(self.subject(), limit, offset)
            .await?)
    }
}

/// An opening of one of the applicant's documents, with the document.
#[derive(Debug, Clone)]
pub struct OpenedDocument {
    /// Who opened it, when, in which role.
    pub view: MaterialView,
    /// The file opened (`None` only if its row is gone).
    pub file: Option<MaterialFile>,
}

impl ApplicantDesk<'_> {
    /// As [`ApplicantDesk::document_views`], each with the file opened, so
    /// that the applicant sees which document it was.
    pub async fn opened_documents(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<OpenedDocument>, u64)> {
        let (views, total) = self.document_views(limit, offset).await?;
        let mut out = Vec::with_capacity(views.len());
        for view in views {
            let file = self.service().store().material_file(&view.file_id).await?;
            out.push(OpenedDocument { view, file });
        }
        Ok((out, total))
    }
}
