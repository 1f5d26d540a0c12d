//! Raw figures for the supervisor's statistics. Working-day arithmetic is
//! the caller's (it needs the calendar); the store only counts and lists.
//! A file of its own beside the aggregates: it only reads, across the
//! cases' and tasks' tables, and nothing uses it.

use sqlx::Row;

use crate::Store;
use crate::error::StoreError;

/// Which cases the figures cover.
#[derive(Debug, Clone, Default)]
pub struct StatsFilter {
    /// Submitted on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Submitted on or before this day.
    pub to: Option<String>,
    /// Only cases with a task of this department (and only its tasks).
    pub department: Option<String>,
    /// Only cases of applicants in this region (prefix of the code).
    pub region_prefix: Option<String>,
}

/// A decided task, for average working days per matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidedTask {
    /// Matter.
    pub matter: String,
    /// Department.
    pub department: String,
    /// Opened on.
    pub opened_on: String,
    /// Decided on.
    pub decided_on: String,
}

/// The counts behind `GET /api/v1/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsRows {
    /// Cases per state.
    pub by_state: Vec<(String, u64)>,
    /// Closed (delivered or rated) cases per number of trips.
    pub closed_by_trips: Vec<(i64, u64)>,
    /// Sum and count of ratings.
    pub rating_sum: i64,
    /// Number of rated cases.
    pub rating_count: u64,
    /// Decided tasks.
    pub decided: Vec<DecidedTask>,
    /// Tasks per department and deadline card (`warning`, `overdue`).
    pub flags: Vec<(String, String, u64)>,
}

impl Store {
    /// Counts for the supervisor, filtered.
    pub async fn stats(&self, f: &StatsFilter) -> Result<StatsRows, StoreError> {
        let mut clauses = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let mut push = |clause: &str, value: String| {
            binds.push(value);
            clauses.push(clause.replace('?', &format!("${}", binds.len())));
        };
        if let Some(v) = &f.from {
            push("c.submitted_on >= ?", v.clone());
        }
        if let Some(v) = &f.to {
            push("c.submitted_on <= ?", v.clone());
        }
        if let Some(v) = &f.region_prefix {
            let (low, high) = crate::sql::filter::region_range(v);
            push("c.region >= ?", low);
            if let Some(high) = high {
                push("c.region < ?", high);
            }
        }
        if let Some(v) = &f.department {
            push(
                "c.id IN (SELECT case_id FROM tasks WHERE department = ?)",
                v.clone(),
            );
        }
        let case_where = if clauses.is_empty() {
            "1 = 1".to_owned()
        } else {
            clauses.join(" AND ")
        };
        // Task-level queries also keep only the department's own tasks.
        let mut task_binds = binds.clone();
        let task_dept = match &f.department {
            Some(d) => {
                task_binds.push(d.clone());
                format!("AND t.department = ${}", task_binds.len())
            }
            None => String::new(),
        };
        let pool = self.pools.read.clone();
        let run = |sql: String, with_task: bool| {
            let binds = if with_task {
                task_binds.clone()
            } else {
                binds.clone()
            };
            let pool = pool.clone();
            async move {
                let q = binds
                    .iter()
                    .fold(sqlx::query(&sql), |q, b| q.bind(b.clone()));
                q.fetch_all(&pool).await
            }
        };
        let count = |v: i64| u64::try_from(v).unwrap_or(0);
        let mut out = StatsRows::default();
        for r in run(
            format!("SELECT c.state, COUNT(*) FROM cases c WHERE {case_where} GROUP BY c.state ORDER BY c.state"),
            false,
        )
        .await?
        {
            out.by_state.push((r.try_get(0)?, count(r.try_get(1)?)));
        }
        for r in run(format!(
            "SELECT c.trips, COUNT(*) FROM cases c WHERE {case_where} AND c.state IN ('delivered', 'rated') GROUP BY c.trips ORDER BY c.trips"
        ), false)
        .await?
        {
            out.closed_by_trips.push((r.try_get(0)?, count(r.try_get(1)?)));
        }
        for r in run(format!(
            "SELECT CAST(COALESCE(SUM(c.rating), 0) AS BIGINT), COUNT(c.rating) FROM cases c WHERE {case_where}"
        ), false)
        .await?
        {
            out.rating_sum = r.try_get(0)?;
            out.rating_count = count(r.try_get(1)?);
        }
        for r in run(format!(
            "SELECT t.matter, t.department, t.opened_on, t.decided_on FROM tasks t JOIN cases c ON c.id = t.case_id
             WHERE {case_where} {task_dept} AND t.decided_on IS NOT NULL AND t.opened_on IS NOT NULL"
        ), true)
        .await?
        {
            out.decided.push(DecidedTask {
                matter: r.try_get(0)?,
                department: r.try_get(1)?,
                opened_on: r.try_get(2)?,
                decided_on: r.try_get(3)?,
            });
        }
        for r in run(format!(
            "SELECT t.department, t.flag, COUNT(*) FROM tasks t JOIN cases c ON c.id = t.case_id
             WHERE {case_where} {task_dept} AND t.flag <> 'none' GROUP BY t.department, t.flag ORDER BY t.department, t.flag"
        ), true)
        .await?
        {
            out.flags.push((r.try_get(0)?, r.try_get(1)?, count(r.try_get(2)?)));
        }
        Ok(out)
    }
}
