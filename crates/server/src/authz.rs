//! Authorization, decided in one place (DESIGN invariant 6): which cases and
//! tasks a caller may see and act on. Roles are also checked by the case
//! machine; the scopes (own cases, own city, own department and region)
//! are checked here.

use yici_core::case::{Action, Case, Role};
use yici_store::StoredCase;

use crate::auth::Caller;
use crate::problem::ApiError;

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
/// (全城通办).
pub fn city_of(region: &str) -> String {
    format!("{}00", &region[..region.len().min(4)])
}

fn reviewer_covers(caller: &Caller, department: &str, region: &str) -> bool {
    caller.user.department.as_deref() == Some(department)
        && caller
            .user
            .region
            .as_deref()
            .is_some_and(|r| within(region, r))
}

/// Whether the caller may see the case.
pub fn may_view(caller: &Caller, stored: &StoredCase) -> bool {
    let case = &stored.case;
    match caller.role {
        Role::Applicant => caller.user.subject.as_deref() == Some(stored.owner.as_str()),
        Role::Clerk => caller
            .user
            .region
            .as_deref()
            .is_some_and(|r| within(&case.subject.region().to_string(), &city_of(r))),
        Role::Reviewer => case
            .tasks
            .iter()
            .any(|t| reviewer_covers(caller, t.department.as_str(), &t.region.to_string())),
        Role::Supervisor | Role::Admin | Role::System => true,
    }
}

/// Refuses an action outside the caller's scope. A case the caller may not
/// see is "not found", so that its existence does not leak.
pub fn may_act(caller: &Caller, stored: &StoredCase, action: &Action) -> Result<(), ApiError> {
    if !may_view(caller, stored) {
        return Err(ApiError::NotFound {
            what: "case",
            id: stored.case.id.to_string(),
        });
    }
    if let (Role::Reviewer, Action::Decide { task, .. }) = (caller.role, action) {
        let Some(t) = stored.case.task(*task) else {
            return Err(ApiError::NotFound {
                what: "task",
                id: task.to_string(),
            });
        };
        if !reviewer_covers(caller, t.department.as_str(), &t.region.to_string()) {
            return Err(ApiError::Forbidden(format!(
                "task {task} belongs to department {} in region {}, outside your queue",
                t.department, t.region
            )));
        }
    }
    Ok(())
}

/// Whether the case's owner is this applicant (for lists).
pub fn owner_scope(caller: &Caller) -> Option<String> {
    (caller.role == Role::Applicant).then(|| caller.user.subject.clone().unwrap_or_default())
}

/// The subject (resident ID or USCC) a case belongs to.
pub fn owner_of(case: &Case) -> String {
    match &case.subject {
        yici_core::case::Applicant::Person { resident_id, .. } => resident_id.to_string(),
        yici_core::case::Applicant::Enterprise { uscc, .. } => uscc.to_string(),
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
