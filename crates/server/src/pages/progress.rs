//! A case in words: its state, its tasks stage by stage, its history.
//! Shared by the applicant's, the clerk's and the reviewer's pages.

use time::{Date, OffsetDateTime, UtcOffset};
use yici_catalog::Plan;
use yici_core::case::{Case, Channel, DeadlineFlag, Target, Task};
use yici_core::catalog::{DepartmentCode, MatterCode};
use yici_service::cases::StoredEvent;

use super::chrome::Chrome;
use crate::state::AppState;

/// A matter's name in the page's language (its code if unknown).
pub fn matter_name(state: &AppState, lang: &str, code: &MatterCode) -> String {
    state
        .catalog()
        .matters
        .get(code)
        .map_or_else(|| code.to_string(), |m| m.name.get(lang).to_owned())
}

/// A department's name in the page's language (its code if unknown).
pub fn department_name(state: &AppState, lang: &str, code: &str) -> String {
    DepartmentCode::parse(code)
        .ok()
        .and_then(|d| state.catalog().departments.get(&d))
        .map_or_else(|| code.to_owned(), |d| d.name.get(lang).to_owned())
}

/// What the case applies for, in words.
pub fn target_name(state: &AppState, lang: &str, target: &Target) -> String {
    match target {
        Target::OneThing(code) => state
            .catalog()
            .one_things
            .get(code)
            .map_or_else(|| code.to_string(), |o| o.name.get(lang).to_owned()),
        Target::Matter(code) => matter_name(state, lang, code),
    }
}

/// The guide page of what the case applies for.
pub fn target_href(target: &Target) -> String {
    match target {
        Target::OneThing(code) => format!("/one-things/{code}"),
        Target::Matter(code) => format!("/matters/{code}"),
    }
}

/// Where the case came in, in words.
pub fn channel_name(c: &Chrome, state: &AppState, channel: &Channel) -> String {
    match channel {
        Channel::Online => c.t.get("channel.online").to_owned(),
        Channel::Window { window } => state
            .catalog()
            .windows
            .get(window)
            .map_or_else(|| window.to_string(), |w| w.name.get(c.code()).to_owned()),
    }
}

/// A material's name from the plan (its key if the plan lacks it).
pub fn material_name(plan: Option<&Plan>, lang: &str, key: &str) -> String {
    plan.and_then(|p| {
        p.materials
            .bring
            .iter()
            .chain(&p.materials.fetched)
            .chain(&p.materials.internal)
            .find(|m| m.key.as_str() == key)
    })
    .map_or_else(|| key.to_owned(), |m| m.name.get(lang).to_owned())
}

/// A date, or a dash.
pub fn day(d: Option<Date>) -> String {
    d.map_or_else(|| "—".to_owned(), |d| d.to_string())
}

/// Milliseconds since the epoch as a Beijing-time minute.
pub fn minute(ms: i64) -> String {
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|t| {
            let t = t.to_offset(offset);
            format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute())
        })
        .unwrap_or_default()
}

/// A task in a progress list.
pub struct TaskLine {
    pub matter: String,
    pub department: String,
    pub department_code: String,
    pub state: String,
    pub state_code: &'static str,
    pub opened: String,
    pub deadline: String,
    pub decided: String,
    pub flag: &'static str,
    pub flag_label: String,
    pub comment: String,
}

/// The tasks of one stage.
pub struct StageLines {
    pub title: String,
    pub tasks: Vec<TaskLine>,
}

/// The words of a deadline card: "", yellow or red.
pub fn flag_label(c: &Chrome, flag: DeadlineFlag) -> String {
    match flag {
        DeadlineFlag::None => String::new(),
        other => c.t.get(&format!("flag.{}", other.as_str())).to_owned(),
    }
}

/// One task in words.
pub fn task_line(c: &Chrome, state: &AppState, t: &Task) -> TaskLine {
    let lang = c.code();
    TaskLine {
        matter: matter_name(state, lang, &t.matter),
        department: department_name(state, lang, t.department.as_str()),
        department_code: t.department.to_string(),
        state: c.t.get(&format!("task.{}", t.state.as_str())).to_owned(),
        state_code: t.state.as_str(),
        opened: day(t.opened_on),
        deadline: day(t.deadline),
        decided: day(t.decided_on),
        flag: t.flag.as_str(),
        flag_label: flag_label(c, t.flag),
        comment: t.comment.clone().unwrap_or_default(),
    }
}

/// The case's tasks, stage by stage.
pub fn stages(c: &Chrome, state: &AppState, case: &Case) -> Vec<StageLines> {
    let last = case.tasks.iter().map(|t| t.stage).max().unwrap_or(0);
    (1..=last)
        .map(|i| StageLines {
            title: c.with_n("plan.stage", i),
            tasks: case
                .tasks
                .iter()
                .filter(|t| t.stage == i)
                .map(|t| task_line(c, state, t))
                .collect(),
        })
        .filter(|s| !s.tasks.is_empty())
        .collect()
}

/// The case's state in words.
pub fn state_words(c: &Chrome, case: &Case) -> String {
    c.t.get(&format!("state.{}", case.state.as_str()))
        .to_owned()
}

/// An event of the history.
pub struct EventLine {
    pub when: String,
    pub what: String,
    pub detail: String,
}

/// The history, oldest first, in words.
pub fn history(c: &Chrome, state: &AppState, events: &[StoredEvent]) -> Vec<EventLine> {
    let lang = c.code();
    events
        .iter()
        .map(|e| {
            let d = &e.event.data;
            let text = |k: &str| d.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            let mut parts: Vec<String> = Vec::new();
            if !text("department").is_empty() {
                parts.push(department_name(state, lang, text("department")));
            }
            if let Ok(m) = MatterCode::parse(text("matter")) {
                parts.push(matter_name(state, lang, &m));
            }
            if !text("outcome").is_empty() {
                parts.push(c.t.get(&format!("task.{}", text("outcome"))).to_owned());
            }
            if !text("deadline").is_empty() {
                parts.push(format!("{} {}", c.t.get("case.deadline"), text("deadline")));
            }
            if e.event.kind == yici_core::case::EventKind::StageOpened
                && let Some(n) = d.get("stage").and_then(serde_json::Value::as_u64)
            {
                parts.push(c.with_n("plan.stage", n));
            }
            if e.event.kind == yici_core::case::EventKind::TripCounted {
                parts.push(c.t.get(&format!("trip.{}", text("reason"))).to_owned());
            } else if !text("reason").is_empty() {
                parts.push(text("reason").to_owned());
            }
            if !text("comment").is_empty() {
                parts.push(text("comment").to_owned());
            }
            EventLine {
                when: minute(e.at_ms),
                what: c
                    .t
                    .get(&format!("event.{}", e.event.kind.as_str()))
                    .to_owned(),
                detail: parts.join(c.t.get("punct.list")),
            }
        })
        .collect()
}

/// A case in a list.
pub struct CaseRow {
    pub id: String,
    pub short_id: String,
    pub href: String,
    pub version: u64,
    pub target: String,
    pub applicant: String,
    pub state: String,
    pub state_code: &'static str,
    pub submitted: String,
    pub deadline: String,
}

/// One case as a list row.
pub fn case_row(c: &Chrome, state: &AppState, case: &Case) -> CaseRow {
    let id = case.id.to_string();
    CaseRow {
        short_id: id
            .chars()
            .rev()
            .take(8)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect(),
        href: format!("/cases/{id}"),
        id,
        version: case.version,
        target: target_name(state, c.code(), &case.target),
        applicant: case.subject.name().to_owned(),
        state: state_words(c, case),
        state_code: case.state.as_str(),
        submitted: case.submitted_on.to_string(),
        deadline: day(case.deadline),
    }
}
