//! `/api/v1/cases`: submitting, reading, listing and acting on cases.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use yici_core::case::{Applicant, Case, CaseId, Channel, Role, Target};
use yici_core::catalog::{MatterCode, OneThingCode, WindowCode};
use yici_core::identifier::{RegionCode, ResidentId, Uscc};
use yici_store::{CaseFilter, IdempotencyKey};

use super::body::Body;
use super::params::{Page, Params};
use crate::auth::Caller;
use crate::authz;
use crate::casework;
use crate::problem::ApiError;
use crate::state::AppState;

/// Who applies.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ApplicantInput {
    /// A natural person.
    Person {
        /// GB 11643 resident ID.
        resident_id: String,
        /// Name.
        name: String,
        /// Region of residence (GB/T 2260): decides the competent authority.
        region: String,
    },
    /// An enterprise.
    Enterprise {
        /// GB 32100 unified social credit code.
        uscc: String,
        /// Name.
        name: String,
        /// Region of registration.
        region: String,
    },
}

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
pub fn acted_response(acted: crate::casework::Acted) -> Response {
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

fn parse_applicant(input: ApplicantInput) -> Result<Applicant, ApiError> {
    let region = |r: &str| {
        RegionCode::parse(r)
            .map_err(|e| ApiError::invalid("applicant.region", e.rule(), e.to_string()))
    };
    let name = |n: &str| {
        let n = n.trim();
        if n.is_empty() || n.chars().count() > 100 {
            Err(ApiError::invalid(
                "applicant.name",
                "length",
                "name must be 1 to 100 characters",
            ))
        } else {
            Ok(n.to_owned())
        }
    };
    Ok(match input {
        ApplicantInput::Person {
            resident_id,
            name: n,
            region: r,
        } => Applicant::Person {
            resident_id: ResidentId::parse(&resident_id)
                .map_err(|e| ApiError::invalid("applicant.resident_id", e.rule(), e.to_string()))?,
            name: name(&n)?,
            region: region(&r)?,
        },
        ApplicantInput::Enterprise {
            uscc,
            name: n,
            region: r,
        } => Applicant::Enterprise {
            uscc: Uscc::parse(&uscc)
                .map_err(|e| ApiError::invalid("applicant.uscc", e.rule(), e.to_string()))?,
            name: name(&n)?,
            region: region(&r)?,
        },
    })
}

/// The applicant of an online application: the caller's own account.
fn own_applicant(caller: &Caller) -> Result<Applicant, ApiError> {
    let subject = caller.user.subject.clone().unwrap_or_default();
    let region = caller.user.region.clone().unwrap_or_default();
    let input = if subject.len() == 18 && ResidentId::parse(&subject).is_ok() {
        ApplicantInput::Person {
            resident_id: subject,
            name: caller.user.display_name.clone(),
            region,
        }
    } else {
        ApplicantInput::Enterprise {
            uscc: subject,
            name: caller.user.display_name.clone(),
            region,
        }
    };
    parse_applicant(input)
}

fn target(body: &CreateCase) -> Result<Target, ApiError> {
    match (&body.one_thing, &body.matter) {
        (Some(code), None) => OneThingCode::parse(code)
            .map(Target::OneThing)
            .map_err(|e| ApiError::invalid("one_thing", e.rule(), e.to_string())),
        (None, Some(code)) => MatterCode::parse(code)
            .map(Target::Matter)
            .map_err(|e| ApiError::invalid("matter", e.rule(), e.to_string())),
        _ => Err(ApiError::invalid(
            "one_thing",
            "one_of",
            "give exactly one of one_thing and matter",
        )),
    }
}

fn idempotency(
    caller: &Caller,
    headers: &HeaderMap,
    bytes: &[u8],
) -> Result<Option<IdempotencyKey>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| {
            ApiError::invalid(
                "Idempotency-Key",
                "format",
                "1 to 200 visible ASCII characters",
            )
        })?;
    Ok(Some(IdempotencyKey {
        scope: caller.user.id.clone(),
        key: key.to_owned(),
        request_hash: hex::encode(Sha256::digest(bytes)),
    }))
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
    caller: Caller,
    headers: HeaderMap,
    body: Body<CreateCase>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Applicant, Role::Clerk])?;
    let key = idempotency(&caller, &headers, &body.bytes)?;
    let input = body.value;
    let target = target(&input)?;
    let (applicant, channel) = match (caller.role, input.channel.as_str()) {
        (Role::Applicant, "online") => {
            let own = own_applicant(&caller)?;
            if let Some(given) = input.applicant {
                let given = parse_applicant(given)?;
                if authz_subject(&given) != authz_subject(&own) {
                    return Err(ApiError::Forbidden(
                        "an applicant applies only for themselves".into(),
                    ));
                }
            }
            (own, Channel::Online)
        }
        (Role::Clerk, "window") => {
            let applicant = parse_applicant(input.applicant.ok_or_else(|| {
                ApiError::invalid(
                    "applicant",
                    "required",
                    "a window application names its applicant",
                )
            })?)?;
            let own = caller.user.window.clone().unwrap_or_default();
            let window = input.window.unwrap_or_else(|| own.clone());
            if window != own {
                return Err(ApiError::invalid(
                    "window",
                    "own_window",
                    format!("you work at window {own}"),
                ));
            }
            let window = WindowCode::parse(&window)
                .map_err(|e| ApiError::invalid("window", e.rule(), e.to_string()))?;
            (applicant, Channel::Window { window })
        }
        (_, "online" | "window") => {
            return Err(ApiError::invalid(
                "channel",
                "channel_for_role",
                "applicants apply online; clerks submit at a window",
            ));
        }
        (_, other) => {
            return Err(ApiError::invalid(
                "channel",
                "one_of",
                format!("{other:?} is not online or window"),
            ));
        }
    };
    if let Channel::Window { .. } = channel
        && let Some(region) = caller.user.region.as_deref()
        && !authz::within(&applicant.region().to_string(), &authz::city_of(region))
    {
        return Err(ApiError::invalid(
            "applicant.region",
            "outside_city",
            "a window accepts for any district of its own city",
        ));
    }
    let (case, created) =
        casework::submit(&state, &caller, target, applicant, input.form, channel, key).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(case_response(status, case, None))
}

fn authz_subject(a: &Applicant) -> String {
    match a {
        Applicant::Person { resident_id, .. } => resident_id.to_string(),
        Applicant::Enterprise { uscc, .. } => uscc.to_string(),
    }
}

/// Parses a case id from the path.
pub fn case_id(raw: &str) -> Result<CaseId, ApiError> {
    CaseId::parse(raw).map_err(|_| ApiError::NotFound {
        what: "case",
        id: raw.to_owned(),
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
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = case_id(&id)?;
    let stored = state.store().case(&id).await?;
    let Some(stored) = stored.filter(|s| authz::may_view(&caller, s)) else {
        return Err(ApiError::NotFound {
            what: "case",
            id: id.to_string(),
        });
    };
    let events = state.store().case_events(&id).await?;
    let events = events
        .into_iter()
        .map(|e| {
            let mut v = serde_json::to_value(&e.event).unwrap_or_default();
            v["at_ms"] = e.at_ms.into();
            v
        })
        .collect();
    Ok(case_response(StatusCode::OK, stored.case, Some(events)))
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
    caller: Caller,
    Params(params): Params,
) -> Result<Json<CasePage>, ApiError> {
    caller.require(&[Role::Applicant, Role::Clerk, Role::Supervisor, Role::Admin])?;
    let page = Page::from_params(&params)?;
    let state_filter = params.get("state").map(|s| s.trim().to_owned());
    if let Some(s) = &state_filter
        && serde_json::from_value::<yici_core::case::CaseState>(serde_json::Value::String(
            s.clone(),
        ))
        .is_err()
    {
        return Err(ApiError::invalid(
            "state",
            "one_of",
            format!("{s:?} is not a case state"),
        ));
    }
    let mut filter = CaseFilter {
        owner: params.get("applicant").map(|a| a.trim().to_uppercase()),
        state: state_filter,
        limit: page.per_page,
        offset: u64::from(page.page - 1) * u64::from(page.per_page),
        ..Default::default()
    };
    match caller.role {
        Role::Applicant => filter.owner = authz::owner_scope(&caller),
        Role::Clerk => filter.region_prefix = caller.user.region.as_deref().map(authz::city_of),
        _ => {}
    }
    let (cases, total) = state.store().list_cases(&filter).await?;
    Ok(Json(CasePage {
        items: cases.into_iter().map(|s| view(s.case, None)).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}
