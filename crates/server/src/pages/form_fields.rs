//! The merged form of a plan as HTML inputs, and what a submitted page
//! form becomes: the JSON form the use cases check, and the retry-safe key
//! of the submission. The applicant's page (`apply.rs`) and the window's
//! new application (`window.rs`) both use them.

use yici_catalog::Plan;
use yici_core::catalog::FieldType;
use yici_service::Caller;
use yici_service::cases::{IdempotencyKey, KeyFrom, idempotency_key};

use super::chrome::Chrome;
use super::input::{Errors, FormData};

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
