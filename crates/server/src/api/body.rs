//! JSON request bodies whose every failure is a problem+json answer naming
//! the field: malformed JSON, a wrong type, a missing field, too large.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// Largest JSON body accepted by the API.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// A JSON body, with the raw bytes kept for idempotency digests.
pub struct Body<T> {
    /// The parsed value.
    pub value: T,
    /// The bytes as received.
    pub bytes: axum::body::Bytes,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError(yici_service::ServiceError::TooLarge(MAX_JSON_BYTES)))?;
        if bytes.len() > MAX_JSON_BYTES {
            return Err(ApiError(yici_service::ServiceError::TooLarge(
                MAX_JSON_BYTES,
            )));
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = inner.to_string();
            let at = |name: &str| {
                if path == "." || path.is_empty() {
                    name.to_owned()
                } else if path == name || path.ends_with(&format!(".{name}")) {
                    path.clone()
                } else {
                    format!("{path}.{name}")
                }
            };
            // serde names the offending key in backticks.
            let quoted = || message.split('`').nth(1).unwrap_or_default().to_owned();
            let (field, rule) = match inner.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    ("body".to_owned(), "json_syntax")
                }
                _ if message.starts_with("missing field") => (at(&quoted()), "required"),
                _ if message.starts_with("unknown field") => (at(&quoted()), "unknown_field"),
                _ if message.starts_with("unknown variant") => (path.clone(), "one_of"),
                _ if path == "." || path.is_empty() => ("body".to_owned(), "type"),
                _ => (path.clone(), "type"),
            };
            ApiError::invalid(field, rule, message)
        })?;
        Ok(Body { value, bytes })
    }
}
