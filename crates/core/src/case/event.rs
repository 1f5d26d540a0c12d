//! Events: the record of every state change of a case. Storage appends
//! them, with the new case, in one transaction; the ledger chains them.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use super::Role;
use super::ids::CaseId;
use super::iso_date;
use super::state::CaseState;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The application came in.
    Submitted,
    /// The online pre-check passed.
    PreChecked,
    /// Accepted, possibly with deficiency (see the event's data).
    Accepted,
    /// Not accepted.
    Rejected,
    /// A stage's tasks opened.
    StageOpened,
    /// One task opened: its department's queue gets it.
    TaskOpened,
    /// A reviewer or the rules decided a task.
    TaskDecided,
    /// A task can no longer be granted: a prerequisite was denied.
    TaskBlocked,
    /// A paused task's clock runs again, with its moved deadline.
    TaskResumed,
    /// The rules evaluated a task (秒批), approving it or not.
    RuleDecided,
    /// A task asked the applicant for a supplement; its clock stopped.
    SupplementRequested,
    /// The applicant supplied what was asked.
    Supplemented,
    /// Every task is settled.
    Decided,
    /// The result documents are issued.
    ResultIssued,
    /// The result reached the applicant.
    Delivered,
    /// The applicant rated the service.
    Rated,
    /// The applicant withdrew.
    Withdrawn,
    /// A task used 80 % of its limit (yellow card).
    DeadlineWarning,
    /// A task passed its deadline (red card).
    DeadlineOverdue,
    /// The applicant made one more trip.
    TripCounted,
    /// The applicant granted the reads a consent lists.
    ConsentGranted,
    /// The applicant refused them: those materials are brought instead.
    ConsentRefused,
    /// The applicant withdrew a consent before it was used.
    ConsentWithdrawn,
    /// A department read shared personal data for the case.
    DataRead,
    /// A certificate of the case was revoked, suspended or reinstated.
    CertificateStatus,
    /// A file was given for a material; its SHA-256 is in the data.
    MaterialAttached,
    /// A clerk saw the original paper of a material.
    OriginalSeen,
    /// Someone opened a file of the case.
    MaterialViewed,
    /// A file was deleted when its retention period ended; its hash stays.
    MaterialDeleted,
}

impl EventKind {
    /// The stable machine name, e.g. `task_opened`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::PreChecked => "pre_checked",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::StageOpened => "stage_opened",
            Self::TaskOpened => "task_opened",
            Self::TaskDecided => "task_decided",
            Self::TaskBlocked => "task_blocked",
            Self::TaskResumed => "task_resumed",
            Self::RuleDecided => "rule_decided",
            Self::SupplementRequested => "supplement_requested",
            Self::Supplemented => "supplemented",
            Self::Decided => "decided",
            Self::ResultIssued => "result_issued",
            Self::Delivered => "delivered",
            Self::Rated => "rated",
            Self::Withdrawn => "withdrawn",
            Self::DeadlineWarning => "deadline_warning",
            Self::DeadlineOverdue => "deadline_overdue",
            Self::TripCounted => "trip_counted",
            Self::ConsentGranted => "consent_granted",
            Self::ConsentRefused => "consent_refused",
            Self::ConsentWithdrawn => "consent_withdrawn",
            Self::DataRead => "data_read",
            Self::CertificateStatus => "certificate_status",
            Self::MaterialAttached => "material_attached",
            Self::OriginalSeen => "original_seen",
            Self::MaterialViewed => "material_viewed",
            Self::MaterialDeleted => "material_deleted",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event of a case's history. Deterministic: the same case, action,
/// actor, day and calendar give the same events; wall-clock timestamps are
/// the caller's to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The case.
    pub case_id: CaseId,
    /// The case version this event's transition produced; every event of
    /// one transition has the same `seq`.
    pub seq: u64,
    /// Position within its transition, from 0: `(case_id, seq, index)` is
    /// unique and orders the history.
    pub index: u32,
    /// What happened.
    pub kind: EventKind,
    /// User id or worker name of the actor.
    pub actor: String,
    /// Role the actor acted in.
    pub role: Role,
    /// The day of the transition.
    #[serde(with = "iso_date")]
    pub on: Date,
    /// State before the transition; `None` for the submission.
    pub from_state: Option<CaseState>,
    /// State after the transition.
    pub to_state: CaseState,
    /// What else a reader needs, by kind (task, matter, deadline, ...).
    pub data: serde_json::Value,
}

/// The events of a transition before they are numbered: kind and data.
pub(super) type Draft = Vec<(EventKind, serde_json::Value)>;
