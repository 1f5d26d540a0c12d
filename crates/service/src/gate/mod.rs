//! The authorization gate (DESIGN invariant 6): the one place that decides
//! who may do what, and the only maker of the handles ("desks") that use
//! cases are methods of.
//!
//! After lldap's access-control layer: a desk's fields are private to this
//! module, so a use case of the window cannot be called without a
//! [`WindowDesk`], and a `WindowDesk` cannot be had without passing
//! [`Service::window`]'s check. The desk carries the caller and the scope
//! its use cases apply ([`CaseScope`]), so no handler checks a role by hand.
//!
//! | desk | who | scope |
//! | --- | --- | --- |
//! | [`CaseDesk`] | every signed-in role | own cases, the city, the department's tasks, or all |
//! | [`ApplicantDesk`] | applicants with a resident ID or USCC | their own data and certificates |
//! | [`WindowDesk`] | window clerks with a window and a region | their city (全城通办) |
//! | [`ReviewDesk`] | reviewers with a department and a region | that department's tasks there |
//! | [`DepartmentDesk`] | reviewers (own department) and administrators (any) | data sets and certificates of the department |
//! | [`SupervisionDesk`] | supervisors and administrators | the whole city |
//! | [`AdminDesk`] | administrators | keys and dead letters |
//!
//! [`Intake`] is an applicant's or a clerk's desk, for what both do in
//! their own way: submitting an application.

mod scope;

use yici_core::case::{Actor, Role};
use yici_store::User;

pub use scope::{CaseScope, city_of, owner_of, region_prefix, within};

use crate::context::Service;
use crate::error::{Result, ServiceError};

/// A signed-in account and the role it acts in. Only
/// [`Service::authenticate`] makes one, from a valid session: a caller
/// cannot be written by hand, so neither can the desks the gate gives it.
#[derive(Debug, Clone)]
pub struct Caller {
    user: User,
    role: Role,
}

impl Caller {
    /// The caller of a checked session (the session module's only).
    pub(crate) fn new(user: User, role: Role) -> Self {
        Caller { user, role }
    }

    /// The account.
    pub fn user(&self) -> &User {
        &self.user
    }

    /// The role it acts in.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The caller as the actor of a case transition.
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.user.id.clone(),
            role: self.role,
        }
    }
}

/// Refuses a caller whose role is not one of `roles`.
fn require(caller: &Caller, roles: &[Role]) -> Result<()> {
    if roles.contains(&caller.role) {
        return Ok(());
    }
    Err(ServiceError::Forbidden(format!(
        "this needs the role {}; you are {}",
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(" or "),
        caller.role
    )))
}

/// A field of the caller's account that their role needs.
fn account<'a>(value: &'a Option<String>, what: &str) -> Result<&'a str> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ServiceError::Forbidden(format!("this account has no {what}")))
}

macro_rules! desk {
    ($(#[$doc:meta])* $name:ident { $($field:ident: $ty:ty),* }) => {
        $(#[$doc])*
        pub struct $name<'a> {
            service: &'a Service,
            caller: &'a Caller,
            $($field: $ty,)*
        }

        impl<'a> $name<'a> {
            /// The application.
            pub(crate) fn service(&self) -> &'a Service {
                self.service
            }

            /// Who is at the desk.
            pub fn caller(&self) -> &'a Caller {
                self.caller
            }
        }
    };
}

desk!(
    /// Work on the cases of the caller's scope: read, list, act.
    CaseDesk { scope: CaseScope }
);
desk!(
    /// An applicant's own affairs: applying online, consent, their data and
    /// certificates.
    ApplicantDesk { subject: String }
);
desk!(
    /// A window clerk's work: applications taken at their window for any
    /// district of their city.
    WindowDesk { window: String, city: String }
);
desk!(
    /// A reviewer's work: their department's tasks in their region and the
    /// shared data those tasks may read.
    ReviewDesk { department: String, region: String }
);
desk!(
    /// A department's own holdings: the data sets it fills and the
    /// certificates it sealed. `None` is every department (administrators).
    DepartmentDesk { department: Option<String> }
);
desk!(
    /// Supervision: figures and the delivery record of the whole city.
    SupervisionDesk {}
);
desk!(
    /// Administration: the departments' e-seals and dead letters.
    AdminDesk {}
);

impl CaseDesk<'_> {
    /// The scope this desk reaches.
    pub fn scope(&self) -> &CaseScope {
        &self.scope
    }

    /// The applicant's identifier as this caller may see it. A person's
    /// resident ID is personal data: in full only for the window clerk, who
    /// checks it against the ID card; everyone else sees its region and
    /// last four characters. A company's USCC is public (GB 32100).
    pub fn applicant_id(&self, case: &yici_core::case::Case) -> String {
        let (id, full) = match &case.subject {
            yici_core::case::Applicant::Person { resident_id, .. } => {
                (resident_id.to_string(), self.caller.role == Role::Clerk)
            }
            yici_core::case::Applicant::Enterprise { uscc, .. } => (uscc.to_string(), true),
        };
        if full || id.len() < 10 {
            return id;
        }
        format!("{}********{}", &id[..6], &id[id.len() - 4..])
    }
}

impl ApplicantDesk<'_> {
    /// The applicant's resident ID or USCC.
    pub fn subject(&self) -> &str {
        &self.subject
    }
}

impl WindowDesk<'_> {
    /// The clerk's window area.
    pub fn window(&self) -> &str {
        &self.window
    }

    /// The city the clerk works for.
    pub fn city(&self) -> &str {
        &self.city
    }

    /// A case of the clerk's city (全城通办: any window of the city);
    /// another city's is not found.
    pub(crate) async fn city_case(&self, case_id: &str) -> Result<yici_store::StoredCase> {
        let not_found = || ServiceError::NotFound {
            what: "case",
            id: case_id.to_owned(),
        };
        let parsed = case_id.parse().map_err(|_| not_found())?;
        self.service()
            .store()
            .case(&parsed)
            .await?
            .filter(|s| within(&s.case.subject.region().to_string(), &self.city))
            .ok_or_else(not_found)
    }
}

impl ReviewDesk<'_> {
    /// The reviewer's department.
    pub fn department(&self) -> &str {
        &self.department
    }

    /// The region the reviewer works for.
    pub fn region(&self) -> &str {
        &self.region
    }
}

impl DepartmentDesk<'_> {
    /// Refuses what belongs to another department than the caller's.
    pub(crate) fn owns(&self, department: &str, what: &str) -> Result<()> {
        match &self.department {
            Some(own) if own != department => Err(ServiceError::Forbidden(format!(
                "{what} belongs to department {department}"
            ))),
            _ => Ok(()),
        }
    }
}

/// Where an application comes in: an applicant's own, online, or a
/// clerk's, at their window.
pub enum Intake<'a> {
    /// An applicant applies online for themselves.
    Online(ApplicantDesk<'a>),
    /// A clerk takes the application at their window.
    Window(WindowDesk<'a>),
}

impl Service {
    /// The intake of an applicant or a window clerk; other roles are refused.
    pub fn intake<'a>(&'a self, caller: &'a Caller) -> Result<Intake<'a>> {
        match caller.role {
            Role::Applicant => self.applicant(caller).map(Intake::Online),
            Role::Clerk => self.window(caller).map(Intake::Window),
            _ => Err(require(caller, &[Role::Applicant, Role::Clerk])
                .err()
                .unwrap_or_else(|| ServiceError::Forbidden("not an applicant or clerk".into()))),
        }
    }

    /// The case desk of any signed-in caller, scoped by their role.
    pub fn cases<'a>(&'a self, caller: &'a Caller) -> Result<CaseDesk<'a>> {
        let u = &caller.user;
        let scope = match caller.role {
            Role::Applicant => CaseScope::Own {
                subject: account(&u.subject, "resident ID or USCC")?.to_owned(),
            },
            Role::Clerk => CaseScope::City {
                city: city_of(account(&u.region, "region")?),
            },
            Role::Reviewer => CaseScope::Department {
                department: account(&u.department, "department")?.to_owned(),
                region: account(&u.region, "region")?.to_owned(),
            },
            Role::Supervisor | Role::Admin | Role::System => CaseScope::All,
        };
        Ok(CaseDesk {
            service: self,
            caller,
            scope,
        })
    }

    /// The case desk for lists of cases: a reviewer works from the task
    /// queue instead, and is refused here, before anything is read.
    pub fn case_lists<'a>(&'a self, caller: &'a Caller) -> Result<CaseDesk<'a>> {
        let desk = self.cases(caller)?;
        desk.scope.case_filter(Default::default())?;
        Ok(desk)
    }

    /// The case desk for task queues: reviewers (their own queue),
    /// supervisors and administrators; applicants and clerks are refused.
    pub fn task_queues<'a>(&'a self, caller: &'a Caller) -> Result<CaseDesk<'a>> {
        let desk = self.cases(caller)?;
        desk.scope.task_filter(Default::default())?;
        Ok(desk)
    }

    /// The applicant's desk; other roles are refused.
    pub fn applicant<'a>(&'a self, caller: &'a Caller) -> Result<ApplicantDesk<'a>> {
        require(caller, &[Role::Applicant])?;
        let subject = account(&caller.user.subject, "resident ID or USCC")?.to_owned();
        Ok(ApplicantDesk {
            service: self,
            caller,
            subject,
        })
    }

    /// The window clerk's desk; other roles are refused.
    pub fn window<'a>(&'a self, caller: &'a Caller) -> Result<WindowDesk<'a>> {
        require(caller, &[Role::Clerk])?;
        let window = account(&caller.user.window, "window")?.to_owned();
        let city = city_of(account(&caller.user.region, "region")?);
        Ok(WindowDesk {
            service: self,
            caller,
            window,
            city,
        })
    }

    /// The reviewer's desk; other roles are refused.
    pub fn review<'a>(&'a self, caller: &'a Caller) -> Result<ReviewDesk<'a>> {
        require(caller, &[Role::Reviewer])?;
        let department = account(&caller.user.department, "department")?.to_owned();
        let region = account(&caller.user.region, "region")?.to_owned();
        Ok(ReviewDesk {
            service: self,
            caller,
            department,
            region,
        })
    }

    /// A department's desk: its reviewers for it, administrators for all.
    pub fn department<'a>(&'a self, caller: &'a Caller) -> Result<DepartmentDesk<'a>> {
        require(caller, &[Role::Reviewer, Role::Admin])?;
        let department = match caller.role {
            Role::Admin => None,
            _ => Some(account(&caller.user.department, "department")?.to_owned()),
        };
        Ok(DepartmentDesk {
            service: self,
            caller,
            department,
        })
    }

    /// The supervisor's desk (administrators too).
    pub fn supervision<'a>(&'a self, caller: &'a Caller) -> Result<SupervisionDesk<'a>> {
        require(caller, &[Role::Supervisor, Role::Admin])?;
        Ok(SupervisionDesk {
            service: self,
            caller,
        })
    }

    /// The administrator's desk.
    pub fn admin<'a>(&'a self, caller: &'a Caller) -> Result<AdminDesk<'a>> {
        require(caller, &[Role::Admin])?;
        Ok(AdminDesk {
            service: self,
            caller,
        })
    }
}
