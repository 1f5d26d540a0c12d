//! Scopes: which cases and tasks a desk reaches. Handle-anywhere (全城通办)
//! is here and nowhere else: a clerk works for every district of their
//! city, while the tasks stay with the competent department of the
//! applicant's district.

use yici_core::case::{Action, Case, Task};
use yici_store::{CaseFilter, StoredCase, TaskFilter};

use crate::error::{Result, ServiceError};

/// The significant prefix of a region code: 330200 (a city) covers every
/// code starting 3302; 330000 (a province) every code starting 33.
pub fn region_prefix(code: &str) -> &str {
    let mut p = code;
    while p.len() > 2 && p.ends_with("00") {
        p = &p[..p.len() - 2];
    }
    p
}

/// Whether `region` lies within `scope`.
pub fn within(region: &str, scope: &str) -> bool {
    region.starts_with(region_prefix(scope))
}

/// A clerk's city: window clerks accept for any jurisdiction of their city
/// (全城通办), so a district's clerk works for the whole city.
pub fn city_of(region: &str) -> String {
    format!("{}00", &region[..region.len().min(4)])
}

/// The subject (resident ID or USCC) a case belongs to.
pub fn owner_of(case: &Case) -> String {
    match &case.subject {
        yici_core::case::Applicant::Person { resident_id, .. } => resident_id.to_string(),
        yici_core::case::Applicant::Enterprise { uscc, .. } => uscc.to_string(),
    }
}

/// The cases and tasks a signed-in caller reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseScope {
    /// An applicant: the cases whose data subject they are.
    Own {
        /// Resident ID or USCC.
        subject: String,
    },
    /// A window clerk: every case whose applicant is in the city.
    City {
        /// The city's code, e.g. 330200.
        city: String,
    },
    /// A reviewer: the cases with a task of their department in their region.
    Department {
        /// Department code.
        department: String,
        /// Region the reviewer works for.
        region: String,
    },
    /// Supervisors and administrators: everything.
    All,
}

impl CaseScope {
    /// Whether the scope reaches a task: a reviewer's own department's, in
    /// their region; everybody else's scope is decided on the case.
    pub fn covers_task(&self, task: &Task) -> bool {
        match self {
            CaseScope::Department { department, region } => {
                task.department.as_str() == department && within(&task.region.to_string(), region)
            }
            CaseScope::All => true,
            CaseScope::Own { .. } | CaseScope::City { .. } => false,
        }
    }

    /// Whether the caller may see the case.
    pub fn may_view(&self, stored: &StoredCase) -> bool {
        match self {
            CaseScope::Own { subject } => stored.owner == *subject,
            CaseScope::City { city } => within(&stored.case.subject.region().to_string(), city),
            CaseScope::Department { .. } => stored.case.tasks.iter().any(|t| self.covers_task(t)),
            CaseScope::All => true,
        }
    }

    /// The case, if the caller may see it; otherwise "not found", so that
    /// its existence does not leak.
    pub fn viewable(&self, stored: Option<StoredCase>, id: &str) -> Result<StoredCase> {
        stored
            .filter(|s| self.may_view(s))
            .ok_or_else(|| ServiceError::NotFound {
                what: "case",
                id: id.to_owned(),
            })
    }

    /// Refuses an action outside the scope: a case the caller may not see
    /// is not found; a reviewer decides only their own queue's tasks. Which
    /// role may take which action is the case machine's rule.
    pub fn may_act(&self, stored: &StoredCase, action: &Action) -> Result<()> {
        if !self.may_view(stored) {
            return Err(ServiceError::NotFound {
                what: "case",
                id: stored.case.id.to_string(),
            });
        }
        if let (CaseScope::Department { .. }, Action::Decide { task, .. }) = (self, action) {
            let Some(t) = stored.case.task(*task) else {
                return Err(ServiceError::NotFound {
                    what: "task",
                    id: task.to_string(),
                });
            };
            if !self.covers_task(t) {
                return Err(ServiceError::Forbidden(format!(
                    "task {task} belongs to department {} in region {}, outside your queue",
                    t.department, t.region
                )));
            }
        }
        Ok(())
    }

    /// `filter` limited to the scope. A reviewer lists tasks, not cases.
    pub fn case_filter(&self, mut filter: CaseFilter) -> Result<CaseFilter> {
        match self {
            CaseScope::Own { subject } => filter.owner = Some(subject.clone()),
            CaseScope::City { city } => filter.region_prefix = Some(city.clone()),
            CaseScope::Department { .. } => {
                return Err(ServiceError::Forbidden(
                    "a reviewer works from the task queue, not the list of cases".into(),
                ));
            }
            CaseScope::All => {}
        }
        Ok(filter)
    }

    /// `filter` limited to the scope: a reviewer sees only their
    /// department's tasks in their region, whatever they ask for.
    pub fn task_filter(&self, mut filter: TaskFilter) -> Result<TaskFilter> {
        match self {
            CaseScope::Department { department, region } => {
                if filter.department.as_ref().is_some_and(|d| d != department) {
                    return Err(ServiceError::Forbidden(
                        "a reviewer sees only their own department's queue".into(),
                    ));
                }
                filter.department = Some(department.clone());
                filter.region_prefix = Some(region.clone());
            }
            CaseScope::All => {}
            CaseScope::Own { .. } | CaseScope::City { .. } => {
                return Err(ServiceError::Forbidden(
                    "task queues are for reviewers and supervisors".into(),
                ));
            }
        }
        Ok(filter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn city_scope_covers_its_districts_only() {
        assert!(within("330212", "330200"));
        assert!(!within("330106", "330200"));
        assert!(within("330106", "330000"));
        assert!(within("330212", "330212"));
        assert!(!within("330203", "330212"));
    }

    #[test]
    fn clerk_city_is_the_first_four_digits() {
        assert_eq!(city_of("330212"), "330200");
    }
}
