//! `/api/v1/datasets/{code}/records`: departments fill the data sets they
//! own, one record at a time or by bulk import (JSON lines).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use serde::Deserialize;

use super::body::Body;
use crate::auth::SignedIn;
use crate::problem::ApiError;
use crate::state::AppState;

/// A record of a data set.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordBody {
    /// Field values by field key.
    #[schema(value_type = Object)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// Writes a subject's record; only the owning department's staff may.
#[utoipa::path(put, path = "/api/v1/datasets/{code}/records/{subject}", tag = "exchange", request_body = RecordBody,
    params(("code" = String, Path), ("subject" = String, Path, description = "resident ID or USCC")),
    responses((status = 200, body = serde_json::Value), (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn put(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path((code, subject)): Path<(String, String)>,
    body: Body<RecordBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let desk = state.service().department(&caller)?;
    let (subject, fields) = desk.put_record(&code, &subject, body.value.fields).await?;
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
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let desk = state.service().department(&caller)?;
    let imported = desk.import(&code, &body).await?;
    Ok(Json(
        serde_json::json!({"dataset": code, "imported": imported}),
    ))
}
