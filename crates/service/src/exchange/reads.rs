//! Purpose-bound reads (DESIGN invariant 4): a reviewer reads, for one task
//! of their queue, only what the task's matter may read under the case's
//! granted consent, and every read is recorded — in the data subject's list
//! of reads and as an event of the case, in one transaction, all or none.

use uuid::Uuid;
use yici_core::case::{EventKind, Role, TaskId};
use yici_core::catalog::DatasetField;
use yici_exchange::consent::{ReadRefused, ScopeItem, reads_for};
use yici_store::exchange::{DataRead, SideEvent};

use crate::error::{Result, ServiceError};
use crate::gate::{ApplicantDesk, ReviewDesk, within};

/// One read, as the data subject sees it.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadView {
    /// When (ms).
    pub at_ms: i64,
    /// Which department.
    pub department: String,
    /// Which data set.
    pub dataset: String,
    /// Which fields.
    pub fields: Vec<String>,
    /// For which case.
    pub case_id: String,
    /// For which matter.
    pub matter: String,
}

impl ReviewDesk<'_> {
    /// Reads, for task `id`, the shared data its matter may read under the
    /// case's consent: every such field, or only those `asked` (asking for
    /// one it may not read refuses the whole read). Values by data set,
    /// then field; a missing record value is null.
    pub async fn read_task_data(
        &self,
        id: &str,
        asked: Option<&[DatasetField]>,
    ) -> Result<serde_json::Map<String, serde_json::Value>> {
        let not_found = || ServiceError::NotFound {
            what: "task",
            id: id.to_owned(),
        };
        let service = self.service();
        let task_id = TaskId::parse(id).map_err(|_| not_found())?;
        let stored = service
            .store()
            .case_of_task(id)
            .await?
            .ok_or_else(not_found)?;
        let task = stored.case.task(task_id).ok_or_else(not_found)?.clone();
        if task.department.as_str() != self.department()
            || !within(&task.region.to_string(), self.region())
        {
            return Err(ServiceError::Forbidden(
                "this task is outside your department's queue".into(),
            ));
        }
        let now = service.clock().now_ms();
        let consent = service.store().consent(&stored.case.id).await?;
        let Some(consent) = consent.filter(|c| c.status == "granted" && c.expires_ms > now) else {
            return Err(ServiceError::Forbidden(
                "the applicant has not granted consent for this case (or it lapsed or was withdrawn)"
                    .into(),
            ));
        };
        let items: Vec<ScopeItem> =
            serde_json::from_str(&consent.scope).map_err(ServiceError::internal)?;
        let planned = reads_for(service.catalog(), &items, task.matter.as_str(), asked)
            .map_err(|e: ReadRefused| ServiceError::Forbidden(e.to_string()))?;
        let mut out = serde_json::Map::new();
        let mut reads = Vec::new();
        for (dataset, fields) in planned {
            let record = service.store().record(&dataset, &stored.owner).await?;
            let values: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|f| {
                    let v = record.as_ref().and_then(|r| r.get(f)).cloned();
                    (f.clone(), v.unwrap_or(serde_json::Value::Null))
                })
                .collect();
            let read = DataRead {
                id: Uuid::now_v7().to_string(),
                case_id: stored.case.id.to_string(),
                subject: stored.owner.clone(),
                dataset: dataset.clone(),
                fields: serde_json::to_string(&fields).map_err(ServiceError::internal)?,
                matter: task.matter.to_string(),
                department: task.department.to_string(),
                consent_id: consent.id.clone(),
                actor: self.caller().user().id.clone(),
                at_ms: now,
            };
            let event = SideEvent {
                kind: EventKind::DataRead,
                actor: self.caller().user().id.clone(),
                role: Role::Reviewer,
                on: service.clock().today(),
                data: serde_json::json!({"dataset": dataset, "fields": fields, "matter": task.matter, "department": task.department, "consent": consent.id}),
            };
            reads.push((read, event));
            out.insert(dataset, serde_json::Value::Object(values));
        }
        service.store().record_reads(reads).await?;
        Ok(out)
    }
}

impl ApplicantDesk<'_> {
    /// Every read of the applicant's data ("who read my data"), newest
    /// first: a page of `limit` after `offset`, and how many in all.
    pub async fn my_reads(&self, limit: u32, offset: u64) -> Result<(Vec<ReadView>, u64)> {
        let (reads, total) = self
            .service()
            .store()
            .reads_of(self.subject(), limit, offset)
            .await?;
        let items = reads
            .into_iter()
            .map(|r| ReadView {
                at_ms: r.at_ms,
                department: r.department,
                dataset: r.dataset,
                fields: serde_json::from_str(&r.fields).unwrap_or_default(),
                case_id: r.case_id,
                matter: r.matter,
            })
            .collect();
        Ok((items, total))
    }
}
