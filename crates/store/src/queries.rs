//! Lists for queues and pages, and the figures of the supervisor's stats.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::cases::{StoredCase, stored_case};
use crate::error::StoreError;

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

struct Where {
    clauses: Vec<String>,
    binds: Vec<String>,
}

impl Where {
    fn new() -> Self {
        Where {
            clauses: Vec::new(),
            binds: Vec::new(),
        }
    }

    fn eq(&mut self, column: &str, value: &Option<String>) {
        if let Some(v) = value {
            self.binds.push(v.clone());
            self.clauses
                .push(format!("{column} = ${}", self.binds.len()));
        }
    }

    fn prefix(&mut self, column: &str, value: &Option<String>) {
        if let Some(v) = value {
            // Region codes are digits only, so LIKE needs no escaping.
            self.binds.push(format!("{}%", v.trim_end_matches('0')));
            self.clauses
                .push(format!("{column} LIKE ${}", self.binds.len()));
        }
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    fn query<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        self.binds.iter().fold(sqlx::query(sql), |q, b| q.bind(b))
    }
}

fn task_row(r: &AnyRow) -> Result<TaskRow, StoreError> {
    Ok(TaskRow {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        matter: r.try_get("matter")?,
        department: r.try_get("department")?,
        region: r.try_get("region")?,
        state: r.try_get("state")?,
        stage: r.try_get("stage")?,
        flag: r.try_get("flag")?,
        opened_on: r.try_get("opened_on")?,
        deadline: r.try_get("deadline")?,
        decided_on: r.try_get("decided_on")?,
    })
}

fn total(row: &AnyRow) -> Result<u64, StoreError> {
    Ok(u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0))
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
        let count_sql = format!("SELECT COUNT(*) FROM cases {}", w.sql());
        let count = total(&w.query(&count_sql).fetch_one(&self.pools.read).await?)?;
        let sql = format!(
            "SELECT owner, snapshot FROM cases {} ORDER BY created_ms DESC, id LIMIT {} OFFSET {}",
            w.sql(),
            filter.limit,
            filter.offset
        );
        let rows = w.query(&sql).fetch_all(&self.pools.read).await?;
        let cases = rows.iter().map(stored_case).collect::<Result<_, _>>()?;
        Ok((cases, count))
    }

    /// Tasks matching `filter`, most urgent first, and how many match in all.
    pub async fn list_tasks(&self, filter: &TaskFilter) -> Result<(Vec<TaskRow>, u64), StoreError> {
        let mut w = Where::new();
        w.eq("department", &filter.department);
        w.eq("state", &filter.state);
        w.prefix("region", &filter.region_prefix);
        let count_sql = format!("SELECT COUNT(*) FROM tasks {}", w.sql());
        let count = total(&w.query(&count_sql).fetch_one(&self.pools.read).await?)?;
        let sql = format!(
            "SELECT id, case_id, matter, department, region, state, stage, flag, opened_on, deadline, decided_on
             FROM tasks {} ORDER BY (deadline IS NULL), deadline, id LIMIT {} OFFSET {}",
            w.sql(),
            filter.limit,
            filter.offset
        );
        let rows = w.query(&sql).fetch_all(&self.pools.read).await?;
        let tasks = rows.iter().map(task_row).collect::<Result<_, _>>()?;
        Ok((tasks, count))
    }

    /// The case a task belongs to.
    pub async fn task_case(&self, task_id: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT case_id FROM tasks WHERE id = $1")
            .bind(task_id)
            .fetch_optional(&self.pools.read)
            .await?;
        Ok(row.map(|r| r.try_get("case_id")).transpose()?)
    }
}
