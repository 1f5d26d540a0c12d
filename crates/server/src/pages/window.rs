//! The clerk's window workbench (综合窗口): a new application taken at the
//! window in two steps (what and who, then the merged form), and the
//! city's cases waiting for the window — to accept, to issue, to hand over.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::case::{Applicant, Target};
use yici_core::catalog::WindowCode;
use yici_service::ServiceError;
use yici_service::cases::{ApplicantInput, CaseFilter, applicant};
use yici_service::gate::WindowDesk;

use super::chrome::Chrome;
use super::form_fields::{FieldInput, form_value, idempotency, inputs, new_idem};
use super::input::{Errors, FormData};
use super::progress::{CaseRow, case_row};
use super::render::{error_page, render_status};
use super::session::{at_desk, check_csrf, need_signed};
use super::signed::Signed;
use crate::params::Params;
use crate::state::AppState;

/// What and who: the first step's values.
#[derive(Default)]
pub struct Step1 {
    pub target: String,
    pub kind: String,
    pub id: String,
    pub name: String,
    pub region: String,
}

impl Step1 {
    fn read(get: impl Fn(&str) -> String) -> Self {
        Step1 {
            target: get("target"),
            kind: get("kind"),
            id: get("id").to_uppercase(),
            name: get("name"),
            region: get("region"),
        }
    }
}

/// A choice of what to apply for.
pub struct TargetChoice {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

/// A section of the waiting list, with the one-click action of its rows.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub rows: Vec<CaseRow>,
    /// `accept`, `issue` or `deliver` (at this window); empty for none.
    pub quick: &'static str,
    pub quick_label: String,
}

#[derive(Template)]
#[template(path = "window.html")]
struct Workbench {
    c: Chrome,
    csrf: String,
    own_window: String,
    window_name: String,
    step: Step1,
    one_things: Vec<TargetChoice>,
    matters: Vec<TargetChoice>,
    target_error: Option<String>,
    id_error: Option<String>,
    name_error: Option<String>,
    region_error: Option<String>,
    sections: Vec<Section>,
}

#[derive(Template)]
#[template(path = "window_form.html")]
struct FieldsStep {
    c: Chrome,
    csrf: String,
    idem: String,
    step: Step1,
    target_name: String,
    kind_label: String,
    fields: Vec<FieldInput>,
    others: Vec<String>,
}

/// Reads the target: a one-thing code, else a matter code.
fn target_of(state: &AppState, code: &str) -> Result<Target, ServiceError> {
    state.service().target_of(code).ok_or_else(|| {
        ServiceError::invalid("target", "required", "choose a one-thing or a matter")
    })
}

/// Reads the applicant of step 1, naming every broken rule like the API,
/// and keeps a window to its own city (全城通办 stops at the city's edge).
fn applicant_of(desk: &WindowDesk<'_>, s: &Step1) -> Result<Applicant, ServiceError> {
    let input = if s.kind == "enterprise" {
        ApplicantInput::Enterprise {
            uscc: s.id.clone(),
            name: s.name.clone(),
            region: s.region.clone(),
        }
    } else {
        ApplicantInput::Person {
            resident_id: s.id.clone(),
            name: s.name.clone(),
            region: s.region.clone(),
        }
    };
    let parsed = applicant(input);
    // The city is checked whenever the region is a region at all, so that
    // the clerk sees it with the other fields' problems.
    let outside = yici_core::identifier::RegionCode::parse(s.region.trim())
        .ok()
        .and_then(|r| desk.check_region(&r.to_string()).err());
    match (parsed, outside) {
        (Ok(a), None) => Ok(a),
        (parsed, outside) => Err(ServiceError::Invalid(problems([parsed.err(), outside]))),
    }
}

/// The problems of both steps' parts, together.
fn problems(parts: [Option<ServiceError>; 2]) -> Vec<yici_service::FieldProblem> {
    parts
        .into_iter()
        .flatten()
        .flat_map(|e| match e {
            ServiceError::Invalid(f) => f,
            _ => Vec::new(),
        })
        .collect()
}

const WAITING: &[(&str, &[&str], &str)] = &[
    ("to-accept", &["submitted", "pre_checked"], "accept"),
    (
        "to-supplement",
        &["accepted_with_deficiency", "supplement_requested"],
        "",
    ),
    ("to-issue", &["decided"], "issue"),
    ("to-deliver", &["result_issued"], "deliver"),
];

async fn sections(state: &AppState, c: &Chrome, me: &Signed) -> Result<Vec<Section>, ServiceError> {
    let desk = state.service().cases(&me.caller)?;
    let mut out = Vec::new();
    for (id, states, quick) in WAITING {
        let mut rows = Vec::new();
        for s in *states {
            let filter = CaseFilter {
                state: Some((*s).to_owned()),
                limit: 50,
                ..Default::default()
            };
            let (cases, _) = desk.list(filter).await?;
            rows.extend(cases.iter().map(|s| case_row(c, state, &s.case)));
        }
        out.push(Section {
            id,
            title: c.t.get(&format!("window.{id}")).to_owned(),
            rows,
            quick,
            quick_label: match *quick {
                "accept" => c.t.get("action.accept"),
                "issue" => c.t.get("action.issue"),
                "deliver" => c.t.get("action.pickup_here"),
                _ => "",
            }
            .to_owned(),
        });
    }
    Ok(out)
}

async fn workbench_page(
    state: &AppState,
    c: Chrome,
    me: Signed,
    step: Step1,
    errors: Errors,
) -> Response {
    let sections = match sections(state, &c, &me).await {
        Ok(s) => s,
        Err(e) => return error_page(c, e, None),
    };
    let lang = c.code();
    let catalog = state.catalog();
    let one_things = catalog
        .one_things
        .values()
        .map(|o| TargetChoice {
            code: o.code.to_string(),
            name: o.name.get(lang).to_owned(),
            selected: o.code.as_str() == step.target,
        })
        .collect();
    let matters = catalog
        .matters
        .values()
        .map(|m| TargetChoice {
            code: m.code.to_string(),
            name: m.name.get(lang).to_owned(),
            selected: m.code.as_str() == step.target,
        })
        .collect();
    let own_window = me.caller.user().window.clone().unwrap_or_default();
    let window_name = WindowCode::parse(&own_window)
        .ok()
        .and_then(|w| catalog.windows.get(&w))
        .map_or_else(|| own_window.clone(), |w| w.name.get(lang).to_owned());
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = Workbench {
        csrf: me.csrf.clone(),
        own_window,
        window_name,
        target_error: errors.get("target").map(str::to_owned),
        id_error: errors
            .get("applicant.resident_id")
            .or(errors.get("applicant.uscc"))
            .map(str::to_owned),
        name_error: errors.get("applicant.name").map(str::to_owned),
        region_error: errors.get("applicant.region").map(str::to_owned),
        step,
        one_things,
        matters,
        sections,
        c,
    };
    render_status(status, &page)
}

/// GET /work/window: the workbench.
pub async fn workbench(State(state): State<AppState>, c: Chrome) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    if let Err(r) = at_desk(&c, state.service().window(&me.caller)) {
        return *r;
    }
    let step = Step1 {
        kind: "person".into(),
        ..Step1::default()
    };
    workbench_page(&state, c, me, step, Errors::default()).await
}

fn fields_page(
    state: &AppState,
    c: Chrome,
    me: &Signed,
    step: Step1,
    target: &Target,
    values: &FormData,
    errors: &Errors,
) -> Response {
    let plan = match state.service().plan_for(target) {
        Ok(p) => p,
        Err(e) => return error_page(c, e, Some("/work/window".into())),
    };
    let fields = inputs(&c, &plan, values, errors);
    let shown: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let others = errors.others("", &shown);
    let idem = match values.get("idem") {
        Some(k) if !k.is_empty() => k.to_owned(),
        _ => new_idem(),
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FieldsStep {
        csrf: me.csrf.clone(),
        idem,
        target_name: plan.name.get(c.code()).to_owned(),
        kind_label: c
            .t
            .get(if step.kind == "enterprise" {
                "window.enterprise"
            } else {
                "window.person"
            })
            .to_owned(),
        step,
        fields,
        others,
        c,
    };
    render_status(status, &page)
}

/// GET /work/window/new: step 1 checked, step 2 shown (or step 1 again
/// with the errors beside its fields).
pub async fn fields_form(
    State(state): State<AppState>,
    c: Chrome,
    Params(params): Params,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().window(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let step = Step1::read(|k| {
        params
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    });
    let target = target_of(&state, &step.target);
    let applicant = applicant_of(&desk, &step);
    match (target, applicant) {
        (Ok(target), Ok(_)) => fields_page(
            &state,
            c,
            &me,
            step,
            &target,
            &FormData::default(),
            &Errors::default(),
        ),
        (t, a) => {
            let errors = Errors::new(&c, problems([t.err(), a.err()]));
            workbench_page(&state, c, me.clone(), step, errors).await
        }
    }
}

/// POST /work/window/new: submits the application at the clerk's window.
pub async fn submit(State(state): State<AppState>, c: Chrome, values: FormData) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    if let Err(r) = check_csrf(&c, &me, &values) {
        return *r;
    }
    let desk = match at_desk(&c, state.service().window(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let step = Step1::read(|k| values.text(k));
    let (target, applicant) = match (target_of(&state, &step.target), applicant_of(&desk, &step)) {
        (Ok(t), Ok(a)) => (t, a),
        (t, a) => {
            let errors = Errors::new(&c, problems([t.err(), a.err()]));
            return workbench_page(&state, c, me.clone(), step, errors).await;
        }
    };
    let plan = match state.service().plan_for(&target) {
        Ok(p) => p,
        Err(e) => return error_page(c, e, Some("/work/window".into())),
    };
    let form = form_value(&plan, &values);
    let key = idempotency(&me.caller, &values, &form);
    match desk
        .apply_at_window(target.clone(), applicant, form, key)
        .await
    {
        Ok(submitted) => Redirect::to(&format!("/cases/{}", submitted.case.id)).into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::new(&c, fields);
            fields_page(&state, c, &me, step, &target, &values, &errors)
        }
        Err(e) => error_page(c, e, Some("/work/window".into())),
    }
}
