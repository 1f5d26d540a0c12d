//! The one place where errors become HTTP responses: RFC 9457
//! `application/problem+json` for the API, a plain page for browsers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Nothing has that identifier.
    #[error("{what} {id:?} does not exist")]
    NotFound {
        /// What kind of thing was asked for.
        what: &'static str,
        /// The identifier asked for.
        id: String,
    },
    /// A parameter or field breaks a rule.
    #[error("{field}: {message}")]
    Invalid {
        /// The parameter or field, as the client wrote it.
        field: String,
        /// Stable name of the rule.
        rule: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Something failed inside; the cause is logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A parameter or field that breaks `rule`.
    pub fn invalid(
        field: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ApiError::Invalid {
            field: field.into(),
            rule,
            message: message.into(),
        }
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
#[derive(Debug, Serialize, utoipa::ToSchema)]
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
        let (status, slug, title, errors) = match &self {
            ApiError::NotFound { .. } => (StatusCode::NOT_FOUND, "not-found", "Not found", vec![]),
            ApiError::Invalid {
                field,
                rule,
                message,
            } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid request",
                vec![FieldProblem {
                    field: field.clone(),
                    rule: (*rule).to_owned(),
                    message: message.clone(),
                }],
            ),
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error",
                    vec![],
                )
            }
        };
        let detail = match &self {
            ApiError::Internal(_) => "the server could not answer; the cause was logged".to_owned(),
            other => other.to_string(),
        };
        problem_response(status, slug, title, detail, errors)
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
