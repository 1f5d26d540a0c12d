//! Applying online: the plan's merged form as HTML inputs, submitted
//! through the applicant's desk like the API's applications. The inputs
//! are also the second step of the window's new application.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yici_catalog::Plan;
use yici_core::case::Target;
use yici_core::catalog::{FieldType, MaterialSource, MatterCode, OneThingCode};
use yici_service::cases::{IdempotencyKey, KeyFrom, idempotency_key};
use yici_service::{Caller, ServiceError};

use super::chrome::Chrome;
use super::input::{Errors, FormData};
use super::render::{error_page, not_found, render_status};
use super::session::{at_desk, check_csrf, need_signed};
use crate::state::AppState;

/// One input of the merged form.
pub struct FieldInput {
    /// `form.` and the field key, as the errors name it.
    pub name: String,
    /// The element id.
    pub id: String,
    pub label: String,
    /// `text`, `number`, `date`, `select` or `bool`.
    pub kind: &'static str,
    /// The `type` of a text-like input.
    pub input_type: &'static str,
    /// The `inputmode` hint for phone keyboards.
    pub inputmode: &'static str,
    pub required: bool,
    pub value: String,
    pub options: Vec<String>,
    pub hint: String,
    pub min: String,
    pub max: String,
    pub max_length: String,
    pub error: Option<String>,
    /// The value came from the data exchange (the applicant may correct it).
    pub prefilled: bool,
}

/// The inputs of `plan`'s form, with the values and errors of a refused
/// submission.
pub fn inputs(c: &Chrome, plan: &Plan, values: &FormData, errors: &Errors) -> Vec<FieldInput> {
    plan.form
        .fields
        .iter()
        .map(|p| {
            let f = &p.field;
            let name = format!("form.{}", f.key);
            let mut input = FieldInput {
                id: format!("f-{}", f.key.as_str().replace('.', "-")),
                label: f.label.get(c.code()).to_owned(),
                kind: "text",
                input_type: "text",
                inputmode: "text",
                required: f.required,
                value: values.text(&name),
                options: Vec::new(),
                hint: String::new(),
                min: String::new(),
                max: String::new(),
                max_length: String::new(),
                error: errors.get(&name).map(str::to_owned),
                prefilled: false,
                name,
            };
            match &f.field_type {
                FieldType::Text { max_length, .. } => {
                    input.max_length = max_length.map(|m| m.to_string()).unwrap_or_default();
                }
                FieldType::Number { min, max } => {
                    input.kind = "number";
                    input.input_type = "number";
                    input.inputmode = "numeric";
                    input.min = min.map(|m| m.to_string()).unwrap_or_default();
                    input.max = max.map(|m| m.to_string()).unwrap_or_default();
                }
                FieldType::Date => {
                    input.input_type = "date";
                    input.hint = "YYYY-MM-DD".into();
                }
                FieldType::ResidentId => input.hint = c.t.get("hint.resident_id").to_owned(),
                FieldType::Uscc => input.hint = c.t.get("hint.uscc").to_owned(),
                FieldType::Phone => {
                    input.input_type = "tel";
                    input.inputmode = "tel";
                }
                FieldType::Region => {
                    input.inputmode = "numeric";
                    input.hint = c.t.get("hint.region").to_owned();
                }
                FieldType::Bool => input.kind = "bool",
                FieldType::Choice { options } => {
                    input.kind = "select";
                    input.options = options.clone();
                }
            }
            input
        })
        .collect()
}

/// The JSON form of the submitted inputs: numbers and yes/no typed, empty
/// inputs left out (the validation says which are required), anything
/// unreadable passed on as text for the validation to name.
pub fn form_value(plan: &Plan, values: &FormData) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for p in &plan.form.fields {
        let key = p.field.key.to_string();
        let raw = values.text(&format!("form.{key}"));
        if raw.is_empty() {
            continue;
        }
        let v = match &p.field.field_type {
            FieldType::Number { .. } => raw
                .parse::<i64>()
                .map(serde_json::Value::from)
                .or_else(|_| raw.parse::<f64>().map(serde_json::Value::from))
                .unwrap_or(serde_json::Value::String(raw)),
            FieldType::Bool => match raw.as_str() {
                "true" => serde_json::Value::Bool(true),
                "false" => serde_json::Value::Bool(false),
                _ => serde_json::Value::String(raw),
            },
            FieldType::ResidentId | FieldType::Uscc => {
                serde_json::Value::String(raw.to_uppercase())
            }
            _ => serde_json::Value::String(raw),
        };
        map.insert(key, v);
    }
    serde_json::Value::Object(map)
}

/// The retry-safe key of a page form: the random `idem` it was rendered
/// with, so that a double click submits once.
pub fn idempotency(
    caller: &Caller,
    values: &FormData,
    form: &serde_json::Value,
) -> Option<IdempotencyKey> {
    // A form without a usable key is submitted without one.
    idempotency_key(
        caller,
        KeyFrom::Page,
        &values.text("idem"),
        form.to_string().as_bytes(),
    )
    .ok()
}

/// A fresh key for a form (empty if randomness fails: then no key).
pub fn new_idem() -> String {
    yici_service::session::new_token().unwrap_or_default()
}

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
}

/// A material of the applicant's own plan.
pub struct MaterialLine {
    pub name: String,
    /// Where the departments get it (fetched) or who produces it (internal).
    pub note: String,
    /// Brought because the exchange holds none for this applicant.
    pub not_held: bool,
}

/// The applicant's own plan's materials, shown above the form.
#[derive(Default)]
pub struct Materials {
    pub bring: Vec<MaterialLine>,
    pub fetched: Vec<MaterialLine>,
    pub internal: Vec<MaterialLine>,
}

fn materials_of(c: &Chrome, state: &AppState, plan: &Plan) -> Materials {
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
    let materials = materials_of(&c, &state, &plan);
    let mut fields = inputs(&c, &plan, &values, &errors);
    for f in &mut fields {
        let key = f.name.strip_prefix("form.").unwrap_or_default();
        f.prefilled = prefilled.get(key).is_some_and(|v| input_text(v) == f.value);
    }
    let fields_prefilled = fields.iter().any(|f| f.prefilled);
    let shown: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
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
        c,
    };
    render_status(status, &page)
}

async fn submit(state: AppState, c: Chrome, kind: &str, code: &str, values: FormData) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    if let Err(r) = check_csrf(&c, &me, &values) {
        return *r;
    }
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
    let form = form_value(&plan, &values);
    let key = idempotency(&me.caller, &values, &form);
    match desk.apply_online(target, None, form, key).await {
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
    values: FormData,
) -> Response {
    submit(state, c, "one-things", &code, values).await
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
    values: FormData,
) -> Response {
    submit(state, c, "matters", &code, values).await
}
