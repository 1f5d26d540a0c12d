//! The one place where errors become HTTP responses: RFC 9457
//! `application/problem+json`, with a stable `type` per kind of problem.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use yici_core::case::{ActionKind, CaseError};
use yici_store::StoreError;

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Nothing has that identifier (or the caller may not know it exists).
    #[error("{what} {id:?} does not exist")]
    NotFound {
        /// What kind of thing was asked for.
        what: &'static str,
        /// The identifier asked for.
        id: String,
    },
    /// Parameters or fields break rules; every one is listed.
    #[error("{}", .0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; "))]
    Fields(Vec<FieldProblem>),
    /// No valid session.
    #[error("sign in first: no valid session token")]
    Unauthorized,
    /// The caller's role or scope does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The case changed since the caller read it.
    #[error("the case is now at version {actual}; reload it and try again")]
    VersionConflict {
        /// The version stored.
        actual: u64,
    },
    /// The case's state does not allow this now.
    #[error("{0}")]
    StateConflict(String),
    /// A write of a case without the version it was read at.
    #[error("send the case version in If-Match (or as \"version\" in the body)")]
    VersionRequired,
    /// The body is larger than accepted.
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    /// Something failed inside; the cause is logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// One parameter or field that breaks `rule`.
    pub fn invalid(
        field: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ApiError::Fields(vec![FieldProblem {
            field: field.into(),
            rule: rule.to_owned(),
            message: message.into(),
        }])
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::VersionConflict { actual, .. } => ApiError::VersionConflict { actual },
            StoreError::IdempotencyMismatch { key } => ApiError::invalid(
                "Idempotency-Key",
                "idempotency_key_reused",
                format!("key {key:?} was used for a different request; use a new key"),
            ),
            StoreError::Duplicate { what, value } => {
                ApiError::StateConflict(format!("{what} {value:?} already exists"))
            }
            // Nothing was kept; reading the case again and retrying works.
            e @ StoreError::RowsChanged { .. } => {
                ApiError::StateConflict(format!("{e}; read the case again and retry"))
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<CaseError> for ApiError {
    fn from(e: CaseError) -> Self {
        let message = e.to_string();
        let field = match &e {
            CaseError::WrongRole { .. } => return ApiError::Forbidden(message),
            CaseError::UnknownTask { .. } => {
                return ApiError::NotFound {
                    what: "task",
                    id: message,
                };
            }
            // A decision's reason travels in its `comment`.
            CaseError::EmptyReason {
                action: ActionKind::Decide,
            } => "comment",
            CaseError::EmptyReason { .. } => "reason",
            CaseError::EmptyDeficiency | CaseError::EmptySupplement => "materials",
            CaseError::TrackingRequired | CaseError::TrackingNotExpected { .. } => "tracking",
            CaseError::WindowRequired | CaseError::WindowNotExpected { .. } => "window",
            CaseError::Calendar(_) => "date",
            _ => return ApiError::StateConflict(message),
        };
        ApiError::Fields(vec![FieldProblem {
            field: field.to_owned(),
            rule: e.rule().to_owned(),
            message,
        }])
    }
}

/// RFC 9457 problem details, with yici's extension members.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// Errors per field, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One field's error inside a [`Problem`].
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// The field or parameter.
    pub field: String,
    /// Stable rule name.
    pub rule: String,
    /// What is wrong.
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, slug, title) = match &self {
            ApiError::NotFound { .. } => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ApiError::Fields(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid request",
            ),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", "Not signed in"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Not allowed"),
            ApiError::VersionConflict { .. } => (
                StatusCode::CONFLICT,
                "version-conflict",
                "The case has changed",
            ),
            ApiError::StateConflict(_) => (
                StatusCode::CONFLICT,
                "transition-not-allowed",
                "Not allowed in this state",
            ),
            ApiError::VersionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                "version-required",
                "Version required",
            ),
            ApiError::TooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Request too large",
            ),
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error",
                )
            }
        };
        let detail = match &self {
            ApiError::Internal(_) => "the server could not answer; the cause was logged".to_owned(),
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Fields(errors) => errors,
            _ => Vec::new(),
        };
        let mut response = problem_response(status, slug, title, detail, errors);
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Builds a problem+json response.
pub fn problem_response(
    status: StatusCode,
    slug: &str,
    title: &str,
    detail: String,
    errors: Vec<FieldProblem>,
) -> Response {
    let body = Problem {
        problem_type: format!("/problems/{slug}"),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        errors,
    };
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}
