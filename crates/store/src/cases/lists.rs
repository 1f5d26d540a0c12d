//! Lists of cases and tasks, for the queues and the pages: their filters
//! and one page of rows with the number that match in all. The `WHERE`
//! clause and the page are the plumbing's (`sql/filter.rs`), shared with
//! the outbox's list.

use yici_core::case::{CaseId, TaskState};

use crate::Store;
use crate::cases::read::{StoredCase, stored_case};
use crate::error::StoreError;
use crate::sql::filter::{Where, total};
use crate::sql::rows::Columns;

/// Which cases to list. Every filter is optional; the server sets the ones
/// the caller's role requires.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only this owner's cases (applicants).
    pub owner: Option<String>,
    /// Only cases in this state.
    pub state: Option<String>,
    /// Only cases whose applicant region starts with this prefix (a city's
    /// clerks see `3302`).
    pub region_prefix: Option<String>,
    /// Page size.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u64,
}

/// Which tasks to list.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Only this department's tasks.
    pub department: Option<String>,
    /// Only tasks whose region starts with this prefix.
    pub region_prefix: Option<String>,
    /// Only tasks in this state.
    pub state: Option<String>,
    /// Page size.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u64,
}

/// A task as listed in a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    /// Task id.
    pub id: String,
    /// Its case.
    pub case_id: String,
    /// Matter.
    pub matter: String,
    /// Department.
    pub department: String,
    /// Competent region.
    pub region: String,
    /// State.
    pub state: String,
    /// Stage.
    pub stage: i64,
    /// Deadline card: none, warning, overdue.
    pub flag: String,
    /// Opened on.
    pub opened_on: Option<String>,
    /// Due on.
    pub deadline: Option<String>,
    /// Decided on.
    pub decided_on: Option<String>,
}

/// `state IN (…every task state…)`.
fn every_task_state() -> String {
    let names: Vec<String> = TaskState::ALL
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("state IN ({})", names.join(", "))
}

fn task_row(r: &dyn Columns) -> Result<TaskRow, StoreError> {
    Ok(TaskRow {
        id: r.text("id")?,
        case_id: r.text("case_id")?,
        matter: r.text("matter")?,
        department: r.text("department")?,
        region: r.text("region")?,
        state: r.text("state")?,
        stage: r.int("stage")?,
        flag: r.text("flag")?,
        opened_on: r.opt_text("opened_on")?,
        deadline: r.opt_text("deadline")?,
        decided_on: r.opt_text("decided_on")?,
    })
}

impl Store {
    /// Cases matching `filter`, newest first, and how many match in all.
    pub async fn list_cases(
        &self,
        filter: &CaseFilter,
    ) -> Result<(Vec<StoredCase>, u64), StoreError> {
        let mut w = Where::new();
        w.eq("owner", &filter.owner);
        w.eq("state", &filter.state);
        w.prefix("region", &filter.region_prefix);
        let sql = format!(
            "SELECT owner, snapshot, COUNT(*) OVER () AS total FROM cases {} ORDER BY created_ms DESC, id LIMIT {} OFFSET {}",
            w.sql(),
            filter.limit,
            filter.offset
        );
        let rows = self
            .hot_rows(&sql, w.binds(), |r| Ok((stored_case(r)?, total(r)?)))
            .await?;
        let count = self.total_of(&rows, &w, "cases").await?;
        Ok((rows.into_iter().map(|(c, _)| c).collect(), count))
    }

    /// Tasks matching `filter`, most urgent first, and how many match in all.
    pub async fn list_tasks(&self, filter: &TaskFilter) -> Result<(Vec<TaskRow>, u64), StoreError> {
        let mut w = Where::new();
        w.eq("department", &filter.department);
        w.eq("state", &filter.state);
        if filter.department.is_some() && filter.state.is_none() {
            // The queue's index is (department, state, region, deadline):
            // naming every state lets a department's queue seek it by state
            // and region instead of reading all of the department's tasks.
            w.raw(&every_task_state());
        }
        w.prefix("region", &filter.region_prefix);
        let sql = format!(
            "SELECT id, case_id, matter, department, region, state, stage, flag, opened_on, deadline, decided_on, COUNT(*) OVER () AS total
             FROM tasks {} ORDER BY (deadline IS NULL), deadline, id LIMIT {} OFFSET {}",
            w.sql(),
            filter.limit,
            filter.offset
        );
        let rows = self
            .hot_rows(&sql, w.binds(), |r| Ok((task_row(r)?, total(r)?)))
            .await?;
        let count = self.total_of(&rows, &w, "tasks").await?;
        Ok((rows.into_iter().map(|(t, _)| t).collect(), count))
    }

    /// The case a task belongs to.
    pub async fn task_case(&self, task_id: &str) -> Result<Option<String>, StoreError> {
        self.hot_row(
            "SELECT case_id FROM tasks WHERE id = $1",
            &[task_id.to_owned()],
            |r| r.text("case_id"),
        )
        .await
    }

    /// The case a task belongs to, read in the same statement.
    pub async fn case_of_task(&self, task_id: &str) -> Result<Option<StoredCase>, StoreError> {
        self.hot_row(
            "SELECT c.id, c.owner, c.version, c.snapshot FROM tasks t JOIN cases c ON c.id = t.case_id WHERE t.id = $1",
            &[task_id.to_owned()],
            |r| {
                let id = CaseId::parse(&r.text("id")?)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                self.cases.read(&id, r)
            },
        )
        .await
    }
}
