//! Signing in and out of the pages, the session cookie, the sign-in gate
//! of the work pages (which desk a user may sit at is `yici_service`'s
//! gate) and the CSRF token of their forms.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::case::Role;
use yici_service::ServiceError;
use yici_service::session::SESSION_MS;

use super::chrome::Chrome;
use super::input::{Errors, FormData};
use super::render::{error_page, message, render_status};
use super::signed::{Signed, to_login};
use crate::auth::{self, SESSION_COOKIE};
use crate::params::Params;
use crate::state::AppState;

/// The signed-in user; otherwise the sign-in page, to come back here.
pub fn need_signed(c: &Chrome) -> Result<Signed, Box<Response>> {
    c.user.clone().ok_or_else(|| Box::new(to_login(&c.path)))
}

/// The desk the gate gave, or the page that says why not (403).
pub fn at_desk<T>(c: &Chrome, desk: Result<T, ServiceError>) -> Result<T, Box<Response>> {
    desk.map_err(|e| Box::new(error_page(c.clone(), e, None)))
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

/// The signed-in user of a form whose CSRF token is theirs; otherwise the
/// sign-in page or the 403 that says why.
pub fn signed_form(c: &Chrome, form: &FormData) -> Result<Signed, Box<Response>> {
    let me = need_signed(c)?;
    check_csrf(c, &me, form)?;
    Ok(me)
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
    match state.service().sign_in(&username, password).await {
        Ok(session) => {
            let role = session.role;
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
        Err(ServiceError::Invalid(fields)) => {
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
        Err(e) => error_page(c, e, Some("/login".into())),
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
        && let Err(e) = state.service().sign_out(&token).await
    {
        return error_page(c, e, None);
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
}
