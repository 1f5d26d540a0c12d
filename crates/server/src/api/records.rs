//! `/api/v1/datasets/{code}/records`: departments fill the data sets they
//! own, one record at a time or by bulk import (JSON lines).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use serde::Deserialize;
use yici_core::case::Role;
use yici_core::catalog::Dataset;
use yici_core::identifier::Identifier;

use super::body::Body;
use crate::auth::Caller;
use crate::problem::{ApiError, FieldProblem};
use crate::state::AppState;

/// A record of a data set.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordBody {
    /// Field values by field key.
    #[schema(value_type = Object)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// One line of a bulk import.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportLine {
    subject: String,
    fields: serde_json::Map<String, serde_json::Value>,
}

/// Most records one import may carry.
pub const MAX_IMPORT: usize = 10_000;

/// The data set, if the caller's department owns it (administrators: any).
fn writable<'a>(state: &'a AppState, caller: &Caller, code: &str) -> Result<&'a Dataset, ApiError> {
    caller.require(&[Role::Reviewer, Role::Admin])?;
    let ds = state
        .catalog()
        .datasets
        .values()
        .find(|d| d.code.as_str() == code)
        .ok_or_else(|| ApiError::NotFound {
            what: "data set",
            id: code.to_owned(),
        })?;
    if caller.role == Role::Reviewer && caller.user.department.as_deref() != Some(ds.owner.as_str())
    {
        return Err(ApiError::Forbidden(format!(
            "data set {code} belongs to department {}",
            ds.owner
        )));
    }
    Ok(ds)
}

/// Checks one record; problems are named under `prefix`.
fn check(
    ds: &Dataset,
    subject: &str,
    fields: &serde_json::Map<String, serde_json::Value>,
    prefix: &str,
) -> Result<String, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let problem = |field: String, rule: &str, message: String| FieldProblem {
        field,
        rule: rule.to_owned(),
        message,
    };
    let normalized = match Identifier::classify(subject).1 {
        Ok(id) => id.as_str().to_owned(),
        Err(e) => {
            problems.push(problem(format!("{prefix}subject"), e.rule(), e.to_string()));
            String::new()
        }
    };
    for (key, value) in fields {
        if !ds.fields.iter().any(|f| &f.key == key) {
            problems.push(problem(
                format!("{prefix}fields.{key}"),
                "unknown_field",
                format!("{} has no field {key}", ds.code),
            ));
        } else if !(value.is_string() || value.is_number() || value.is_boolean() || value.is_null())
        {
            problems.push(problem(
                format!("{prefix}fields.{key}"),
                "type",
                "a value is text, a number, true/false or null".into(),
            ));
        }
    }
    if problems.is_empty() {
        Ok(normalized)
    } else {
        Err(problems)
    }
}

/// Writes a subject's record; only the owning department's staff may.
#[utoipa::path(put, path = "/api/v1/datasets/{code}/records/{subject}", tag = "exchange", request_body = RecordBody,
    params(("code" = String, Path), ("subject" = String, Path, description = "resident ID or USCC")),
    responses((status = 200, body = serde_json::Value), (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    Path((code, subject)): Path<(String, String)>,
    body: Body<RecordBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let ds = writable(&state, &caller, &code)?;
    let subject = check(ds, &subject, &body.value.fields, "").map_err(ApiError::Fields)?;
    let fields = serde_json::Value::Object(body.value.fields);
    state
        .store()
        .put_record(
            &code,
            &subject,
            &fields,
            &caller.user.id,
            state.clock().now_ms(),
        )
        .await?;
    Ok(Json(
        serde_json::json!({"dataset": code, "subject": subject, "fields": fields}),
    ))
}

/// Imports records in bulk: JSON lines, one `{"subject", "fields"}` object a
/// line. Every line is checked first; one bad line writes nothing, and every
/// problem is named by its line (`line 3: fields.colour`).
#[utoipa::path(post, path = "/api/v1/datasets/{code}/import", tag = "exchange",
    request_body(content = String, content_type = "application/x-ndjson"),
    params(("code" = String, Path)),
    responses((status = 200, body = serde_json::Value), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let ds = writable(&state, &caller, &code)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid("body", "utf8", "the import must be UTF-8 text"))?;
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let prefix = format!("line {}: ", i + 1);
        match serde_json::from_str::<ImportLine>(line) {
            Ok(r) => match check(ds, &r.subject, &r.fields, &prefix) {
                Ok(subject) => records.push((subject, serde_json::Value::Object(r.fields))),
                Err(p) => problems.extend(p),
            },
            Err(e) => problems.push(FieldProblem {
                field: format!("{prefix}body"),
                rule: "json".into(),
                message: e.to_string(),
            }),
        }
    }
    if records.len() > MAX_IMPORT {
        return Err(ApiError::invalid(
            "body",
            "max_records",
            format!("at most {MAX_IMPORT} records an import"),
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::Fields(problems));
    }
    if records.is_empty() {
        return Err(ApiError::invalid(
            "body",
            "required",
            "no records: send one JSON object a line",
        ));
    }
    state
        .store()
        .put_records(&code, &records, &caller.user.id, state.clock().now_ms())
        .await?;
    Ok(Json(
        serde_json::json!({"dataset": code, "imported": records.len()}),
    ))
}
