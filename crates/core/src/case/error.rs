//! Why a case refuses a command.

use time::Date;

use super::Role;
use super::action::ActionKind;
use super::ids::TaskId;
use super::state::{CaseState, ChannelKind};
use super::task::TaskState;
use crate::calendar::CalendarError;
use crate::catalog::DeliveryMode;

/// Why [`apply`](super::apply) or [`Case::submit`](super::Case::submit)
/// refused; nothing changed. Each variant has a stable [`rule`](Self::rule)
/// for the `type` of an RFC 9457 problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// The transition table has no row for this state and action.
    #[error("action `{action}` is not allowed when the case is `{state}`")]
    NotAllowed {
        /// The case's state.
        state: CaseState,
        /// The action asked for.
        action: ActionKind,
    },
    /// The action is allowed in this state only for the other channel
    /// (e.g. pre-check of a window application).
    #[error("action `{action}` in state `{state}` is not for a case submitted {channel}")]
    WrongChannel {
        /// The case's state.
        state: CaseState,
        /// The action asked for.
        action: ActionKind,
        /// The case's channel.
        channel: ChannelKind,
    },
    /// The actor's role may not ask for this action.
    #[error("a {role} may not {action} a case")]
    WrongRole {
        /// The action asked for.
        action: ActionKind,
        /// The actor's role.
        role: Role,
    },
    /// The case has no task with this id.
    #[error("the case has no task {task}")]
    UnknownTask {
        /// The id given.
        task: TaskId,
    },
    /// The task is not open for a decision.
    #[error("task {task} is `{state}`, not open")]
    TaskNotOpen {
        /// The task.
        task: TaskId,
        /// Its state.
        state: TaskState,
    },
    /// The task's matter cannot be decided by rules (秒批).
    #[error("task {task} is not decidable by rules")]
    NotRuleDecidable {
        /// The task.
        task: TaskId,
    },
    /// A reason (rejection, withdrawal, denial, supplement, failed
    /// pre-check) is blank.
    #[error("action `{action}` needs a reason")]
    EmptyReason {
        /// The action missing its reason.
        action: ActionKind,
    },
    /// An accept-with-deficiency named no material.
    #[error("accepting with deficiency needs at least one missing material")]
    EmptyDeficiency,
    /// A supplement request named no material.
    #[error("a supplement request needs at least one material")]
    EmptySupplement,
    /// Another supplement request is pending; the applicant is told
    /// everything at once (一次性告知), not piece by piece.
    #[error("task {task} already asked for a supplement that has not come")]
    SupplementPending {
        /// The task whose request is pending.
        task: TaskId,
    },
    /// The applicant supplied materials but nothing was asked.
    #[error("nothing to supplement: no request and no deficiency outstanding")]
    NothingToSupplement,
    /// The result cannot be issued while deficiency materials are missing.
    #[error("materials accepted with deficiency, due {due}, have not come")]
    DeficiencyOutstanding {
        /// Their due date.
        due: Date,
    },
    /// Express delivery without a tracking number.
    #[error("express delivery needs a tracking number")]
    TrackingRequired,
    /// A tracking number for a delivery that is not by express.
    #[error("a tracking number is only for express delivery, not {mode:?}")]
    TrackingNotExpected {
        /// The mode given.
        mode: DeliveryMode,
    },
    /// Window pickup without the window.
    #[error("window pickup needs the window")]
    WindowRequired,
    /// A window for a delivery that is not a window pickup.
    #[error("a window is only for window pickup, not {mode:?}")]
    WindowNotExpected {
        /// The mode given.
        mode: DeliveryMode,
    },
    /// The case was rated already.
    #[error("the case is already rated")]
    AlreadyRated,
    /// A case must have at least one task.
    #[error("a case needs at least one task")]
    NoTasks,
    /// Two task specs have the same id.
    #[error("task id {task} is given twice")]
    DuplicateTask {
        /// The repeated id.
        task: TaskId,
    },
    /// The working-day calendar cannot count the days.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl CaseError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::NotAllowed { .. } => "transition_not_allowed",
            Self::WrongChannel { .. } => "wrong_channel",
            Self::WrongRole { .. } => "wrong_role",
            Self::UnknownTask { .. } => "unknown_task",
            Self::TaskNotOpen { .. } => "task_not_open",
            Self::NotRuleDecidable { .. } => "not_rule_decidable",
            Self::EmptyReason { .. } => "reason_required",
            Self::EmptyDeficiency => "deficiency_materials_required",
            Self::EmptySupplement => "supplement_materials_required",
            Self::SupplementPending { .. } => "supplement_pending",
            Self::NothingToSupplement => "nothing_to_supplement",
            Self::DeficiencyOutstanding { .. } => "deficiency_outstanding",
            Self::TrackingRequired => "tracking_required",
            Self::TrackingNotExpected { .. } => "tracking_only_for_express",
            Self::WindowRequired => "window_required",
            Self::WindowNotExpected { .. } => "window_only_for_pickup",
            Self::AlreadyRated => "already_rated",
            Self::NoTasks => "no_tasks",
            Self::DuplicateTask { .. } => "duplicate_task",
            Self::Calendar(e) => e.rule(),
        }
    }
}
