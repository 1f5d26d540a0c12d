//! What the system decides on its own, by rules, without a person:
//! accepting a complete online application at once, deciding every task
//! whose matter's conditions are all machine-checkable (秒批), and keeping
//! what an applicant corrected of the values the exchange pre-filled.
//!
//! Each is a sequence of ordinary transitions through [`apply`], in the
//! `system` role, so the case's table of transitions stays the one law.

use serde::Serialize;
use serde_json::{Map, Value, json};
use time::Date;

use super::{Action, Actor, Case, CaseError, Event, Role, TaskState, Transition, apply};
use crate::calendar::Calendar;
use crate::catalog::Catalog;
use crate::catalog::rule::evaluate_all;

/// The actor of what the system decides: the online pre-check, acceptance
/// of complete online applications, rule decisions and deadline cards.
pub fn system_actor() -> Actor {
    Actor {
        user: "system".into(),
        role: Role::System,
    }
}

/// Pre-checks and accepts an online application whose form was validated
/// against its plan: that validation is the pre-check, and a complete
/// online application is accepted at once (一网通办, zero trips).
pub fn accept_online(
    case: &Case,
    today: Date,
    calendar: &Calendar,
) -> Result<Transition, CaseError> {
    let checked = apply(
        case,
        Action::PreCheck {
            passed: true,
            problems: vec![],
        },
        &system_actor(),
        today,
        calendar,
    )?;
    let accepted = apply(
        &checked.case,
        Action::Accept,
        &system_actor(),
        today,
        calendar,
    )?;
    let mut events = checked.events;
    events.extend(accepted.events);
    Ok(Transition {
        case: accepted.case,
        events,
    })
}

/// Decides by rules every open task whose matter allows it and that rules
/// have not yet judged, until nothing more can be decided that way (a rule
/// decision may open the next stage's tasks). Returns the case with the
/// events of those decisions (none when there was nothing to decide).
pub fn settle(
    catalog: &Catalog,
    case: Case,
    today: Date,
    calendar: &Calendar,
) -> Result<Transition, CaseError> {
    let mut case = case;
    let mut events = Vec::new();
    loop {
        let next = case
            .tasks
            .iter()
            .find(|t| t.state == TaskState::Open && t.rule_decidable && t.rule_report.is_none());
        let Some(task) = next else {
            return Ok(Transition { case, events });
        };
        let conditions = catalog
            .matters
            .get(&task.matter)
            .map(|m| m.auto_approve.as_slice())
            .unwrap_or_default();
        let (approved, results) = evaluate_all(conditions, &case.form);
        let action = Action::RuleDecide {
            task: task.id,
            approved,
            rule_report: json!({ "conditions": results }),
        };
        let t = apply(&case, action, &system_actor(), today, calendar)?;
        case = t.case;
        events.extend(t.events);
    }
}

/// A value the applicant changed from what the exchange pre-filled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correction {
    /// The form field.
    pub field: String,
    /// What the exchange holds.
    pub exchange: Value,
    /// What the applicant submitted instead.
    pub submitted: Value,
}

/// Where the submitted `form` differs from what the exchange `prefilled`:
/// the applicant's corrections, for the owning department to follow up.
pub fn corrections(prefilled: &Map<String, Value>, form: &Value) -> Vec<Correction> {
    prefilled
        .iter()
        .filter_map(|(key, held)| {
            let given = form.get(key)?;
            (given != held).then(|| Correction {
                field: key.clone(),
                exchange: held.clone(),
                submitted: given.clone(),
            })
        })
        .collect()
}

/// Keeps `corrections` with the submission: in the data of the first event
/// (`submitted`), so that the ledger holds them with the application.
pub fn record_corrections(events: &mut [Event], corrections: &[Correction]) {
    if corrections.is_empty() {
        return;
    }
    if let Some(submitted) = events.first_mut()
        && let Some(data) = submitted.data.as_object_mut()
        && let Ok(list) = serde_json::to_value(corrections)
    {
        data.insert("corrections".into(), list);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_prefilled_values_are_corrections() {
        let mut prefilled = Map::new();
        prefilled.insert("address".into(), json!("宁穿路1号"));
        prefilled.insert("name".into(), json!("张三"));
        prefilled.insert("phone".into(), json!("13800000000"));
        let form = json!({"address": "宁穿路2号", "name": "张三"});
        let found = corrections(&prefilled, &form);
        assert_eq!(
            found,
            vec![Correction {
                field: "address".into(),
                exchange: json!("宁穿路1号"),
                submitted: json!("宁穿路2号"),
            }]
        );
    }
}
