//! The case (办件) as a pure state machine: one application from submission
//! to delivery and rating, with its back-office tasks (任务) per department.
//!
//! The machine is data plus one function. [`TRANSITIONS`] lists every
//! allowed (state, action) pair with the channel it needs, the roles that
//! may ask for it and the states it can lead to; [`apply`] checks a command
//! against that table, changes a copy of the case and returns it with the
//! [`Event`]s it produced. Storage appends the events and the new case in
//! one transaction; it never decides anything itself. Nothing here reads a
//! clock or does I/O: `today` and the [`Calendar`](crate::calendar::Calendar)
//! are the caller's.
//!
//! # Transitions
//!
//! | from | action | channel | roles | to |
//! | --- | --- | --- | --- | --- |
//! | *(none)* | `submit` ([`Case::submit`]) | online / window | applicant / clerk | submitted |
//! | submitted | `pre_check` | online | system | pre_checked, rejected |
//! | submitted | `accept` | window | clerk | accepted |
//! | submitted | `accept_with_deficiency` | window | clerk | accepted_with_deficiency |
//! | submitted | `reject` | window | clerk | rejected |
//! | pre_checked | `accept` | online | clerk, system | accepted |
//! | pre_checked | `accept_with_deficiency` | online | clerk | accepted_with_deficiency |
//! | pre_checked | `reject` | online | clerk | rejected |
//! | accepted, accepted_with_deficiency, in_review | `decide` | any | reviewer, system | in_review, supplement_requested, decided |
//! | supplement_requested | `decide` (another task) | any | reviewer, system | supplement_requested |
//! | accepted, accepted_with_deficiency, in_review | `rule_decide` | any | system | unchanged, in_review, decided |
//! | supplement_requested | `rule_decide` | any | system | supplement_requested |
//! | accepted_with_deficiency | `supplement` | any | applicant (clerk at a window) | accepted |
//! | in_review, decided (deficiency outstanding) | `supplement` | any | applicant (clerk at a window) | unchanged |
//! | supplement_requested | `supplement` | any | applicant (clerk at a window) | in_review |
//! | accepted, accepted_with_deficiency, in_review, supplement_requested | `mark_deadlines` | any | system | unchanged |
//! | submitted, pre_checked, accepted, accepted_with_deficiency, in_review, supplement_requested | `withdraw` | any | applicant | withdrawn |
//! | decided | `issue_result` (no deficiency outstanding) | any | reviewer, clerk, system | result_issued |
//! | result_issued | `deliver` | any | clerk, system | delivered |
//! | delivered | `rate` | any | applicant | rated |
//!
//! Every other pair is refused with [`CaseError::NotAllowed`], which names
//! the state and the action (`rate` on a rated case is the more precise
//! [`CaseError::AlreadyRated`]). Which department or region an actor may
//! act for is the server's check, not this module's.
//!
//! # Tasks and stages
//!
//! Accepting opens the tasks of the first stage, each with a deadline of
//! its promised limit in working days. When no task is open any more, the
//! next stage opens; a denial blocks every task that depends on the denied
//! matter, directly or not. When no task is waiting, open or paused, the
//! case is decided. A supplement request stops the requesting task's clock;
//! the applicant's supplement restarts it and moves its deadline by the
//! working days the pause lasted, because the time the applicant takes to
//! supplement is not counted in the limit.
//!
//! # Trips
//!
//! Trips are counted, never guessed: a window submission, a supplement
//! brought to a window and a pickup at a window each count one, with a
//! `trip_counted` event; online steps, express and electronic delivery
//! count none.

mod action;
mod apply;
mod error;
mod event;
mod ids;
mod review;
mod state;
mod system;
mod table;
mod task;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::catalog::{DeliveryMode, FieldKey, MatterCode, OneThingCode, WindowCode};
use crate::identifier::{RegionCode, ResidentId, Uscc};

pub use action::{Action, ActionKind, Outcome};
pub use apply::{Transition, apply};
pub use error::CaseError;
pub use event::{Event, EventKind};
pub use ids::{CaseId, IdError, Rating, RatingError, TaskId, TrackingNumber, TrackingNumberError};
pub use state::{Allowed, CaseState, ChannelKind, TRANSITIONS};
pub use system::{
    Correction, accept_online, corrections, record_corrections, settle, system_actor,
};
pub use table::offered_actions;
pub use task::{DeadlineFlag, Task, TaskSpec, TaskState};

time::serde::format_description!(pub(crate) iso_date, Date, "[year]-[month]-[day]");

/// Who applies: a person or an enterprise, with the region whose
/// departments are competent for the case. Handle-anywhere (全城通办): the
/// window that accepts may be in any region; the tasks go to the
/// applicant's region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Applicant {
    /// A natural person, identified by the GB 11643 resident ID.
    Person {
        /// Resident ID.
        resident_id: ResidentId,
        /// Name as on the ID card.
        name: String,
        /// Jurisdiction of the case.
        region: RegionCode,
    },
    /// An enterprise or other organisation, identified by its GB 32100 USCC.
    Enterprise {
        /// Unified social credit code.
        uscc: Uscc,
        /// Registered name.
        name: String,
        /// Jurisdiction of the case.
        region: RegionCode,
    },
}

impl Applicant {
    /// The jurisdiction whose departments handle the case.
    pub fn region(&self) -> RegionCode {
        match self {
            Self::Person { region, .. } | Self::Enterprise { region, .. } => *region,
        }
    }

    /// The applicant's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Person { name, .. } | Self::Enterprise { name, .. } => name,
        }
    }
}

/// Where the application came in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Channel {
    /// The online service hall: pre-checked by rules, no trip.
    Online,
    /// A comprehensive window (综合窗口) of any service hall of the city.
    Window {
        /// The window area that took the application.
        window: WindowCode,
    },
}

impl Channel {
    /// Online or window, without the window code.
    pub fn kind(&self) -> ChannelKind {
        match self {
            Self::Online => ChannelKind::Online,
            Self::Window { .. } => ChannelKind::Window,
        }
    }
}

/// What the case applies for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum Target {
    /// A one-thing (一件事) bundling several matters.
    OneThing(OneThingCode),
    /// A single matter.
    Matter(MatterCode),
}

/// What an accept-with-deficiency (容缺受理) left outstanding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deficiency {
    /// Materials still to come; never empty.
    pub materials: Vec<FieldKey>,
    /// The day they are due.
    #[serde(with = "iso_date")]
    pub due: Date,
}

/// A pending supplement request (补正): one at a time, naming every
/// material at once (一次性告知), so the applicant is asked once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplement {
    /// The day the request was made: the clock of the task stops here.
    #[serde(with = "iso_date")]
    pub requested_on: Date,
    /// Why, as the reviewer wrote it.
    pub reason: String,
    /// Materials to bring or correct; never empty.
    pub materials: Vec<FieldKey>,
    /// The task that asked.
    pub task: TaskId,
}

/// How the result reached the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Window pickup, express or electronic.
    pub mode: DeliveryMode,
    /// Express waybill; present exactly when the mode is express.
    pub tracking: Option<TrackingNumber>,
    /// Window of the pickup; present exactly when the mode is window.
    pub window: Option<WindowCode>,
    /// The day of delivery.
    #[serde(with = "iso_date")]
    pub delivered_on: Date,
}

/// The outcome of the whole case, once no task is left to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The day the last task was decided.
    #[serde(with = "iso_date")]
    pub decided_on: Date,
    /// Matters approved.
    pub approved: Vec<MatterCode>,
    /// Matters denied.
    pub denied: Vec<MatterCode>,
    /// Matters blocked by a denied prerequisite.
    pub blocked: Vec<MatterCode>,
}

/// The kind of user acting on a case, as far as the case rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 办事群众 / 企业: the person or enterprise the case is about.
    Applicant,
    /// 综合窗口人员: accepts, rejects, hands over results at a window.
    Clerk,
    /// 部门审批人员: decides tasks of a department.
    Reviewer,
    /// 改革办 / 效能监督: watches, does not act on cases.
    Supervisor,
    /// Administers the system, does not act on cases.
    Admin,
    /// Background workers and rule engines (pre-check, 秒批, deadlines).
    System,
}

impl Role {
    /// The stable machine name, e.g. `clerk`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applicant => "applicant",
            Self::Clerk => "clerk",
            Self::Reviewer => "reviewer",
            Self::Supervisor => "supervisor",
            Self::Admin => "admin",
            Self::System => "system",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who asks for a transition: a user id (or worker name) and its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// User id or worker name, recorded on every event.
    pub user: String,
    /// The role the user acts in.
    pub role: Role,
}

/// One application (办件), from submission to rating. Only
/// [`Case::submit`] and [`apply`] make or change one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Id, generated by the caller.
    pub id: CaseId,
    /// 1 after submission, one more after each transition that produced
    /// events; updates carry it (ETag / If-Match).
    pub version: u64,
    /// Current state.
    pub state: CaseState,
    /// Who applies.
    pub subject: Applicant,
    /// What is applied for.
    pub target: Target,
    /// Online or which window.
    pub channel: Channel,
    /// The merged form as filled in, validated against the plan elsewhere.
    pub form: serde_json::Value,
    /// Back-office tasks, one per matter, in the plan's order.
    pub tasks: Vec<Task>,
    /// Trips the plan announced when the materials are complete.
    pub planned_trips: u32,
    /// Trips counted so far.
    pub trips: u32,
    /// Day of submission.
    #[serde(with = "iso_date")]
    pub submitted_on: Date,
    /// Day of acceptance.
    #[serde(with = "iso_date::option")]
    pub accepted_on: Option<Date>,
    /// Case-level deadline: the promised working days of the plan's
    /// critical path counted from acceptance, moved by supplement pauses.
    #[serde(with = "iso_date::option")]
    pub deadline: Option<Date>,
    /// Outstanding materials of an accept-with-deficiency.
    pub deficiency: Option<Deficiency>,
    /// The pending supplement request.
    pub supplement: Option<Supplement>,
    /// The outcome, once every task is settled.
    pub decision: Option<Decision>,
    /// How the result was delivered.
    pub delivery: Option<Delivery>,
    /// The applicant's rating.
    pub rating: Option<Rating>,
    /// Why the case was rejected or withdrawn.
    pub closing_reason: Option<String>,
}

impl Case {
    /// The task with this id.
    pub fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// Whether the applicant made more trips than the plan announced.
    pub fn over_planned_trips(&self) -> bool {
        self.trips > self.planned_trips
    }
}
