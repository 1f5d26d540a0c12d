//! Handling cases: submission and every later action, with what follows
//! from them (rule decisions, webhook messages), written in one transaction.

use serde_json::json;
use uuid::Uuid;
use yici_catalog::Plan;
use yici_catalog::form::validate;
use yici_core::case::{
    Action, Actor, Applicant, Case, CaseId, Channel, Event, Role, Target, TaskId, TaskSpec,
    TaskState, apply,
};
use yici_core::catalog::rule::evaluate_all;
use yici_store::{IdempotencyKey, Inserted, OutboxMessage, StoredCase};

use crate::auth::Caller;
use crate::authz;
use crate::problem::{ApiError, FieldProblem};
use crate::state::AppState;

/// The worker that decides by rules and pre-checks online applications.
pub fn system() -> Actor {
    Actor {
        user: "system".into(),
        role: Role::System,
    }
}

/// The plan a case of `target` follows.
pub fn plan_for(state: &AppState, target: &Target) -> Result<Plan, ApiError> {
    match target {
        Target::OneThing(code) => state.plan(code).cloned().ok_or_else(|| {
            ApiError::invalid(
                "one_thing",
                "unknown_one_thing",
                format!("one-thing {code} does not exist"),
            )
        }),
        Target::Matter(code) => yici_catalog::plan(state.catalog(), code.as_str()).map_err(|_| {
            ApiError::invalid(
                "matter",
                "unknown_matter",
                format!("matter {code} does not exist"),
            )
        }),
    }
}

fn task_specs(plan: &Plan) -> Result<Vec<TaskSpec>, ApiError> {
    let mut specs = Vec::new();
    for s in &plan.stages {
        for t in &s.tasks {
            // The limit came from a checked catalog, so it is in range.
            let promised_limit = yici_core::calendar::WorkingDays::new(t.promised_limit)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            specs.push(TaskSpec {
                id: TaskId::from_uuid(Uuid::now_v7()),
                matter: t.matter.clone(),
                department: t.department.clone(),
                stage: s.index,
                depends_on: t.depends_on.clone(),
                promised_limit,
                rule_decidable: t.rule_decidable,
            });
        }
    }
    Ok(specs)
}

/// Submits a new case. Returns it and whether it was created now (false
/// when an idempotency key replayed an earlier submission).
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    target: Target,
    applicant: Applicant,
    form: serde_json::Value,
    channel: Channel,
    idempotency: Option<IdempotencyKey>,
) -> Result<(Case, bool), ApiError> {
    let plan = plan_for(state, &target)?;
    validate(&plan.form, &form).map_err(|errors| {
        ApiError::Fields(
            errors
                .into_iter()
                .map(|e| FieldProblem {
                    field: if e.field == "form" {
                        e.field
                    } else {
                        format!("form.{}", e.field)
                    },
                    rule: e.rule.to_owned(),
                    message: e.message,
                })
                .collect(),
        )
    })?;
    let owner_id = match &applicant {
        Applicant::Person { resident_id, .. } => resident_id.to_string(),
        Applicant::Enterprise { uscc, .. } => uscc.to_string(),
    };
    let records = crate::prefill::records_for(state, &plan, &owner_id).await?;
    let corrections = crate::prefill::corrections(&crate::prefill::prefill(&plan, &records), &form);
    let today = state.clock().today();
    let id = CaseId::from_uuid(Uuid::now_v7());
    let (mut case, mut events) = Case::submit(
        id,
        applicant,
        target,
        channel.clone(),
        form,
        task_specs(&plan)?,
        plan.trips,
        today,
        &caller.actor(),
    )?;
    if !corrections.is_empty()
        && let Some(submitted) = events.first_mut()
        && let Some(data) = submitted.data.as_object_mut()
    {
        // What the applicant corrected of the pre-filled values is kept
        // with the submission, for the owning department to follow up.
        data.insert("corrections".into(), serde_json::Value::Array(corrections));
    }
    let before = case.clone();
    if matches!(channel, Channel::Online) {
        // The form was validated against the plan above: that is the
        // pre-check, and a complete online application is accepted at once.
        for action in [
            Action::PreCheck {
                passed: true,
                problems: vec![],
            },
            Action::Accept,
        ] {
            let t = apply(&case, action, &system(), today, state.calendar())?;
            case = t.case;
            events.extend(t.events);
        }
    }
    let case = settle(state, case, &mut events)?;
    let outbox = opened_messages(state, &before, &case)?;
    let owner = authz::owner_of(&case);
    let now = state.clock().now_ms();
    match state
        .store()
        .insert_case(&case, &owner, &events, &outbox, idempotency.as_ref(), now)
        .await?
    {
        Inserted::Created => Ok((case, true)),
        Inserted::Existing(existing) => {
            let stored = state.store().case(&existing).await?.ok_or_else(|| {
                ApiError::Internal(format!("idempotent case {existing} vanished"))
            })?;
            Ok((stored.case, false))
        }
    }
}

/// A case after an action.
pub struct Acted {
    /// The case.
    pub case: Case,
    /// Its JSON as the store wrote it, when the action wrote (an answer
    /// needs not serialize it again).
    pub stored_json: Option<String>,
}

/// Applies `action` to a case for `caller`, checked against the version the
/// caller read, and writes the result with its consequences.
pub async fn act(
    state: &AppState,
    caller: &Caller,
    id: &CaseId,
    expected_version: Option<u64>,
    action: Action,
) -> Result<Acted, ApiError> {
    let stored = state
        .store()
        .case(id)
        .await?
        .ok_or_else(|| ApiError::NotFound {
            what: "case",
            id: id.to_string(),
        })?;
    act_on(state, caller, stored, expected_version, action).await
}

/// As [`act`], on a case the caller has just read.
pub async fn act_on(
    state: &AppState,
    caller: &Caller,
    stored: StoredCase,
    expected_version: Option<u64>,
    action: Action,
) -> Result<Acted, ApiError> {
    authz::may_act(caller, &stored, &action)?;
    let current = stored.case;
    if let Some(v) = expected_version
        && v != current.version
    {
        return Err(ApiError::VersionConflict {
            actual: current.version,
        });
    }
    let today = state.clock().today();
    let t = apply(&current, action, &caller.actor(), today, state.calendar())?;
    let mut events = t.events;
    let case = settle(state, t.case, &mut events)?;
    if events.is_empty() {
        return Ok(Acted {
            case,
            stored_json: None,
        });
    }
    let outbox = opened_messages(state, &current, &case)?;
    // Issuing the result issues its e-certificates and files them in the
    // holder's data-set records, in the same transaction.
    let certificates = if case.state == yici_core::case::CaseState::ResultIssued
        && current.state != yici_core::case::CaseState::ResultIssued
    {
        crate::seal::certificates_for(state, &case).await?
    } else {
        Vec::new()
    };
    let stored_json = state
        .store()
        .update_case_from(
            &current,
            &case,
            &events,
            &outbox,
            certificates,
            state.clock().now_ms(),
        )
        .await?;
    Ok(Acted {
        case,
        stored_json: Some(stored_json),
    })
}

/// Decides by rules every newly open task whose matter allows it (秒批),
/// until nothing more can be decided that way.
fn settle(state: &AppState, mut case: Case, events: &mut Vec<Event>) -> Result<Case, ApiError> {
    let today = state.clock().today();
    loop {
        let next = case
            .tasks
            .iter()
            .find(|t| t.state == TaskState::Open && t.rule_decidable && t.rule_report.is_none());
        let Some(task) = next else { return Ok(case) };
        let conditions = state
            .catalog()
            .matters
            .get(&task.matter)
            .map(|m| m.auto_approve.clone())
            .unwrap_or_default();
        let (approved, results) = evaluate_all(&conditions, &case.form);
        let action = Action::RuleDecide {
            task: task.id,
            approved,
            rule_report: json!({ "conditions": results }),
        };
        let t = apply(&case, action, &system(), today, state.calendar())?;
        case = t.case;
        events.extend(t.events);
    }
}

/// One CloudEvents message per task that opened, for departments that run
/// their own systems.
fn opened_messages(
    state: &AppState,
    before: &Case,
    after: &Case,
) -> Result<Vec<OutboxMessage>, ApiError> {
    let mut out = Vec::new();
    for task in &after.tasks {
        let was_open = before
            .task(task.id)
            .is_some_and(|t| t.state == TaskState::Open);
        if task.state != TaskState::Open || was_open || state.webhook(&task.department).is_none() {
            continue;
        }
        let id = Uuid::now_v7().to_string();
        let payload = crate::webhook::task_event(&id, after, task, state.clock().now())?;
        out.push(OutboxMessage {
            id,
            topic: "task.opened".into(),
            destination: task.department.to_string(),
            payload,
            attempts: 0,
        });
    }
    Ok(out)
}
