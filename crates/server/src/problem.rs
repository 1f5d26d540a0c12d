//! The one place where errors become HTTP: each [`ServiceError`] has one
//! status and one stable problem `type` ([`Kind::of`]), used by the API's
//! RFC 9457 `application/problem+json` answers and by the pages' error
//! pages alike, so the two never disagree.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use yici_service::ServiceError;

/// An error answered to an API client: a [`ServiceError`] as problem+json.
#[derive(Debug)]
pub struct ApiError(pub ServiceError);

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        ApiError(e)
    }
}

impl ApiError {
    /// One parameter or field that breaks `rule`.
    pub fn invalid(field: impl Into<String>, rule: &str, message: impl Into<String>) -> Self {
        ApiError(ServiceError::invalid(field, rule, message))
    }

    /// Nothing of kind `what` has identifier `id`.
    pub fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        ApiError(ServiceError::NotFound {
            what,
            id: id.into(),
        })
    }

    /// An internal failure; `cause` is logged, never shown.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError(ServiceError::internal(cause))
    }
}

/// What kind of problem an error is, over HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The status.
    pub status: StatusCode,
    /// The last segment of the problem `type` (`/problems/{slug}`).
    pub slug: &'static str,
    /// Short summary of the kind of problem.
    pub title: &'static str,
}

impl Kind {
    /// The status and problem type of `e`.
    pub fn of(e: &ServiceError) -> Kind {
        let (status, slug, title) = match e {
            ServiceError::NotFound { .. } => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ServiceError::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid request",
            ),
            ServiceError::Unauthorized => {
                (StatusCode::UNAUTHORIZED, "unauthorized", "Not signed in")
            }
            ServiceError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Not allowed"),
            ServiceError::VersionConflict { .. } => (
                StatusCode::CONFLICT,
                "version-conflict",
                "The case has changed",
            ),
            ServiceError::StateConflict(_) => (
                StatusCode::CONFLICT,
                "transition-not-allowed",
                "Not allowed in this state",
            ),
            ServiceError::VersionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                "version-required",
                "Version required",
            ),
            ServiceError::TooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Request too large",
            ),
            ServiceError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
            ),
        };
        Kind {
            status,
            slug,
            title,
        }
    }
}

/// What a client is told of `e`: never an internal cause, which is logged
/// here instead.
pub fn detail(e: &ServiceError) -> String {
    match e {
        ServiceError::Internal(cause) => {
            tracing::error!(%cause, "internal error");
            "the server could not answer; the cause was logged".to_owned()
        }
        other => other.to_string(),
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
        let kind = Kind::of(&self.0);
        let detail = detail(&self.0);
        let errors = match self.0 {
            ServiceError::Invalid(errors) => errors
                .into_iter()
                .map(|f| FieldProblem {
                    field: f.field,
                    rule: f.rule,
                    message: f.message,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut response = problem_response(kind.status, kind.slug, kind.title, detail, errors);
        if kind.status == StatusCode::UNAUTHORIZED {
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
