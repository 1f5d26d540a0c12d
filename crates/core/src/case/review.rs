//! The review phase: reviewers and rules decide tasks, the applicant
//! supplements, the deadline worker raises cards.

use serde_json::json;
use time::Date;

use super::action::{ActionKind, Outcome};
use super::error::CaseError;
use super::event::{Draft, EventKind};
use super::ids::TaskId;
use super::state::CaseState;
use super::task::{self, DeadlineFlag, TaskState};
use super::{Actor, Case, Supplement};
use crate::calendar::Calendar;

/// A reviewer's decision on one open task.
#[allow(clippy::too_many_arguments)]
pub(super) fn decide(
    case: &mut Case,
    id: TaskId,
    outcome: Outcome,
    comment: Option<String>,
    actor: &Actor,
    today: Date,
    cal: &Calendar,
    log: &mut Draft,
) -> Result<(), CaseError> {
    let comment = comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if let (Outcome::Supplement { .. }, Some(pending)) = (&outcome, &case.supplement) {
        return Err(CaseError::SupplementPending { task: pending.task });
    }
    let i = open_task(case, id)?;
    let reason = || {
        comment.clone().ok_or(CaseError::EmptyReason {
            action: ActionKind::Decide,
        })
    };
    match outcome {
        Outcome::Approve => settle(
            case,
            i,
            TaskState::Approved,
            comment.clone(),
            actor,
            today,
            log,
        ),
        Outcome::Deny => {
            // 行政许可法 第三十八条: a refusal must state its reasons.
            let reason = reason()?;
            settle(case, i, TaskState::Denied, Some(reason), actor, today, log);
            let matter = case.tasks[i].matter.clone();
            task::block_dependents(&mut case.tasks, &matter, log);
        }
        Outcome::Supplement { materials } => {
            if materials.is_empty() {
                return Err(CaseError::EmptySupplement);
            }
            let reason = reason()?;
            let task = &mut case.tasks[i];
            task.state = TaskState::SupplementRequested;
            task.comment = Some(reason.clone());
            let mut data = task.summary();
            data["reason"] = json!(reason);
            data["materials"] = json!(materials);
            data["requested_by"] = json!(actor.user);
            log.push((EventKind::SupplementRequested, data));
            case.supplement = Some(Supplement {
                requested_on: today,
                reason,
                materials,
                task: id,
            });
            case.state = CaseState::SupplementRequested;
            return Ok(());
        }
    }
    after_settling(case, today, cal, log)
}

/// The rules' verdict on a rule-decidable task (秒批): approve at once, or
/// leave the task open for a reviewer with the report saying why.
#[allow(clippy::too_many_arguments)]
pub(super) fn rule_decide(
    case: &mut Case,
    id: TaskId,
    approved: bool,
    report: serde_json::Value,
    actor: &Actor,
    today: Date,
    cal: &Calendar,
    log: &mut Draft,
) -> Result<(), CaseError> {
    let i = open_task(case, id)?;
    let task = &mut case.tasks[i];
    if !task.rule_decidable {
        return Err(CaseError::NotRuleDecidable { task: id });
    }
    task.rule_report = Some(report.clone());
    let mut data = task.summary();
    data["approved"] = json!(approved);
    data["report"] = report;
    data["next"] = json!(if approved {
        "approved"
    } else {
        "left_for_reviewer"
    });
    log.push((EventKind::RuleDecided, data));
    if !approved {
        return Ok(());
    }
    let comment = Some("decided by rules".to_owned());
    settle(case, i, TaskState::Approved, comment, actor, today, log);
    after_settling(case, today, cal, log)
}

/// The applicant supplies what was asked: the pending request (the paused
/// tasks resume, their deadlines moved by the pause, since the time for
/// the applicant to supplement is not counted in the limit) and the
/// materials of an accept-with-deficiency.
pub(super) fn supplement(
    case: &mut Case,
    at_window: bool,
    today: Date,
    cal: &Calendar,
    log: &mut Draft,
) -> Result<(), CaseError> {
    if case.supplement.is_none() && case.deficiency.is_none() {
        return Err(CaseError::NothingToSupplement);
    }
    let mut data = json!({ "at_window": at_window });
    if let Some(deficiency) = case.deficiency.take() {
        data["deficiency"] = json!(deficiency);
    }
    let mut resumed = Vec::new();
    if let Some(request) = case.supplement.take() {
        let paused = cal.working_days_between(request.requested_on, today)?;
        let paused = u32::try_from(paused).unwrap_or(0);
        for task in case
            .tasks
            .iter_mut()
            .filter(|t| t.state == TaskState::SupplementRequested)
        {
            task.state = TaskState::Open;
            task.paused_working_days += paused;
            if let Some(deadline) = task.deadline {
                task.deadline = Some(cal.add_working_days(deadline, paused)?);
            }
            let mut resume = task.summary();
            resume["paused_working_days"] = json!(paused);
            resume["deadline"] = json!(task.deadline.map(|d| d.to_string()));
            resumed.push((EventKind::TaskResumed, resume));
        }
        if let Some(deadline) = case.deadline {
            case.deadline = Some(cal.add_working_days(deadline, paused)?);
        }
        data["supplement"] = json!(request);
        data["paused_working_days"] = json!(paused);
    }
    log.push((EventKind::Supplemented, data));
    log.extend(resumed);
    case.state = match case.state {
        CaseState::AcceptedWithDeficiency => CaseState::Accepted,
        CaseState::SupplementRequested => CaseState::InReview,
        other => other,
    };
    Ok(())
}

/// Raises the card each open task deserves on `today`; paused tasks'
/// clocks are stopped and settled tasks keep theirs. Only a raised card is
/// an event.
pub(super) fn mark_deadlines(
    case: &mut Case,
    today: Date,
    cal: &Calendar,
    log: &mut Draft,
) -> Result<(), CaseError> {
    for task in case.tasks.iter_mut().filter(|t| t.state == TaskState::Open) {
        let due = task.due_flag(today, cal)?;
        if due <= task.flag {
            continue;
        }
        task.flag = due;
        let kind = match due {
            DeadlineFlag::Overdue => EventKind::DeadlineOverdue,
            _ => EventKind::DeadlineWarning,
        };
        let mut data = task.summary();
        data["deadline"] = json!(task.deadline.map(|d| d.to_string()));
        data["judged_on"] = json!(today.to_string());
        data["promised_limit"] = json!(task.promised_limit);
        log.push((kind, data));
    }
    Ok(())
}

/// The index of the open task `id`.
fn open_task(case: &Case, id: TaskId) -> Result<usize, CaseError> {
    let i = case
        .tasks
        .iter()
        .position(|t| t.id == id)
        .ok_or(CaseError::UnknownTask { task: id })?;
    match case.tasks[i].state {
        TaskState::Open => Ok(i),
        state => Err(CaseError::TaskNotOpen { task: id, state }),
    }
}

/// Records the decision of task `i`.
fn settle(
    case: &mut Case,
    i: usize,
    state: TaskState,
    comment: Option<String>,
    actor: &Actor,
    today: Date,
    log: &mut Draft,
) {
    let task = &mut case.tasks[i];
    task.state = state;
    task.decided_by = Some(actor.user.clone());
    task.decided_on = Some(today);
    task.comment = comment;
    let mut data = task.summary();
    data["outcome"] = json!(state);
    data["comment"] = json!(task.comment);
    data["decided_by"] = json!(actor.user);
    data["within_deadline"] = json!(task.deadline.is_none_or(|d| today <= d));
    log.push((EventKind::TaskDecided, data));
}

/// After a task is settled: the next stage may open, and when nothing is
/// pending the case is decided.
fn after_settling(
    case: &mut Case,
    today: Date,
    cal: &Calendar,
    log: &mut Draft,
) -> Result<(), CaseError> {
    task::open_next_stage(&mut case.tasks, today, cal, log)?;
    if let Some(decision) = task::decision(&case.tasks, today) {
        case.state = CaseState::Decided;
        log.push((EventKind::Decided, json!(decision)));
        case.decision = Some(decision);
    } else if case.supplement.is_none() {
        case.state = CaseState::InReview;
    }
    Ok(())
}
