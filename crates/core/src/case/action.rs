//! What a command asks of a case.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use super::ids::{Rating, TaskId, TrackingNumber};
use super::iso_date;
use crate::calendar::WorkingDays;
use crate::catalog::{DeliveryMode, FieldKey, WindowCode};

/// A reviewer's decision on one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Grant the matter (准予).
    Approve,
    /// Refuse the matter (不予); the comment must give the reason.
    Deny,
    /// Ask the applicant to supplement or correct materials (补正); the
    /// comment gives the reason and `materials` lists every one at once.
    Supplement {
        /// Materials to bring or correct; never empty.
        materials: Vec<FieldKey>,
    },
}

impl Outcome {
    /// The stable machine name: `approve`, `deny` or `supplement`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Deny => "deny",
            Self::Supplement { .. } => "supplement",
        }
    }
}

/// What a command asks of a case; see the transition table in the
/// [module documentation](super).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// The rules' pre-check of an online application (预审). A failure
    /// rejects the case with the problems as the reason.
    PreCheck {
        /// Whether the application passed.
        passed: bool,
        /// What the rules found; required when not passed.
        problems: Vec<String>,
    },
    /// Accept (受理): the first stage's tasks open.
    Accept,
    /// Accept although materials are missing (容缺受理); tasks open all the
    /// same and the materials are due within `due_in` working days.
    AcceptWithDeficiency {
        /// Materials still to come; never empty.
        materials: Vec<FieldKey>,
        /// Working days the applicant has to bring them.
        due_in: WorkingDays,
    },
    /// Do not accept (不予受理).
    Reject {
        /// Why; never blank.
        reason: String,
    },
    /// A reviewer decides one open task.
    Decide {
        /// The task.
        task: TaskId,
        /// Approve, deny or ask for a supplement.
        #[serde(flatten)]
        outcome: Outcome,
        /// Remark; required (the reason) for a denial or a supplement.
        comment: Option<String>,
    },
    /// Rules decide a task at once (秒批) when its conditions are all
    /// machine-checkable and hold; otherwise the task stays open for a
    /// reviewer, with the report saying why.
    RuleDecide {
        /// The task; its matter must be rule-decidable.
        task: TaskId,
        /// Whether every condition held.
        approved: bool,
        /// What the rules checked and found, kept with the task.
        rule_report: serde_json::Value,
    },
    /// The applicant supplies what was asked: a supplement request, an
    /// accept-with-deficiency's materials, or both.
    Supplement {
        /// Brought to a window (a trip) rather than uploaded.
        at_window: bool,
    },
    /// The result documents are issued (出件).
    IssueResult,
    /// The result reaches the applicant.
    Deliver {
        /// Window pickup (a trip), express or electronic.
        mode: DeliveryMode,
        /// Express waybill; required for express, refused otherwise.
        tracking: Option<TrackingNumber>,
        /// Pickup window; required for window pickup, refused otherwise.
        window: Option<WindowCode>,
    },
    /// The applicant rates the service, once, after delivery.
    Rate(Rating),
    /// The applicant withdraws the application before it is decided.
    Withdraw {
        /// Why; never blank.
        reason: String,
    },
    /// A worker raises yellow (≥ 80 % of the limit used) and red (past the
    /// deadline) flags on open tasks.
    MarkDeadlines {
        /// The day judged against, normally the same as `apply`'s `today`.
        #[serde(with = "iso_date")]
        today: Date,
    },
}

impl Action {
    /// The kind of this action, for the table and error messages.
    pub fn kind(&self) -> ActionKind {
        match self {
            Self::PreCheck { .. } => ActionKind::PreCheck,
            Self::Accept => ActionKind::Accept,
            Self::AcceptWithDeficiency { .. } => ActionKind::AcceptWithDeficiency,
            Self::Reject { .. } => ActionKind::Reject,
            Self::Decide { .. } => ActionKind::Decide,
            Self::RuleDecide { .. } => ActionKind::RuleDecide,
            Self::Supplement { .. } => ActionKind::Supplement,
            Self::IssueResult => ActionKind::IssueResult,
            Self::Deliver { .. } => ActionKind::Deliver,
            Self::Rate(_) => ActionKind::Rate,
            Self::Withdraw { .. } => ActionKind::Withdraw,
            Self::MarkDeadlines { .. } => ActionKind::MarkDeadlines,
        }
    }
}

/// The name of an action without its data; `Submit` names
/// [`Case::submit`](super::Case::submit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// [`Case::submit`](super::Case::submit).
    Submit,
    /// [`Action::PreCheck`].
    PreCheck,
    /// [`Action::Accept`].
    Accept,
    /// [`Action::AcceptWithDeficiency`].
    AcceptWithDeficiency,
    /// [`Action::Reject`].
    Reject,
    /// [`Action::Decide`].
    Decide,
    /// [`Action::RuleDecide`].
    RuleDecide,
    /// [`Action::Supplement`].
    Supplement,
    /// [`Action::IssueResult`].
    IssueResult,
    /// [`Action::Deliver`].
    Deliver,
    /// [`Action::Rate`].
    Rate,
    /// [`Action::Withdraw`].
    Withdraw,
    /// [`Action::MarkDeadlines`].
    MarkDeadlines,
}

impl ActionKind {
    /// The stable machine name, e.g. `accept_with_deficiency`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::PreCheck => "pre_check",
            Self::Accept => "accept",
            Self::AcceptWithDeficiency => "accept_with_deficiency",
            Self::Reject => "reject",
            Self::Decide => "decide",
            Self::RuleDecide => "rule_decide",
            Self::Supplement => "supplement",
            Self::IssueResult => "issue_result",
            Self::Deliver => "deliver",
            Self::Rate => "rate",
            Self::Withdraw => "withdraw",
            Self::MarkDeadlines => "mark_deadlines",
        }
    }
}

impl fmt::Display for ActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
