//! `/api/v1/cases`: submitting, reading, listing and acting on cases.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use yici_core::case::{Case, CaseId};
use yici_service::cases::{
    Acted, ApplicantInput, Application, CaseFilter, KeyFrom, idempotency_key, target,
};
use yici_service::{Caller, ServiceError};

use super::body::Body;
use crate::auth::SignedIn;
use crate::params::{Page, Params};
use crate::problem::ApiError;
use crate::state::AppState;

/// A new application.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCase {
    /// A one-thing code (or give `matter`).
    pub one_thing: Option<String>,
    /// A single matter's code.
    pub matter: Option<String>,
    /// Who applies; an applicant may omit it (their own account is used).
    pub applicant: Option<ApplicantInput>,
    /// The merged form's values, by field key.
    #[serde(default = "empty_object")]
    #[schema(value_type = Object)]
    pub form: serde_json::Value,
    /// `online` (applicants) or `window` (clerks).
    pub channel: String,
    /// The clerk's window (defaults to the clerk's own).
    pub window: Option<String>,
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(serde_json::Map::new())
}

/// A case as the API shows it: the case, its status and its history.
#[derive(Debug, Serialize)]
pub struct CaseView {
    /// The case (id, version, tasks, trips, deadlines, ...).
    #[serde(flatten)]
    pub case: Case,
    /// Same as `state`.
    pub status: String,
    /// Events, oldest first (on `GET /cases/{id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<serde_json::Value>>,
}

fn view(case: Case, events: Option<Vec<serde_json::Value>>) -> CaseView {
    CaseView {
        status: case.state.as_str().to_owned(),
        case,
        events,
    }
}

/// The response carrying a case, with its version as ETag.
pub fn case_response(
    status: StatusCode,
    case: Case,
    events: Option<Vec<serde_json::Value>>,
) -> Response {
    let version = case.version;
    let location = format!("/api/v1/cases/{}", case.id);
    let mut response = (status, Json(view(case, events))).into_response();
    set_etag(&mut response, version);
    if status == StatusCode::CREATED
        && let Ok(v) = HeaderValue::from_str(&location)
    {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// The answer to an action: 200 with the case as [`case_response`] shows
/// it, built from the JSON the store wrote when there is one — the view is
/// that JSON with `status` added, so the case is not serialized twice.
pub fn acted_response(acted: Acted) -> Response {
    let Some(json) = acted.stored_json else {
        return case_response(StatusCode::OK, acted.case, None);
    };
    let mut response = (
        [(header::CONTENT_TYPE, "application/json")],
        view_json(&acted.case, json),
    )
        .into_response();
    set_etag(&mut response, acted.case.version);
    response
}

/// A case's version as the response's ETag (what If-Match then names).
fn set_etag(response: &mut Response, version: u64) {
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, v);
    }
}

/// `json`, the stored JSON object of `case`, with `status` added: what
/// [`CaseView`] serializes to without events.
fn view_json(case: &Case, mut json: String) -> String {
    if json.ends_with('}') {
        json.pop();
        if json.len() > 1 {
            json.push(',');
        }
        json.push_str("\"status\":\"");
        // A state's name is plain snake_case, nothing to escape.
        json.push_str(case.state.as_str());
        json.push_str("\"}");
    }
    json
}

fn idempotency(
    caller: &Caller,
    headers: &HeaderMap,
    bytes: &[u8],
) -> Result<Option<yici_service::cases::IdempotencyKey>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("\u{0}");
    Ok(Some(idempotency_key(caller, KeyFrom::Header, key, bytes)?))
}

/// Submits an application, online or at a window. The same
/// `Idempotency-Key` returns the same case, never a second one.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = CreateCase,
    params(("Idempotency-Key" = Option<String>, Header, description = "retry-safe key")),
    responses(
        (status = 201, description = "created", body = serde_json::Value),
        (status = 200, description = "an earlier submission with the same key", body = serde_json::Value),
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    headers: HeaderMap,
    body: Body<CreateCase>,
) -> Result<Response, ApiError> {
    let intake = state.service().intake(&caller)?;
    let key = idempotency(&caller, &headers, &body.bytes)?;
    let input = body.value;
    let application = Application {
        target: target(input.one_thing.as_deref(), input.matter.as_deref())?,
        applicant: input.applicant,
        form: input.form,
        channel: input.channel,
        window: input.window,
    };
    let submitted = intake.submit(application, key).await?;
    let status = if submitted.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(case_response(status, submitted.case, None))
}

/// Parses a case id from the path.
pub fn case_id(raw: &str) -> Result<CaseId, ApiError> {
    CaseId::parse(raw).map_err(|_| {
        ApiError(ServiceError::NotFound {
            what: "case",
            id: raw.to_owned(),
        })
    })
}

/// One case with its tasks, trips, deadlines and history.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "case id")),
    responses(
        (status = 200, body = serde_json::Value),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = case_id(&id)?;
    let found = state.service().cases(&caller)?.history(&id).await?;
    let events = found.events_json();
    Ok(case_response(
        StatusCode::OK,
        found.stored.case,
        Some(events),
    ))
}

/// A page of cases.
#[derive(Debug, Serialize)]
pub struct CasePage {
    /// Cases, newest first.
    pub items: Vec<CaseView>,
    /// 1-based page.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// Cases matching in all.
    pub total: u64,
}

/// Lists cases: an applicant's own, a clerk's city's, or all for supervisors.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases",
    params(
        ("applicant" = Option<String>, Query, description = "resident ID or USCC (clerks, supervisors)"),
        ("state" = Option<String>, Query, description = "case state"),
        ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query),
    ),
    responses((status = 200, body = serde_json::Value)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<CasePage>, ApiError> {
    let desk = state.service().case_lists(&caller)?;
    let page = Page::from_params(&params)?;
    let filter = CaseFilter {
        owner: params.get("applicant").map(|a| a.trim().to_uppercase()),
        state: params.get("state").map(|s| s.trim().to_owned()),
        limit: page.per_page,
        offset: page.offset(),
        ..Default::default()
    };
    let (cases, total) = desk.list(filter).await?;
    Ok(Json(CasePage {
        items: cases.into_iter().map(|s| view(s.case, None)).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}
