//! The rows of a case and its tasks, as a change writes them: the inserts
//! of a new case, the guarded update of a transition, and the updates of
//! the tasks it changed (made beside the request, [`changed_tasks`]).
//! Apart from the checks (`apply.rs`), which only decide whether they run.

use yici_core::case::Case;

use crate::sql::script::Script;
use crate::sql::value::Value;

fn date(d: Option<time::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn u64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The update that moves the case row to its new version, guarded by the
/// version it was computed from.
pub(crate) fn update_case_row(
    case: &Case,
    snapshot: &str,
    expected: u64,
    now_ms: i64,
) -> (&'static str, Vec<Value>) {
    (
        "UPDATE cases SET version = $1, state = $2, trips = $3, deadline = $4, rating = $5, snapshot = $6, updated_ms = $7, checked_on = NULL WHERE id = $8 AND version = $9",
        vec![
            u64_of(case.version).into(),
            case.state.as_str().into(),
            i64::from(case.trips).into(),
            date(case.deadline).into(),
            case.rating.as_ref().map(|r| i64::from(r.score())).into(),
            snapshot.into(),
            now_ms.into(),
            case.id.to_string().into(),
            u64_of(expected).into(),
        ],
    )
}

pub(crate) fn insert_case_row(
    script: &mut Script,
    case: &Case,
    snapshot: &str,
    owner: &str,
    now_ms: i64,
) {
    let (channel, window) = match &case.channel {
        yici_core::case::Channel::Online => ("online", None),
        yici_core::case::Channel::Window { window } => ("window", Some(window.to_string())),
    };
    let target = match &case.target {
        yici_core::case::Target::OneThing(c) => c.to_string(),
        yici_core::case::Target::Matter(c) => c.to_string(),
    };
    let subject = match &case.subject {
        yici_core::case::Applicant::Person { resident_id, .. } => resident_id.to_string(),
        yici_core::case::Applicant::Enterprise { uscc, .. } => uscc.to_string(),
    };
    script.push(
        "INSERT INTO cases (id, version, state, target, owner, subject, region, window_code, channel, planned_trips, trips, submitted_on, deadline, rating, snapshot, created_ms, updated_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, $14, $15, $16)",
        vec![
            case.id.to_string().into(),
            u64_of(case.version).into(),
            case.state.as_str().into(),
            target.into(),
            owner.into(),
            subject.into(),
            case.subject.region().to_string().into(),
            window.into(),
            channel.into(),
            i64::from(case.planned_trips).into(),
            i64::from(case.trips).into(),
            case.submitted_on.to_string().into(),
            date(case.deadline).into(),
            snapshot.into(),
            now_ms.into(),
            now_ms.into(),
        ],
        1,
    );
}

pub(crate) fn insert_tasks(script: &mut Script, case: &Case, now_ms: i64) {
    let rows: Vec<Vec<Value>> = case
        .tasks
        .iter()
        .map(|t| {
            vec![
                t.id.to_string().into(),
                case.id.to_string().into(),
                t.matter.to_string().into(),
                t.department.to_string().into(),
                t.region.to_string().into(),
                i64::try_from(t.stage).unwrap_or(i64::MAX).into(),
            ]
            .into_iter()
            .chain(progress(t, now_ms))
            .collect()
        })
        .collect();
    script.insert_rows(
        "tasks (id, case_id, matter, department, region, stage, state, flag, opened_on, deadline, decided_on, updated_ms)",
        rows,
    );
}

/// A task's columns that change as it moves: state, flag, opened_on,
/// deadline, decided_on, updated_ms.
fn progress(t: &yici_core::case::Task, now_ms: i64) -> [Value; 6] {
    [
        t.state.as_str().into(),
        t.flag.as_str().into(),
        date(t.opened_on).into(),
        date(t.deadline).into(),
        date(t.decided_on).into(),
        now_ms.into(),
    ]
}

pub(crate) const UPDATE_TASK: &str = "UPDATE tasks SET state = $1, flag = $2, opened_on = $3, deadline = $4, decided_on = $5, updated_ms = $6 WHERE id = $7";

/// The `UPDATE tasks` parameters of the tasks of `case` that differ from
/// `previous` (all of them without it).
pub(crate) fn changed_tasks(case: &Case, previous: Option<&Case>, now_ms: i64) -> Vec<Vec<Value>> {
    case.tasks
        .iter()
        .filter(|t| {
            !previous
                .and_then(|p| p.tasks.iter().find(|old| old.id == t.id))
                .is_some_and(|old| old == *t)
        })
        .map(|t| {
            progress(t, now_ms)
                .into_iter()
                .chain([t.id.to_string().into()])
                .collect()
        })
        .collect()
}
