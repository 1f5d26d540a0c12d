//! The reviewer's queue (their department's tasks in their region, open
//! first) and the decision page of one task: approve, deny with a reason,
//! or ask for a supplement naming every material at once.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::case::TaskState;
use yici_core::catalog::FieldType;
use yici_service::ServiceError;
use yici_service::cases::{TaskFilter, TaskRow};

use super::chrome::Chrome;
use super::documents::{FileLine, file_line};
use super::input::{Errors, FormData};
use super::matter::source_label;
use super::progress::{self, StageLines, TaskLine};
use super::render::{error_page, not_found, render, render_status};
use super::session::{at_desk, check_csrf, need_signed};
use super::signed::Signed;
use crate::params::{Page, Params};
use crate::state::AppState;

/// A task in the queue.
pub struct QueueRow {
    pub href: String,
    pub matter: String,
    pub case: String,
    pub state: String,
    pub state_code: String,
    pub opened: String,
    pub deadline: String,
    pub flag: String,
    pub flag_label: String,
}

/// A part of the queue.
pub struct QueueSection {
    pub id: &'static str,
    pub title: String,
    pub rows: Vec<QueueRow>,
    pub total: u64,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct Queue {
    c: Chrome,
    department: String,
    sections: Vec<QueueSection>,
    page: u32,
    prev: Option<String>,
    next: Option<String>,
}

fn queue_row(c: &Chrome, state: &AppState, t: TaskRow) -> QueueRow {
    let lang = c.code();
    let matter = yici_core::catalog::MatterCode::parse(&t.matter)
        .map(|m| progress::matter_name(state, lang, &m))
        .unwrap_or(t.matter.clone());
    let flag_label = match t.flag.as_str() {
        "warning" | "overdue" => c.t.get(&format!("flag.{}", t.flag)).to_owned(),
        _ => String::new(),
    };
    QueueRow {
        href: format!("/work/tasks/{}", t.id),
        matter,
        case: t
            .case_id
            .chars()
            .skip(t.case_id.len().saturating_sub(8))
            .collect(),
        state: c.t.get(&format!("task.{}", t.state)).to_owned(),
        state_code: t.state,
        opened: t.opened_on.unwrap_or_default(),
        deadline: t.deadline.unwrap_or_default(),
        flag: t.flag,
        flag_label,
    }
}

/// GET /work/queue.
pub async fn queue(State(state): State<AppState>, c: Chrome, Params(params): Params) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let review = match at_desk(&c, state.service().review(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().cases(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let page = Page::from_params(&params).unwrap_or(Page {
        page: 1,
        per_page: 20,
    });
    let parts: [(&'static str, &[&str], bool); 3] = [
        ("open", &["open"], true),
        ("waiting", &["supplement_requested"], false),
        ("decided", &["approved", "denied"], false),
    ];
    let mut sections = Vec::new();
    let mut open_total = 0;
    for (id, states, paged) in parts {
        let mut rows = Vec::new();
        let mut total = 0;
        for s in states {
            let filter = TaskFilter {
                state: Some((*s).to_owned()),
                limit: page.per_page,
                offset: if paged { page.offset() } else { 0 },
                ..Default::default()
            };
            match desk.tasks(filter).await {
                Ok((found, n)) => {
                    total += n;
                    rows.extend(found.into_iter().map(|t| queue_row(&c, &state, t)));
                }
                Err(e) => return error_page(c, e, None),
            }
        }
        if paged {
            open_total = total;
        }
        sections.push(QueueSection {
            id,
            title: c.t.get(&format!("queue.{id}")).to_owned(),
            rows,
            total,
        });
    }
    let pages = open_total.div_ceil(u64::from(page.per_page)).max(1);
    let link = |p: u32| format!("/work/queue?page={p}&per_page={}", page.per_page);
    render(&Queue {
        department: progress::department_name(&state, c.code(), review.department()),
        sections,
        page: page.page,
        prev: (page.page > 1).then(|| link(page.page - 1)),
        next: (u64::from(page.page) < pages).then(|| link(page.page + 1)),
        c,
    })
}

/// A form value with its label.
pub struct ValueRow {
    pub label: String,
    pub value: String,
}

/// A material of the task's matter, with where it comes from.
pub struct MaterialRow {
    pub key: String,
    pub name: String,
    pub source: String,
    pub checked: bool,
    /// The files given for it (opened through the API, logged).
    pub files: Vec<FileLine>,
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage {
    c: Chrome,
    csrf: String,
    version: u64,
    case_href: String,
    target: String,
    applicant: String,
    channel: String,
    submitted: String,
    task: TaskLine,
    open: bool,
    values: Vec<ValueRow>,
    materials: Vec<MaterialRow>,
    supplement_choices: Vec<MaterialRow>,
    stages: Vec<StageLines>,
    errors: Errors,
    comment: String,
}

impl TaskPage {
    /// Errors on fields the form does not show, said at its top.
    fn other_errors(&self) -> Vec<String> {
        self.errors.others("", &["comment", "reason", "materials"])
    }

    /// The error beside the remarks: a denial's or a supplement's reason.
    fn comment_error(&self) -> Option<&str> {
        self.errors
            .get("comment")
            .or_else(|| self.errors.get("reason"))
    }
}

async fn show(
    state: &AppState,
    c: Chrome,
    me: &Signed,
    id: &str,
    errors: Errors,
    echo: FormData,
) -> Response {
    let desk = match at_desk(&c, state.service().cases(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let (stored, task_id) = match desk.task(id).await {
        Ok(found) => found,
        Err(e) => return error_page(c, e, Some("/work/queue".into())),
    };
    let case = &stored.case;
    let Some(task) = case.task(task_id) else {
        return not_found(c);
    };
    let lang = c.code();
    let plan = state.service().plan_for(&case.target).ok();
    let values = plan
        .as_ref()
        .map(|p| {
            p.form
                .fields
                .iter()
                .filter_map(|f| {
                    let v = case.form.get(f.field.key.as_str())?;
                    let value = match (&f.field.field_type, v) {
                        (FieldType::Bool, serde_json::Value::Bool(b)) => {
                            c.t.get(if *b { "yes" } else { "no" }).to_owned()
                        }
                        (_, serde_json::Value::String(s)) => s.clone(),
                        (_, other) => other.to_string(),
                    };
                    Some(ValueRow {
                        label: f.field.label.get(lang).to_owned(),
                        value,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let chosen = echo.all("materials");
    let files = match desk.files(&case.id).await {
        Ok(f) => f,
        Err(e) => return error_page(c, e, Some("/work/queue".into())),
    };
    let row = |m: &yici_catalog::plan::PlannedMaterial| MaterialRow {
        key: m.key.to_string(),
        name: m.name.get(lang).to_owned(),
        source: source_label(&c, &m.source),
        checked: chosen.iter().any(|k| k == m.key.as_str()),
        files: files
            .iter()
            .filter(|f| f.material == m.key.as_str() && f.deleted_ms.is_none())
            .map(file_line)
            .collect(),
    };
    let of_task = |list: &[yici_catalog::plan::PlannedMaterial]| -> Vec<MaterialRow> {
        list.iter()
            .filter(|m| m.matters.contains(&task.matter))
            .map(row)
            .collect()
    };
    let (materials, supplement_choices) = plan
        .as_ref()
        .map(|p| {
            let mut all = of_task(&p.materials.bring);
            all.extend(of_task(&p.materials.fetched));
            all.extend(of_task(&p.materials.internal));
            // Only what the applicant provides can be asked of them.
            (all, of_task(&p.materials.bring))
        })
        .unwrap_or_default();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = TaskPage {
        csrf: me.csrf.clone(),
        version: case.version,
        case_href: format!("/cases/{}", case.id),
        target: progress::target_name(state, lang, &case.target),
        applicant: case.subject.name().to_owned(),
        channel: progress::channel_name(&c, state, &case.channel),
        submitted: case.submitted_on.to_string(),
        task: progress::task_line(&c, state, task),
        open: task.state == TaskState::Open,
        values,
        materials,
        supplement_choices,
        stages: progress::stages(&c, state, case),
        comment: echo.text("comment"),
        errors,
        c,
    };
    render_status(status, &page)
}

/// GET /work/tasks/{id}.
pub async fn task(State(state): State<AppState>, c: Chrome, Path(id): Path<String>) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    if let Err(r) = at_desk(&c, state.service().review(&me.caller)) {
        return *r;
    }
    show(&state, c, &me, &id, Errors::default(), FormData::default()).await
}

/// POST /work/tasks/{id}: the decision.
pub async fn decide(
    State(state): State<AppState>,
    c: Chrome,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    if let Err(r) = check_csrf(&c, &me, &form) {
        return *r;
    }
    let desk = match at_desk(&c, state.service().review(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let back = Some(format!("/work/tasks/{id}"));
    // The task and whether it is in the reviewer's queue come first: a
    // task outside it is refused whatever the form says.
    let cases = match at_desk(&c, state.service().cases(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    if let Err(e) = cases.task(&id).await {
        return error_page(c, e, Some("/work/queue".into()));
    }
    let Ok(version) = form.text("version").parse::<u64>() else {
        return error_page(c, ServiceError::VersionRequired, back);
    };
    let comment = Some(form.text("comment")).filter(|s| !s.is_empty());
    let result = desk
        .decide(
            &id,
            Some(version),
            &form.text("outcome"),
            &form.all("materials"),
            comment,
        )
        .await;
    match result {
        Ok(_) => Redirect::to("/work/queue").into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::new(&c, fields);
            show(&state, c, &me, &id, errors, form).await
        }
        Err(e) => error_page(c, e, back),
    }
}
