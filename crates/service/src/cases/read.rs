//! Reading cases and tasks within the caller's scope: one case with its
//! history, lists of cases and task queues, a task with its case. What is
//! outside the scope is "not found", so that its existence does not leak.

use yici_core::case::{Action, CaseId, CaseState, Outcome, TaskId, TaskState};
use yici_store::{CaseFilter, StoredCase, StoredEvent, TaskFilter, TaskRow};

use super::act::Acted;
use super::input::decision_outcome;
use crate::error::{Result, ServiceError};
use crate::gate::{ApplicantDesk, CaseDesk, ReviewDesk};

/// A case with its history, oldest event first.
#[derive(Debug)]
pub struct CaseWithHistory {
    /// The case and its owner.
    pub stored: StoredCase,
    /// Its events.
    pub events: Vec<StoredEvent>,
}

impl CaseWithHistory {
    /// The events as JSON, each with the time it was written (`at_ms`).
    pub fn events_json(&self) -> Vec<serde_json::Value> {
        self.events
            .iter()
            .map(|e| {
                let mut v = serde_json::to_value(&e.event).unwrap_or_default();
                v["at_ms"] = e.at_ms.into();
                v
            })
            .collect()
    }
}

fn task_not_found(id: &str) -> ServiceError {
    ServiceError::NotFound {
        what: "task",
        id: id.to_owned(),
    }
}

impl CaseDesk<'_> {
    /// Case `id`, if the caller may see it.
    pub async fn case(&self, id: &CaseId) -> Result<StoredCase> {
        let stored = self.service().store().case(id).await?;
        self.scope().viewable(stored, &id.to_string())
    }

    /// Case `id` with its history, if the caller may see it.
    pub async fn history(&self, id: &CaseId) -> Result<CaseWithHistory> {
        let stored = self.case(id).await?;
        let events = self.service().store().case_events(id).await?;
        Ok(CaseWithHistory { stored, events })
    }

    /// A page of the cases in scope, newest first, with how many match.
    /// `filter.state`, when given, must name a case state.
    pub async fn list(&self, filter: CaseFilter) -> Result<(Vec<StoredCase>, u64)> {
        if let Some(s) = &filter.state
            && serde_json::from_value::<CaseState>(serde_json::Value::String(s.clone())).is_err()
        {
            return Err(ServiceError::invalid(
                "state",
                "one_of",
                format!("{s:?} is not a case state"),
            ));
        }
        let filter = self.scope().case_filter(filter)?;
        Ok(self.service().store().list_cases(&filter).await?)
    }

    /// A page of the task queue in scope, most urgent first, with how many
    /// match. `filter.state`, when given, must name a task state.
    pub async fn tasks(&self, filter: TaskFilter) -> Result<(Vec<TaskRow>, u64)> {
        if let Some(s) = &filter.state
            && !TaskState::ALL.iter().any(|t| t.as_str() == s)
        {
            let names: Vec<&str> = TaskState::ALL.iter().map(|t| t.as_str()).collect();
            return Err(ServiceError::invalid(
                "state",
                "one_of",
                format!("{s:?} is not one of {}", names.join(", ")),
            ));
        }
        let filter = self.scope().task_filter(filter)?;
        Ok(self.service().store().list_tasks(&filter).await?)
    }

    /// Task `id` with its case, if the caller may decide it.
    pub async fn task(&self, id: &str) -> Result<(StoredCase, TaskId)> {
        let task = TaskId::parse(id).map_err(|_| task_not_found(id))?;
        let stored = self.service().store().case_of_task(id).await?;
        let stored = stored.ok_or_else(|| task_not_found(id))?;
        // Whether the reviewer may decide it is the one authorization rule.
        let decide = Action::Decide {
            task,
            outcome: Outcome::Approve,
            comment: None,
        };
        self.scope().may_act(&stored, &decide)?;
        Ok((stored, task))
    }

    /// Whether the caller may decide task `task` of the case.
    pub fn may_decide(&self, stored: &StoredCase, task: TaskId) -> bool {
        let decide = Action::Decide {
            task,
            outcome: Outcome::Approve,
            comment: None,
        };
        self.scope().may_act(stored, &decide).is_ok()
    }
}

impl ReviewDesk<'_> {
    /// Decides task `id` with `outcome` (`approve`, `deny`, or
    /// `supplement` naming `materials`). The task is found and checked
    /// against the reviewer's queue first, then the decision is read, so a
    /// task outside the queue is refused whatever was sent. Of two
    /// reviewers deciding at once one wins and the other is told the case
    /// changed.
    pub async fn decide(
        &self,
        id: &str,
        expected_version: Option<u64>,
        outcome: &str,
        materials: &[String],
        comment: Option<String>,
    ) -> Result<Acted> {
        let desk = self.service().cases(self.caller())?;
        let (stored, task) = desk.task(id).await?;
        let action = Action::Decide {
            task,
            outcome: decision_outcome(outcome, materials)?,
            comment,
        };
        desk.act_on(stored, expected_version, action).await
    }
}

impl ApplicantDesk<'_> {
    /// A page of the applicant's own cases, newest first, with how many.
    pub async fn my_cases(&self, limit: u32, offset: u64) -> Result<(Vec<StoredCase>, u64)> {
        let filter = CaseFilter {
            owner: Some(self.subject().to_owned()),
            limit,
            offset,
            ..Default::default()
        };
        Ok(self.service().store().list_cases(&filter).await?)
    }
}
