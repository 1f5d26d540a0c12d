//! Applying online: the plan's merged form as HTML inputs and a file input
//! per material the applicant brings, submitted through the applicant's
//! desk like the API's applications (one multipart form: the files stream
//! to staging as they come, and are attached to the case it creates).

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yici_catalog::Plan;
use yici_core::case::Target;
use yici_core::catalog::{MaterialSource, MatterCode, OneThingCode};
use yici_service::ServiceError;

use super::chrome::Chrome;
use super::form_fields::{FieldInput, form_value, idempotency, inputs, new_idem};
use super::input::{Errors, FormData};
use super::render::{error_page, not_found, render_status};
use super::session::{at_desk, check_csrf, need_signed};
use super::upload::{self, Sent, bad_form, read_multipart};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "apply.html")]
struct ApplyPage {
    c: Chrome,
    name: String,
    guide: String,
    action: String,
    applicant: String,
    csrf: String,
    idem: String,
    fields: Vec<FieldInput>,
    others: Vec<String>,
    materials: Materials,
    any_prefilled: bool,
    /// A refused submission keeps no file: the applicant chooses them again.
    refused: bool,
    /// What a file may be, for the hint beside the inputs.
    max_file_mb: u64,
}

/// A material of the applicant's own plan.
pub struct MaterialLine {
    /// Its key: the file input is `file.KEY`.
    pub key: String,
    pub name: String,
    /// Where the departments get it (fetched) or who produces it (internal).
    pub note: String,
    /// Brought because the exchange holds none for this applicant.
    pub not_held: bool,
    /// Why a file given for it was refused.
    pub error: Option<String>,
}

/// The applicant's own plan's materials, shown above the form.
#[derive(Default)]
pub struct Materials {
    pub bring: Vec<MaterialLine>,
    pub fetched: Vec<MaterialLine>,
    pub internal: Vec<MaterialLine>,
}

fn materials_of(c: &Chrome, state: &AppState, plan: &Plan, errors: &Errors) -> Materials {
    let lang = c.code();
    let dataset_name = |code: &str| {
        state
            .catalog()
            .datasets
            .values()
            .find(|d| d.code.as_str() == code)
            .map_or_else(|| code.to_owned(), |d| d.name.get(lang).to_owned())
    };
    let lines = |list: &[yici_catalog::plan::PlannedMaterial]| -> Vec<MaterialLine> {
        list.iter()
            .map(|m| MaterialLine {
                key: m.key.to_string(),
                error: errors
                    .get(&format!("materials.{}", m.key))
                    .map(str::to_owned),
                name: m.name.get(lang).to_owned(),
                note: match (&m.produced_by, &m.source) {
                    (Some(p), _) => format!(
                        "{}{}",
                        c.t.get("plan.produced_by"),
                        super::progress::matter_name(state, lang, p)
                    ),
                    (None, MaterialSource::Exchange { dataset, .. }) => {
                        let owner = state
                            .catalog()
                            .datasets
                            .values()
                            .find(|d| d.code == *dataset)
                            .map(|d| {
                                super::progress::department_name(state, lang, d.owner.as_str())
                            })
                            .unwrap_or_default();
                        format!("{} · {owner}", dataset_name(dataset.as_str()))
                    }
                    (None, _) => String::new(),
                },
                not_held: m.not_held,
            })
            .collect()
    };
    Materials {
        bring: lines(&plan.materials.bring),
        fetched: lines(&plan.materials.fetched),
        internal: lines(&plan.materials.internal),
    }
}

/// A pre-filled value as the input shows it.
fn input_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn target_of(kind: &str, code: &str) -> Option<Target> {
    match kind {
        "one-things" => OneThingCode::parse(code).ok().map(Target::OneThing),
        _ => MatterCode::parse(code).ok().map(Target::Matter),
    }
}

async fn show(
    state: AppState,
    c: Chrome,
    kind: &str,
    code: &str,
    values: FormData,
    errors: Errors,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let Some(target) = target_of(kind, code) else {
        return not_found(c);
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // What the exchange holds for this applicant: the plan adjusted to it
    // and the values it pre-fills (on the first showing only; after a
    // refused submission the applicant's own values stay).
    let personal = match desk.personal_form(&target).await {
        Ok(p) => p,
        Err(e) => return error_page(c, e, None),
    };
    let prefilled = personal.prefilled;
    let first = values.0.is_empty();
    let values = if first {
        FormData(
            prefilled
                .iter()
                .map(|(k, v)| (format!("form.{k}"), input_text(v)))
                .collect(),
        )
    } else {
        values
    };
    let plan = personal.plan;
    let materials = materials_of(&c, &state, &plan, &errors);
    let mut fields = inputs(&c, &plan, &values, &errors);
    for f in &mut fields {
        let key = f.name.strip_prefix("form.").unwrap_or_default();
        f.prefilled = prefilled.get(key).is_some_and(|v| input_text(v) == f.value);
    }
    let fields_prefilled = fields.iter().any(|f| f.prefilled);
    let file_inputs: Vec<String> = materials
        .bring
        .iter()
        .map(|m| format!("materials.{}", m.key))
        .collect();
    let shown: Vec<&str> = fields
        .iter()
        .map(|f| f.name.as_str())
        .chain(file_inputs.iter().map(String::as_str))
        .collect();
    let others = errors.others("", &shown);
    let idem = match values.get("idem") {
        Some(k) if !k.is_empty() => k.to_owned(),
        _ => new_idem(),
    };
    let page = ApplyPage {
        name: plan.name.get(c.code()).to_owned(),
        guide: format!("/{kind}/{code}"),
        action: format!("/{kind}/{code}/apply"),
        applicant: me.caller.user().display_name.clone(),
        csrf: me.csrf.clone(),
        idem,
        fields,
        others,
        materials,
        any_prefilled: fields_prefilled,
        refused: !errors.is_empty(),
        max_file_mb: state.service().limits().max_file_bytes / (1024 * 1024),
        c,
    };
    render_status(status, &page)
}

async fn submit(state: AppState, c: Chrome, kind: &str, code: &str, req: Request) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let Some(target) = target_of(kind, code) else {
        return not_found(c);
    };
    let Ok(plan) = state.service().plan_for(&target) else {
        return not_found(c);
    };
    let sent = if upload::is_multipart(&req) {
        let form = match Multipart::from_request(req, &state).await {
            Ok(f) => f,
            Err(e) => return bad_form(&c, &e.body_text()),
        };
        match read_multipart(state.service(), &c, &me, &desk, &target, form).await {
            Ok(sent) => sent,
            Err(r) => return *r,
        }
    } else {
        match upload::small_form(req, &state).await {
            Ok(values) => Sent {
                values,
                files: Vec::new(),
                refused: Vec::new(),
            },
            Err(r) => return r,
        }
    };
    let Sent {
        values,
        files,
        refused,
    } = sent;
    if let Err(r) = check_csrf(&c, &me, &values) {
        state.service().discard_prepared(files).await;
        return *r;
    }
    if !refused.is_empty() {
        state.service().discard_prepared(files).await;
        let errors = Errors::new(&c, refused);
        return show(state, c, kind, code, values, errors).await;
    }
    let form = form_value(&plan, &values);
    let key = idempotency(&me.caller, &values, &form);
    match desk.apply_online_with(target, None, form, key, files).await {
        // The case page opens with the consent step when the departments
        // would read shared data (see `case_page::consent_step`).
        Ok(submitted) => Redirect::to(&format!("/cases/{}", submitted.case.id)).into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::new(&c, fields);
            show(state, c, kind, code, values, errors).await
        }
        Err(e) => error_page(c, e, Some(format!("/{kind}/{code}/apply"))),
    }
}

/// GET /one-things/{code}/apply.
pub async fn one_thing_form(
    State(state): State<AppState>,
    c: Chrome,
    Path(code): Path<String>,
) -> Response {
    show(
        state,
        c,
        "one-things",
        &code,
        FormData::default(),
        Errors::default(),
    )
    .await
}

/// POST /one-things/{code}/apply.
pub async fn one_thing_submit(
    State(state): State<AppState>,
    c: Chrome,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    submit(state, c, "one-things", &code, req).await
}

/// GET /matters/{code}/apply.
pub async fn matter_form(
    State(state): State<AppState>,
    c: Chrome,
    Path(code): Path<String>,
) -> Response {
    show(
        state,
        c,
        "matters",
        &code,
        FormData::default(),
        Errors::default(),
    )
    .await
}

/// POST /matters/{code}/apply.
pub async fn matter_submit(
    State(state): State<AppState>,
    c: Chrome,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    submit(state, c, "matters", &code, req).await
}
