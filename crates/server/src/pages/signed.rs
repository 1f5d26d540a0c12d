//! Who is signed in to the pages: the session cookie's user, the CSRF
//! token of their forms, and the way to the sign-in page.
//!
//! The cookie holds the session token (HttpOnly, SameSite=Lax); the store
//! holds only its hash. Every state-changing form carries
//! `hex(SHA-256("csrf:" + token))`: a page of another site cannot read it,
//! so it cannot forge the form, and no server-side state is needed for it.

use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use yici_service::Caller;

use crate::auth;
use crate::state::AppState;

/// A signed-in user of the pages.
#[derive(Debug, Clone)]
pub struct Signed {
    /// Who, with their role and scopes.
    pub caller: Caller,
    /// The CSRF token of their forms.
    pub csrf: String,
}

/// The CSRF token of a session: `hex(SHA-256("csrf:" + token))`.
pub fn csrf_token(session_token: &str) -> String {
    hex::encode(Sha256::digest(format!("csrf:{session_token}").as_bytes()))
}

/// The user of the session cookie, if it is valid. A store failure is
/// logged and treated as signed out: the public pages still render.
pub async fn signed(parts: &Parts, state: &AppState) -> Option<Signed> {
    let token = auth::cookie_token(parts)?;
    match auth::caller_of(parts, state).await {
        Ok(caller) => caller.map(|caller| Signed {
            caller,
            csrf: csrf_token(&token),
        }),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            None
        }
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Sends the browser to the sign-in page, to come back to `path`.
pub fn to_login(path: &str) -> Response {
    Redirect::to(&format!("/login?next={}", encode(path))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_token_depends_on_the_session() {
        assert_ne!(csrf_token("a"), csrf_token("b"));
        assert_eq!(csrf_token("a").len(), 64);
    }
}
