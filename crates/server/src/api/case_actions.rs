//! `POST /api/v1/cases/{id}/…`: the window's and the applicant's actions on
//! a case, each against the version the caller read (If-Match or `version`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use yici_service::ServiceError;
use yici_service::cases::{ActionInput, action};

use super::body::Body;
use super::cases::{acted_response, case_id};
use crate::auth::SignedIn;
use crate::problem::ApiError;
use crate::state::AppState;

/// The version from If-Match (`"3"` or `3`) or the body; required.
pub fn expected_version(headers: &HeaderMap, body: Option<u64>) -> Result<u64, ApiError> {
    if let Some(v) = headers.get(header::IF_MATCH) {
        let raw = v
            .to_str()
            .unwrap_or_default()
            .trim()
            .trim_start_matches("W/")
            .trim_matches('"');
        return raw.parse().map_err(|_| {
            ApiError::invalid(
                "If-Match",
                "version",
                "If-Match must carry the case version, e.g. \"3\"",
            )
        });
    }
    body.ok_or(ApiError(ServiceError::VersionRequired))
}

/// Acts on a case: `accept`, `accept-with-deficiency`, `reject`,
/// `supplement`, `withdraw`, `issue`, `deliver` or `rate`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/{action}", tag = "cases", request_body = ActionInput,
    params(
        ("id" = String, Path, description = "case id"),
        ("action" = String, Path, description = "accept | accept-with-deficiency | reject | supplement | withdraw | issue | deliver | rate"),
        ("If-Match" = Option<String>, Header, description = "the case version read"),
    ),
    responses(
        (status = 200, body = serde_json::Value),
        (status = 409, body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 428, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn act(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path((id, kind)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body<ActionInput>,
) -> Result<Response, ApiError> {
    let id = case_id(&id)?;
    let body = body.value;
    let action = action(&kind, &body)?;
    let version = expected_version(&headers, body.version)?;
    let desk = state.service().cases(&caller)?;
    let acted = desk.act(&id, Some(version), action).await?;
    Ok(acted_response(acted))
}
