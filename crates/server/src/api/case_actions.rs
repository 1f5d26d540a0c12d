//! `POST /api/v1/cases/{id}/…`: the window's and the applicant's actions on
//! a case, each against the version the caller read (If-Match or `version`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde::Deserialize;
use yici_core::calendar::WorkingDays;
use yici_core::case::{Action, Rating, TrackingNumber};
use yici_core::catalog::{DeliveryMode, FieldKey, WindowCode};

use super::body::Body;
use super::cases::{acted_response, case_id};
use crate::auth::Caller;
use crate::casework;
use crate::problem::ApiError;
use crate::state::AppState;

/// The body of an action: its own fields and, optionally, the version.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// The case version the caller read (or send If-Match).
    pub version: Option<u64>,
    /// Reason (reject, withdraw).
    pub reason: Option<String>,
    /// Materials still missing (accept-with-deficiency).
    pub materials: Option<Vec<String>>,
    /// Working days to bring them (accept-with-deficiency).
    pub due_in: Option<u32>,
    /// Whether the supplement is brought to a window (supplement).
    pub at_window: Option<bool>,
    /// `window`, `express` or `electronic` (deliver).
    pub mode: Option<String>,
    /// Express tracking number (deliver by express).
    pub tracking: Option<String>,
    /// Pickup window (deliver at a window).
    pub window: Option<String>,
    /// 1 to 5 (rate).
    pub score: Option<u8>,
    /// Remark (rate).
    pub comment: Option<String>,
}

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
    body.ok_or(ApiError::VersionRequired)
}

fn required<T>(v: Option<T>, field: &str, what: &str) -> Result<T, ApiError> {
    v.ok_or_else(|| ApiError::invalid(field, "required", format!("{field} is required: {what}")))
}

/// The action `kind` (a path segment) with the fields of `b`; each bad
/// field is a problem naming it. Shared by the API and the case page.
pub fn action(kind: &str, b: &ActionBody) -> Result<Action, ApiError> {
    Ok(match kind {
        "accept" => Action::Accept,
        "accept-with-deficiency" => {
            let materials = required(b.materials.clone(), "materials", "the missing materials")?
                .iter()
                .map(|m| {
                    FieldKey::parse(m)
                        .map_err(|e| ApiError::invalid("materials", e.rule(), e.to_string()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let days = required(b.due_in, "due_in", "working days to bring them")?;
            let due_in = WorkingDays::new(days)
                .map_err(|e| ApiError::invalid("due_in", e.rule(), e.to_string()))?;
            Action::AcceptWithDeficiency { materials, due_in }
        }
        "reject" => Action::Reject {
            reason: b.reason.clone().unwrap_or_default(),
        },
        "withdraw" => Action::Withdraw {
            reason: b.reason.clone().unwrap_or_default(),
        },
        "supplement" => Action::Supplement {
            at_window: b.at_window.unwrap_or(false),
        },
        "issue" => Action::IssueResult,
        "deliver" => {
            let mode = match required(b.mode.as_deref(), "mode", "window, express or electronic")? {
                "window" => DeliveryMode::Window,
                "express" => DeliveryMode::Express,
                "electronic" => DeliveryMode::Electronic,
                other => {
                    return Err(ApiError::invalid(
                        "mode",
                        "one_of",
                        format!("{other:?} is not window, express or electronic"),
                    ));
                }
            };
            let tracking = b
                .tracking
                .as_deref()
                .map(|t| {
                    TrackingNumber::parse(t)
                        .map_err(|e| ApiError::invalid("tracking", e.rule(), e.to_string()))
                })
                .transpose()?;
            let window = b
                .window
                .as_deref()
                .map(|w| {
                    WindowCode::parse(w)
                        .map_err(|e| ApiError::invalid("window", e.rule(), e.to_string()))
                })
                .transpose()?;
            Action::Deliver {
                mode,
                tracking,
                window,
            }
        }
        "rate" => {
            let score = required(b.score, "score", "1 to 5")?;
            Action::Rate(
                Rating::new(score, b.comment.clone())
                    .map_err(|e| ApiError::invalid("score", e.rule(), e.to_string()))?,
            )
        }
        other => {
            return Err(ApiError::NotFound {
                what: "action",
                id: other.to_owned(),
            });
        }
    })
}

/// Acts on a case: `accept`, `accept-with-deficiency`, `reject`,
/// `supplement`, `withdraw`, `issue`, `deliver` or `rate`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/{action}", tag = "cases", request_body = ActionBody,
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
    caller: Caller,
    Path((id, kind)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body<ActionBody>,
) -> Result<Response, ApiError> {
    let id = case_id(&id)?;
    let body = body.value;
    let action = action(&kind, &body)?;
    let version = expected_version(&headers, body.version)?;
    let acted = casework::act(&state, &caller, &id, Some(version), action).await?;
    Ok(acted_response(acted))
}
