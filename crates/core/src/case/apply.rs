//! [`Case::submit`] and the one [`apply`] function: check the command
//! against the transition table, change a copy of the case, number the
//! events it produced.

use std::collections::BTreeSet;

use serde_json::json;
use time::Date;

use super::action::{Action, ActionKind};
use super::error::CaseError;
use super::event::{Draft, Event, EventKind};
use super::ids::CaseId;
use super::review;
use super::state::{CaseState, ChannelKind};
use super::table::allowed;
use super::task::{self, Task, TaskSpec};
use super::{Actor, Applicant, Case, Channel, Deficiency, Delivery, Role, Target};
use crate::calendar::Calendar;
use crate::catalog::{DeliveryMode, WindowCode};

/// The result of a transition: the new case and the events to append with
/// it, in one storage transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The case after the transition; its version is one more than before
    /// whenever `events` is not empty.
    pub case: Case,
    /// What happened, in order. Empty only for a
    /// [`MarkDeadlines`](Action::MarkDeadlines) that changed no flag: then
    /// the case is unchanged, version included, and nothing is written.
    pub events: Vec<Event>,
}

impl Case {
    /// A new case in state `submitted`, version 1, with one waiting task
    /// per spec in the applicant's region. A window submission counts one
    /// trip; an online one none.
    ///
    /// Online applications are submitted by the applicant, window ones
    /// entered by the clerk. Fails on a wrong role, no task or a task id
    /// given twice.
    #[allow(clippy::too_many_arguments)]
    pub fn submit(
        id: CaseId,
        subject: Applicant,
        target: Target,
        channel: Channel,
        form: serde_json::Value,
        task_specs: Vec<TaskSpec>,
        planned_trips: u32,
        today: Date,
        actor: &Actor,
    ) -> Result<(Case, Vec<Event>), CaseError> {
        let submitter = match channel.kind() {
            ChannelKind::Online => Role::Applicant,
            ChannelKind::Window => Role::Clerk,
        };
        if actor.role != submitter {
            return Err(CaseError::WrongRole {
                action: ActionKind::Submit,
                role: actor.role,
            });
        }
        if task_specs.is_empty() {
            return Err(CaseError::NoTasks);
        }
        let mut ids = BTreeSet::new();
        if let Some(spec) = task_specs.iter().find(|s| !ids.insert(s.id)) {
            return Err(CaseError::DuplicateTask { task: spec.id });
        }
        let region = subject.region();
        let tasks: Vec<Task> = task_specs
            .into_iter()
            .map(|spec| Task::from_spec(spec, region))
            .collect();
        let mut case = Case {
            id,
            version: 1,
            state: CaseState::Submitted,
            subject,
            target,
            channel,
            form,
            tasks,
            planned_trips,
            trips: 0,
            submitted_on: today,
            accepted_on: None,
            deadline: None,
            deficiency: None,
            supplement: None,
            decision: None,
            delivery: None,
            rating: None,
            closing_reason: None,
        };
        // The ledger keeps events for ever: no resident ID or name in them.
        let applicant = match &case.subject {
            Applicant::Person { .. } => "person",
            Applicant::Enterprise { .. } => "enterprise",
        };
        let mut log: Draft = vec![(
            EventKind::Submitted,
            json!({
                "target": case.target,
                "channel": case.channel,
                "applicant": applicant,
                "region": region,
                "tasks": case.tasks.len(),
                "planned_trips": planned_trips,
            }),
        )];
        if case.channel.kind() == ChannelKind::Window {
            count_trip(&mut case, "window_submission", &mut log);
        }
        let events = number(&case, None, actor, today, log);
        Ok((case, events))
    }
}

/// Applies `action`, asked by `actor` on `today`, to `case`: checks the
/// transition table and the roles, then returns the changed copy, one
/// version later, with the events it produced. `case` itself is never
/// changed; on an error nothing happened.
pub fn apply(
    case: &Case,
    action: Action,
    actor: &Actor,
    today: Date,
    calendar: &Calendar,
) -> Result<Transition, CaseError> {
    let kind = action.kind();
    let row = allowed(case.state, kind, case.channel.kind())?;
    if !row.roles.contains(&actor.role) {
        return Err(CaseError::WrongRole {
            action: kind,
            role: actor.role,
        });
    }
    let mut next = case.clone();
    let mut log = Draft::new();
    let cal = calendar;
    match action {
        Action::PreCheck { passed, problems } => pre_check(&mut next, passed, problems, &mut log)?,
        Action::Accept => accept(&mut next, None, today, cal, &mut log)?,
        Action::AcceptWithDeficiency { materials, due_in } => {
            if materials.is_empty() {
                return Err(CaseError::EmptyDeficiency);
            }
            let due = cal.add_working_days(today, due_in.get())?;
            let deficiency = Deficiency { materials, due };
            accept(&mut next, Some(deficiency), today, cal, &mut log)?;
        }
        Action::Reject { reason } => {
            close(&mut next, CaseState::Rejected, &reason, kind, &mut log)?
        }
        Action::Withdraw { reason } => {
            close(&mut next, CaseState::Withdrawn, &reason, kind, &mut log)?
        }
        Action::Decide {
            task,
            outcome,
            comment,
        } => review::decide(
            &mut next, task, outcome, comment, actor, today, cal, &mut log,
        )?,
        Action::RuleDecide {
            task,
            approved,
            rule_report,
        } => review::rule_decide(
            &mut next,
            task,
            approved,
            rule_report,
            actor,
            today,
            cal,
            &mut log,
        )?,
        Action::Supplement { at_window } => {
            // A clerk only records what the applicant brings to a window.
            if actor.role == Role::Clerk && !at_window {
                return Err(CaseError::WrongRole {
                    action: kind,
                    role: actor.role,
                });
            }
            review::supplement(&mut next, at_window, today, cal, &mut log)?;
            if at_window {
                count_trip(&mut next, "window_supplement", &mut log);
            }
        }
        Action::IssueResult => issue_result(&mut next, &mut log)?,
        Action::Deliver {
            mode,
            tracking,
            window,
        } => deliver(&mut next, mode, tracking, window, today, &mut log)?,
        Action::Rate(rating) => {
            next.state = CaseState::Rated;
            log.push((
                EventKind::Rated,
                json!({ "score": rating.score(), "comment": rating.comment() }),
            ));
            next.rating = Some(rating);
        }
        Action::MarkDeadlines { today: judged } => {
            review::mark_deadlines(&mut next, judged, cal, &mut log)?
        }
    }
    if log.is_empty() {
        return Ok(Transition {
            case: case.clone(),
            events: Vec::new(),
        });
    }
    debug_assert!(row.to.contains(&next.state), "{kind} led to {}", next.state);
    next.version += 1;
    let events = number(&next, Some(case.state), actor, today, log);
    Ok(Transition { case: next, events })
}

/// Numbers a transition's events with the case's new version.
fn number(
    case: &Case,
    from_state: Option<CaseState>,
    actor: &Actor,
    on: Date,
    log: Draft,
) -> Vec<Event> {
    (0u32..)
        .zip(log)
        .map(|(index, (kind, data))| Event {
            case_id: case.id,
            seq: case.version,
            index,
            kind,
            actor: actor.user.clone(),
            role: actor.role,
            on,
            from_state,
            to_state: case.state,
            data,
        })
        .collect()
}

/// One more in-person visit, with why.
fn count_trip(case: &mut Case, reason: &str, log: &mut Draft) {
    case.trips += 1;
    log.push((
        EventKind::TripCounted,
        json!({ "reason": reason, "trips": case.trips, "planned_trips": case.planned_trips }),
    ));
}

fn non_blank(text: &str, action: ActionKind) -> Result<String, CaseError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CaseError::EmptyReason { action });
    }
    Ok(text.to_owned())
}

fn pre_check(
    case: &mut Case,
    passed: bool,
    problems: Vec<String>,
    log: &mut Draft,
) -> Result<(), CaseError> {
    if passed {
        case.state = CaseState::PreChecked;
        log.push((EventKind::PreChecked, json!({ "problems": problems })));
        return Ok(());
    }
    let reason = non_blank(&problems.join("; "), ActionKind::PreCheck)?;
    close(
        case,
        CaseState::Rejected,
        &reason,
        ActionKind::PreCheck,
        log,
    )
}

fn accept(
    case: &mut Case,
    deficiency: Option<Deficiency>,
    today: Date,
    cal: &Calendar,
    log: &mut Draft,
) -> Result<(), CaseError> {
    let promised = task::critical_path_working_days(&case.tasks);
    let deadline = cal.add_working_days(today, promised)?;
    case.state = match deficiency {
        Some(_) => CaseState::AcceptedWithDeficiency,
        None => CaseState::Accepted,
    };
    case.accepted_on = Some(today);
    case.deadline = Some(deadline);
    log.push((
        EventKind::Accepted,
        json!({
            "promised_working_days": promised,
            "deadline": deadline.to_string(),
            "deficiency": deficiency,
        }),
    ));
    case.deficiency = deficiency;
    task::open_next_stage(&mut case.tasks, today, cal, log)?;
    Ok(())
}

/// Rejects or withdraws: every pending task is cancelled.
fn close(
    case: &mut Case,
    to: CaseState,
    reason: &str,
    action: ActionKind,
    log: &mut Draft,
) -> Result<(), CaseError> {
    let reason = non_blank(reason, action)?;
    let cancelled = task::cancel_pending(&mut case.tasks);
    let kind = match to {
        CaseState::Withdrawn => EventKind::Withdrawn,
        _ => EventKind::Rejected,
    };
    log.push((
        kind,
        json!({ "reason": reason, "by": action, "cancelled_tasks": cancelled }),
    ));
    case.state = to;
    case.closing_reason = Some(reason);
    Ok(())
}

/// 容缺受理 means the result waits for the missing materials.
fn issue_result(case: &mut Case, log: &mut Draft) -> Result<(), CaseError> {
    if let Some(deficiency) = &case.deficiency {
        return Err(CaseError::DeficiencyOutstanding {
            due: deficiency.due,
        });
    }
    case.state = CaseState::ResultIssued;
    log.push((
        EventKind::ResultIssued,
        json!({ "decision": case.decision }),
    ));
    Ok(())
}

fn deliver(
    case: &mut Case,
    mode: DeliveryMode,
    tracking: Option<super::TrackingNumber>,
    window: Option<WindowCode>,
    today: Date,
    log: &mut Draft,
) -> Result<(), CaseError> {
    match (mode, &tracking, &window) {
        (DeliveryMode::Express, None, _) => return Err(CaseError::TrackingRequired),
        (DeliveryMode::Window, _, None) => return Err(CaseError::WindowRequired),
        (DeliveryMode::Window | DeliveryMode::Electronic, Some(_), _) => {
            return Err(CaseError::TrackingNotExpected { mode });
        }
        (DeliveryMode::Express | DeliveryMode::Electronic, _, Some(_)) => {
            return Err(CaseError::WindowNotExpected { mode });
        }
        _ => {}
    }
    let delivery = Delivery {
        mode,
        tracking,
        window,
        delivered_on: today,
    };
    case.state = CaseState::Delivered;
    log.push((EventKind::Delivered, json!(delivery)));
    case.delivery = Some(delivery);
    if mode == DeliveryMode::Window {
        count_trip(case, "window_pickup", log);
    }
    Ok(())
}
