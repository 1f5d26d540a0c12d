//! Acting on a case: every action after submission, checked against the
//! caller's scope and the version they read, applied by the case machine,
//! followed by what the rules decide at once, and written with its
//! messages and certificates in one transaction.

use uuid::Uuid;
use yici_core::case::{Action, Case, CaseId, CaseState, TaskState, apply, settle};
use yici_store::{OutboxMessage, StoredCase};

use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::CaseDesk;

/// A case after an action.
#[derive(Debug)]
pub struct Acted {
    /// The case.
    pub case: Case,
    /// Its JSON as the store wrote it, when the action wrote (an answer
    /// need not serialize it again).
    pub stored_json: Option<String>,
}

impl CaseDesk<'_> {
    /// Applies `action` to case `id`, checked against the version the
    /// caller read (`None`: whatever is stored), and writes the result with
    /// its consequences.
    pub async fn act(
        &self,
        id: &CaseId,
        expected_version: Option<u64>,
        action: Action,
    ) -> Result<Acted> {
        let stored = self.service().store().case(id).await?;
        let stored = stored.ok_or_else(|| ServiceError::NotFound {
            what: "case",
            id: id.to_string(),
        })?;
        self.act_on(stored, expected_version, action).await
    }

    /// As [`CaseDesk::act`], on a case the caller has just read.
    pub async fn act_on(
        &self,
        stored: StoredCase,
        expected_version: Option<u64>,
        action: Action,
    ) -> Result<Acted> {
        self.scope().may_act(&stored, &action)?;
        self.service().check_supplied(&stored, &action).await?;
        self.service().check_fees(&stored, &action).await?;
        let current = stored.case;
        if let Some(v) = expected_version
            && v != current.version
        {
            return Err(ServiceError::VersionConflict {
                actual: current.version,
            });
        }
        let service = self.service();
        let today = service.clock().today();
        let t = apply(
            &current,
            action,
            &self.caller().actor(),
            today,
            service.calendar(),
        )?;
        let mut events = t.events;
        let settled = settle(service.catalog(), t.case, today, service.calendar())?;
        let case = settled.case;
        events.extend(settled.events);
        if events.is_empty() {
            return Ok(Acted {
                case,
                stored_json: None,
            });
        }
        let outbox = opened_messages(service, &current, &case)?;
        // Issuing the result issues its e-certificates and files them in the
        // holder's data-set records, in the same transaction.
        let certificates =
            if case.state == CaseState::ResultIssued && current.state != CaseState::ResultIssued {
                service.certificates_for(&case).await?
            } else {
                Vec::new()
            };
        // A rating is written with its rows in the register, and a 差评
        // with its follow-up.
        let mut alongside = service.rating_alongside(&current, &case, self.caller())?;
        // The applicant's messages of this step, written with it.
        alongside.extend(service.news_alongside(&current, &case).await?);
        let stored_json = service
            .store()
            .update_case_from(
                &current,
                &case,
                &events,
                &outbox,
                certificates,
                alongside,
                service.clock().now_ms(),
            )
            .await?;
        Ok(Acted {
            case,
            stored_json: Some(stored_json),
        })
    }
}

/// One CloudEvents message per task that opened, for departments that run
/// their own systems.
pub(crate) fn opened_messages(
    service: &Service,
    before: &Case,
    after: &Case,
) -> Result<Vec<OutboxMessage>> {
    let mut out = Vec::new();
    for task in &after.tasks {
        let was_open = before
            .task(task.id)
            .is_some_and(|t| t.state == TaskState::Open);
        if task.state != TaskState::Open || was_open || service.webhook(&task.department).is_none()
        {
            continue;
        }
        let id = Uuid::now_v7().to_string();
        let payload = crate::webhook::task_event(&id, after, task, service.clock().now())?;
        out.push(OutboxMessage {
            id,
            topic: "task.opened".into(),
            destination: task.department.to_string(),
            payload,
            attempts: 0,
        });
    }
    Ok(out)
}
