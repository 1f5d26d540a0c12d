//! One case's page: its progress for whoever may see it, and the actions
//! the signed-in user's role may take in its state — the applicant's
//! withdraw, supplement and rating, the clerk's accept, accept with
//! deficiency, reject, issue and deliver. Every action goes through the
//! case desk's `act` with the version the page was rendered at.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use yici_core::case::{ActionKind, CaseId, Role, offered_actions};
use yici_core::catalog::{DeliveryMode, FieldKey, MatterCode};
use yici_service::gate::CaseDesk;

use super::chrome::Chrome;
use super::documents::{DocumentLine, add_offers, document_lines, may_give};
use super::input::{Errors, FormData};
use super::progress::{self, EventLine, StageLines};
use super::render::{error_page, render_status};
use super::session::{at_desk, need_signed};
use super::signed::Signed;
use crate::state::AppState;

/// A material the clerk may let follow later.
pub struct MaterialChoice {
    pub key: String,
    pub name: String,
    pub may_defer: bool,
    pub checked: bool,
}

/// A window to pick up at.
pub struct WindowChoice {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

/// What a supplement request or a deficiency asks for.
pub struct Notice {
    pub since: String,
    pub due: String,
    pub by: String,
    pub reason: String,
    pub materials: Vec<String>,
}

/// One data set of the consent, in words.
pub struct ConsentLine {
    pub dataset: String,
    pub owner: String,
    pub fields: Vec<String>,
    pub departments: Vec<String>,
    pub matters: Vec<String>,
}

/// The consent step of the case: what the departments would read.
pub struct ConsentStep {
    pub lines: Vec<ConsentLine>,
    /// `none`, `granted`, `refused`, `withdrawn` or `expired`.
    pub status: String,
    pub status_label: String,
    /// Until when a granted consent lasts.
    pub until: String,
    /// Whether the signed-in user (the applicant) may decide now.
    pub may_decide: bool,
}

/// The consent step of case `id` as `me` may see it; None when the case
/// needs no shared data.
async fn consent_step(
    state: &AppState,
    c: &Chrome,
    desk: &CaseDesk<'_>,
    id: &CaseId,
) -> Option<ConsentStep> {
    let view = match desk.consent(id).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(case = %id, error = %e, "consent not shown");
            return None;
        }
    };
    if view.scope.is_empty() {
        return None;
    }
    let lang = c.code();
    let lines = view
        .scope
        .iter()
        .map(|item| {
            let ds = state
                .catalog()
                .datasets
                .values()
                .find(|d| d.code.as_str() == item.dataset);
            ConsentLine {
                dataset: ds.map_or_else(
                    || item.dataset_name.clone(),
                    |d| d.name.get(lang).to_owned(),
                ),
                owner: progress::department_name(state, lang, &item.owner),
                fields: item
                    .fields
                    .iter()
                    .map(|f| {
                        ds.and_then(|d| d.fields.iter().find(|x| &x.key == f))
                            .map_or_else(|| f.clone(), |x| x.name.get(lang).to_owned())
                    })
                    .collect(),
                departments: item
                    .departments
                    .iter()
                    .map(|d| progress::department_name(state, lang, d))
                    .collect(),
                matters: item
                    .matters
                    .iter()
                    .map(|m| {
                        MatterCode::parse(m)
                            .map_or_else(|_| m.clone(), |m| progress::matter_name(state, lang, &m))
                    })
                    .collect(),
            }
        })
        .collect();
    Some(ConsentStep {
        lines,
        status_label: c
            .t
            .get(&format!("consent.status.{}", view.status))
            .to_owned(),
        until: view
            .expires_ms
            .map(super::certificates::date_ms)
            .unwrap_or_default(),
        may_decide: desk.caller().role() == Role::Applicant && view.status != "granted",
        status: view.status,
    })
}

/// A link to a reviewer's own task in this case.
pub struct TaskLink {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    c: Chrome,
    id: String,
    version: u64,
    csrf: String,
    target: String,
    target_href: String,
    channel: String,
    applicant: String,
    applicant_id: String,
    state: String,
    state_code: &'static str,
    submitted: String,
    accepted: String,
    deadline: String,
    planned_trips: u32,
    trips: u32,
    approved: usize,
    stages: Vec<StageLines>,
    deficiency: Option<Notice>,
    supplement: Option<Notice>,
    decision: Option<String>,
    delivery: Option<String>,
    rating: Option<String>,
    closing_reason: Option<String>,
    events: Vec<EventLine>,
    allowed: Vec<&'static str>,
    materials: Vec<MaterialChoice>,
    documents: Vec<DocumentLine>,
    /// Names of what an online application still waits for.
    awaiting: Vec<String>,
    may_give: bool,
    /// A clerk may record that an original was seen.
    clerk: bool,
    windows: Vec<WindowChoice>,
    my_tasks: Vec<TaskLink>,
    consent: Option<ConsentStep>,
    fees: Option<super::payments::FeesBlock>,
    parcels: Option<super::parcels::ParcelsBlock>,
    errors: Errors,
    echo: FormData,
}

impl CasePage {
    /// Whether the signed-in user may take `action` (as `ActionKind` names it) now.
    fn can(&self, action: &str) -> bool {
        self.allowed.contains(&action)
    }

    fn echo(&self, field: &str) -> String {
        self.echo.text(field)
    }

    /// Errors of an action form on fields it does not show, said at its top.
    fn others(&self, form: &str) -> Vec<String> {
        let shown: &[&str] = match form {
            "accept-with-deficiency" => &["materials", "due_in"],
            "deliver" => &["mode", "tracking", "window"],
            "reject" | "withdraw" => &["reason"],
            "rate" => &["score"],
            "consent" => &["decision"],
            "delivery" => &["address"],
            "originals" => &["material", "address"],
            _ => &[],
        };
        self.errors.others(form, shown)
    }
}

/// Renders the case page for `me`, with the errors and values of a
/// refused action form.
pub async fn render_case(
    state: &AppState,
    c: Chrome,
    me: &Signed,
    id: &CaseId,
    errors: Errors,
    echo: FormData,
) -> Response {
    let desk = match at_desk(&c, state.service().cases(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let (stored, events) = match desk.history(id).await {
        Ok(found) => (found.stored, found.events),
        Err(e) => return error_page(c, e, None),
    };
    let case = stored.case.clone();
    let lang = c.code();
    let plan = state.service().plan_for(&case.target).ok();
    let given = match desk.materials(id).await {
        Ok(m) => m,
        Err(e) => return error_page(c, e, None),
    };
    let fees = match desk.fees(&id.to_string()).await {
        Ok(f) => super::payments::fees_block(&c, f),
        Err(e) => return error_page(c, e, None),
    };
    let parcels = match super::parcels::parcels_block(&c, state.service(), &me.caller, &case).await
    {
        Ok(p) => p,
        Err(e) => return error_page(c, e, None),
    };
    let mut documents =
        document_lines(&c, Some(&given.plan), &given.files, &given.missing, &errors);
    let role = me.caller.role();
    if role == Role::Applicant && may_give(&case, true) {
        add_offers(state.service(), &me.caller, id, &mut documents).await;
    }
    let names = |keys: &[FieldKey]| -> Vec<String> {
        keys.iter()
            .map(|k| progress::material_name(plan.as_ref(), lang, k.as_str()))
            .collect()
    };
    let deficiency = case.deficiency.as_ref().map(|d| Notice {
        since: progress::day(case.accepted_on),
        due: d.due.to_string(),
        by: String::new(),
        reason: String::new(),
        materials: names(&d.materials),
    });
    let supplement = case.supplement.as_ref().map(|s| Notice {
        since: s.requested_on.to_string(),
        due: String::new(),
        by: case
            .task(s.task)
            .map(|t| progress::department_name(state, lang, t.department.as_str()))
            .unwrap_or_default(),
        reason: s.reason.clone(),
        materials: names(&s.materials),
    });
    let decision = case.decision.as_ref().map(|d| {
        c.t.get("case.decision_counts")
            .replace("{approved}", &d.approved.len().to_string())
            .replace("{denied}", &d.denied.len().to_string())
            .replace("{blocked}", &d.blocked.len().to_string())
            .replace("{on}", &d.decided_on.to_string())
    });
    let delivery = case.delivery.as_ref().map(|d| {
        let mode = match d.mode {
            DeliveryMode::Window => c.t.get("delivery.window"),
            DeliveryMode::Express => c.t.get("delivery.express"),
            DeliveryMode::Electronic => c.t.get("delivery.electronic"),
        };
        let place = match (&d.window, &d.tracking) {
            (Some(w), _) => state
                .catalog()
                .windows
                .get(w)
                .map_or_else(|| w.to_string(), |x| x.name.get(lang).to_owned()),
            (None, Some(t)) => format!("{} {}", c.t.get("case.tracking"), t.as_str()),
            (None, None) => String::new(),
        };
        [mode.to_owned(), place, d.delivered_on.to_string()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    });
    let rating = case.rating.as_ref().map(|r| {
        let stars = "★".repeat(usize::from(r.score()));
        match r.comment() {
            Some(comment) => format!("{stars} ({}/5) {comment}", r.score()),
            None => format!("{stars} ({}/5)", r.score()),
        }
    });
    let chosen = echo.all("materials");
    let materials = plan
        .as_ref()
        .map(|p| {
            p.materials
                .bring
                .iter()
                .map(|m| MaterialChoice {
                    key: m.key.to_string(),
                    name: m.name.get(lang).to_owned(),
                    may_defer: m.deficiency_allowed,
                    checked: chosen.iter().any(|k| k == m.key.as_str()),
                })
                .collect()
        })
        .unwrap_or_default();
    let own_window = me.caller.user().window.clone().unwrap_or_default();
    let windows = state
        .catalog()
        .windows
        .values()
        .map(|w| WindowChoice {
            code: w.code.to_string(),
            name: w.name.get(lang).to_owned(),
            selected: w.code.as_str() == own_window,
        })
        .collect();
    let my_tasks = if role == Role::Reviewer {
        case.tasks
            .iter()
            .filter(|t| desk.may_decide(&stored, t.id))
            .map(|t| TaskLink {
                href: format!("/work/tasks/{}", t.id),
                label: progress::matter_name(state, lang, &t.matter),
            })
            .collect()
    } else {
        Vec::new()
    };
    let consent = consent_step(state, &c, &desk, id).await;
    let may_give = may_give(&case, matches!(role, Role::Applicant | Role::Clerk));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CasePage {
        id: case.id.to_string(),
        version: case.version,
        csrf: me.csrf.clone(),
        target: progress::target_name(state, lang, &case.target),
        target_href: progress::target_href(&case.target),
        channel: progress::channel_name(&c, state, &case.channel),
        applicant: case.subject.name().to_owned(),
        applicant_id: desk.applicant_id(&case),
        state: progress::state_words(&c, &case),
        state_code: case.state.as_str(),
        submitted: case.submitted_on.to_string(),
        accepted: progress::day(case.accepted_on),
        deadline: progress::day(case.deadline),
        planned_trips: case.planned_trips,
        trips: case.trips,
        approved: case
            .tasks
            .iter()
            .filter(|t| t.state == yici_core::case::TaskState::Approved)
            .count(),
        stages: progress::stages(&c, state, &case),
        deficiency,
        supplement,
        decision,
        delivery,
        rating,
        closing_reason: case.closing_reason.clone(),
        events: progress::history(&c, state, &events),
        allowed: offered_actions(&case, role)
            .into_iter()
            .map(ActionKind::as_str)
            .collect(),
        materials,
        awaiting: documents
            .iter()
            .filter(|d| d.missing)
            .map(|d| d.name.clone())
            .collect(),
        documents,
        may_give,
        clerk: role == Role::Clerk,
        windows,
        my_tasks,
        consent,
        fees,
        parcels,
        errors,
        echo,
        c,
    };
    render_status(status, &page)
}

/// GET /cases/{id}.
pub async fn page(State(state): State<AppState>, c: Chrome, Path(id): Path<String>) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let Ok(id) = CaseId::parse(&id) else {
        return super::render::not_found(c);
    };
    render_case(&state, c, &me, &id, Errors::default(), FormData::default()).await
}
