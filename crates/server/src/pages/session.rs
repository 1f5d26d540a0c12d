//! Signing in and out of the pages, the session cookie, the role gate of
//! the work pages and the CSRF token of their forms.
//!
//! The cookie holds the session token (HttpOnly, SameSite=Lax); the store
//! holds only its hash. Every state-changing form carries
//! `hex(SHA-256("csrf:" + token))`: a page of another site cannot read it,
//! so it cannot forge the form, and no server-side state is needed for it.

use askama::Template;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use yici_core::case::Role;

use super::input::{Errors, FormData};
use super::{Chrome, message, render_status};
use crate::api::params::Params;
use crate::auth::{self, Caller, SESSION_COOKIE, SESSION_MS};
use crate::problem::ApiError;
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

/// The signed-in user if their role is one of `roles`; otherwise the
/// sign-in page (not signed in) or a 403 page (another role).
pub fn need(c: &Chrome, roles: &[Role]) -> Result<Signed, Box<Response>> {
    match &c.user {
        None => Err(Box::new(to_login(&c.path))),
        Some(u) if roles.contains(&u.caller.role) => Ok(u.clone()),
        Some(u) => Err(Box::new(forbidden(
            c,
            u.caller
                .require(roles)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default(),
        ))),
    }
}

/// A 403 page.
pub fn forbidden(c: &Chrome, detail: String) -> Response {
    message(
        c.clone(),
        StatusCode::FORBIDDEN,
        "forbidden.title",
        "forbidden.text",
        detail,
        None,
    )
}

/// Refuses a form whose CSRF token is not the session's.
pub fn check_csrf(c: &Chrome, me: &Signed, form: &FormData) -> Result<(), Box<Response>> {
    let given = form.get("csrf").unwrap_or_default().as_bytes();
    let expected = me.csrf.as_bytes();
    // Compared in constant time: the token must not leak byte by byte.
    let same = given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(Box::new(forbidden(c, c.t.get("csrf.failed").to_owned())))
    }
}

/// Where a user goes after signing in: back where they came from (a path
/// of this site only), else their role's work page.
fn landing(next: Option<&str>, role: Role) -> String {
    if let Some(n) = next
        && n.starts_with('/')
        && !n.starts_with("//")
        && !n.starts_with("/\\")
        && !n.starts_with("/login")
    {
        return n.to_owned();
    }
    match role {
        Role::Applicant => "/my/cases",
        Role::Clerk => "/work/window",
        Role::Reviewer => "/work/queue",
        Role::Supervisor | Role::Admin => "/work/overview",
        Role::System => "/",
    }
    .to_owned()
}

#[derive(Template)]
#[template(path = "login.html")]
struct Login {
    c: Chrome,
    username: String,
    next: String,
    errors: Errors,
}

/// GET /login.
pub async fn form(c: Chrome, Params(params): Params) -> Response {
    let next = params.get("next").cloned().unwrap_or_default();
    render_status(
        StatusCode::OK,
        &Login {
            c,
            username: String::new(),
            next,
            errors: Errors::default(),
        },
    )
}

/// POST /login: on success the session cookie and a redirect; otherwise
/// the form again with the error beside the password.
pub async fn sign_in(State(state): State<AppState>, c: Chrome, form: FormData) -> Response {
    let username = form.get("username").unwrap_or_default().trim().to_owned();
    let password = form.get("password").unwrap_or_default();
    let next = form.get("next").unwrap_or_default().to_owned();
    let result = if username.is_empty() {
        Err(ApiError::invalid(
            "username",
            "required",
            "username is required",
        ))
    } else {
        crate::api::sessions::open(&state, &username, password).await
    };
    match result {
        Ok(session) => {
            let role = auth::role_of(&session.user.role).unwrap_or(Role::Applicant);
            let cookie = format!(
                "{SESSION_COOKIE}={}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}",
                session.token,
                SESSION_MS / 1000
            );
            let mut response = Redirect::to(&landing(Some(&next), role)).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            response
        }
        Err(ApiError::Fields(fields)) => {
            let errors = Errors::new(&c, fields);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &Login {
                    c,
                    username,
                    next,
                    errors,
                },
            )
        }
        Err(e) => super::error_page(c, e, Some("/login".into())),
    }
}

/// POST /logout: ends the session and clears the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    c: Chrome,
    parts: axum::http::request::Parts,
    form: FormData,
) -> Response {
    let Some(me) = c.user.clone() else {
        return Redirect::to("/").into_response();
    };
    if let Err(r) = check_csrf(&c, &me, &form) {
        return *r;
    }
    if let Some(token) = auth::cookie_token(&parts)
        && let Err(e) = state
            .store()
            .delete_session(&auth::token_hash(&token))
            .await
    {
        return super::error_page(c, e.into(), None);
    }
    let mut response = Redirect::to("/").into_response();
    let cookie = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landing_stays_on_this_site() {
        assert_eq!(landing(Some("/cases/1"), Role::Clerk), "/cases/1");
        assert_eq!(landing(Some("//evil.example"), Role::Clerk), "/work/window");
        assert_eq!(
            landing(Some("https://evil.example"), Role::Reviewer),
            "/work/queue"
        );
        assert_eq!(landing(None, Role::Applicant), "/my/cases");
    }

    #[test]
    fn csrf_token_depends_on_the_session() {
        assert_ne!(csrf_token("a"), csrf_token("b"));
        assert_eq!(csrf_token("a").len(), 64);
    }
}
