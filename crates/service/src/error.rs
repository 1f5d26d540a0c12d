//! What a use case answers when it cannot do what was asked. The web crate
//! turns each variant into one HTTP status, in one place, for the API and
//! the pages alike; workers and the command line read the same variants.

use serde::Serialize;
use yici_core::case::{ActionKind, CaseError};
use yici_store::StoreError;

/// Why a use case refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
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
    Invalid(Vec<FieldProblem>),
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
    /// The state of the thing does not allow this now.
    #[error("{0}")]
    StateConflict(String),
    /// A write of a case without the version it was read at.
    #[error("send the case version in If-Match (or as \"version\" in the body)")]
    VersionRequired,
    /// What was sent is larger than accepted.
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    /// Something failed inside; the cause is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

/// One field's problem: which field, which rule, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// The field or parameter.
    pub field: String,
    /// Stable rule name.
    pub rule: String,
    /// What is wrong.
    pub message: String,
}

impl FieldProblem {
    /// A problem of `field` breaking `rule`.
    pub fn new(
        field: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldProblem {
            field: field.into(),
            rule: rule.into(),
            message: message.into(),
        }
    }
}

impl ServiceError {
    /// One parameter or field that breaks `rule`.
    pub fn invalid(
        field: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ServiceError::Invalid(vec![FieldProblem::new(field, rule, message)])
    }

    /// An internal failure, from anything that can be said.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ServiceError::Internal(cause.to_string())
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::VersionConflict { actual, .. } => ServiceError::VersionConflict { actual },
            StoreError::IdempotencyMismatch { key } => ServiceError::invalid(
                "Idempotency-Key",
                "idempotency_key_reused",
                format!("key {key:?} was used for a different request; use a new key"),
            ),
            StoreError::Duplicate { what, value } => {
                ServiceError::StateConflict(format!("{what} {value:?} already exists"))
            }
            // Nothing was kept; reading the case again and retrying works.
            e @ StoreError::RowsChanged { .. } => {
                ServiceError::StateConflict(format!("{e}; read the case again and retry"))
            }
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

impl From<CaseError> for ServiceError {
    fn from(e: CaseError) -> Self {
        let message = e.to_string();
        let field = match &e {
            CaseError::WrongRole { .. } => return ServiceError::Forbidden(message),
            CaseError::UnknownTask { .. } => {
                return ServiceError::NotFound {
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
            _ => return ServiceError::StateConflict(message),
        };
        ServiceError::Invalid(vec![FieldProblem::new(field, e.rule(), message)])
    }
}

/// What every use case returns.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
