//! Who is calling, as the web sees it: the session token of a request (a
//! bearer header for the API, a cookie for the pages), turned into the
//! caller by `yici_service`.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use yici_service::{Caller, ServiceError};

use crate::problem::ApiError;
use crate::state::AppState;

/// Name of the session cookie of the pages.
pub const SESSION_COOKIE: &str = "yici_session";

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_owned())
}

/// The session token of the page cookie, if any.
pub fn cookie_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(&format!("{SESSION_COOKIE}="))
                .map(str::to_owned)
        })
}

/// The caller of a request, if it carries a valid session.
pub async fn caller_of(parts: &Parts, state: &AppState) -> Result<Option<Caller>, ServiceError> {
    let Some(token) = bearer(parts).or_else(|| cookie_token(parts)) else {
        return Ok(None);
    };
    state.service().authenticate(&token).await
}

/// The signed-in caller of an API request; without a valid session the
/// request is answered 401.
pub struct SignedIn(pub Caller);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        caller_of(parts, state)
            .await?
            .map(SignedIn)
            .ok_or(ApiError(ServiceError::Unauthorized))
    }
}
