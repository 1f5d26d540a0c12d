//! Server-rendered pages, in Chinese and English, usable without JavaScript.
//!
//! The language comes from `?lang=` (remembered in a cookie), else the
//! `lang` cookie, else the browser's `Accept-Language`, else Chinese.

mod apply;
mod case_action;
mod case_page;
mod certificate_print;
mod certificates;
mod department;
mod guide;
mod input;
mod matter;
mod my;
mod one_thing;
mod overview;
mod progress;
mod review;
mod session;
mod verify;
mod window;

pub use session::{Signed, csrf_token};

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use yici_core::case::Role;

use crate::i18n::{Lang, Words};
use crate::problem::ApiError;
use crate::state::AppState;

/// Routes of the pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(guide::home))
        .route("/search", get(guide::search))
        .route("/matters/{code}", get(matter::page))
        .route("/one-things/{code}", get(one_thing::page))
        .route("/departments", get(department::list))
        .route("/departments/{code}", get(department::page))
        .route("/negative-list", get(department::negative_list))
        .route("/login", get(session::form).post(session::sign_in))
        .route("/logout", post(session::sign_out))
        .route("/my/cases", get(my::cases))
        .route("/my/certificates", get(certificates::list))
        .route(
            "/my/certificates/{id}/present",
            post(certificates::present_form),
        )
        .route("/my/certificates/{id}/print", get(certificate_print::print))
        .route(
            "/my/certificates/{id}/print.pdf",
            get(certificate_print::print_pdf),
        )
        .route("/verify", get(verify::show).post(verify::submit))
        .route("/cases/{id}", get(case_page::page))
        .route("/cases/{id}/consent", post(case_action::consent))
        .route("/cases/{id}/{action}", post(case_action::act))
        .route(
            "/one-things/{code}/apply",
            get(apply::one_thing_form).post(apply::one_thing_submit),
        )
        .route(
            "/matters/{code}/apply",
            get(apply::matter_form).post(apply::matter_submit),
        )
        .route("/work/window", get(window::workbench))
        .route(
            "/work/window/new",
            get(window::fields_form).post(window::submit),
        )
        .route("/work/queue", get(review::queue))
        .route("/work/tasks/{id}", get(review::task).post(review::decide))
        .route("/work/overview", get(overview::page))
        .route("/static/style.css", get(style))
        .layer(axum::middleware::from_fn(remember_lang))
}

/// What every page shows around its content: language, switch, search box,
/// and the signed-in user with their links.
#[derive(Clone)]
pub struct Chrome {
    /// The page's language.
    pub lang: Lang,
    /// The words of that language.
    pub t: &'static Words,
    /// The link that shows this page in the other language.
    pub switch_href: String,
    /// The search box's current text.
    pub query: String,
    /// What is wrong with that text, shown beside the box.
    pub query_error: Option<String>,
    /// Path and query of this page, for "sign in and come back".
    pub path: String,
    /// The signed-in user, read from the session cookie.
    pub user: Option<Signed>,
}

/// A link with a label, in the header.
pub struct NavLink {
    /// Where it leads.
    pub href: &'static str,
    /// What it says.
    pub label: &'static str,
}

impl Chrome {
    /// The language code, for the `lang` attribute.
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// A translated word with `{n}` replaced.
    pub fn with_n(&self, key: &str, n: impl std::fmt::Display) -> String {
        self.t.get(key).replace("{n}", &n.to_string())
    }

    /// The signed-in user's role in words.
    pub fn role_name(&self) -> &'static str {
        self.user
            .as_ref()
            .map_or("", |u| self.t.get(role_key(u.caller.role)))
    }

    /// Whether an applicant is signed in.
    pub fn is_applicant(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.caller.role == Role::Applicant)
    }

    /// The work pages of the signed-in user's role.
    pub fn role_links(&self) -> Vec<NavLink> {
        let Some(u) = &self.user else {
            return Vec::new();
        };
        let link = |href, key| NavLink {
            href,
            label: self.t.get(key),
        };
        match u.caller.role {
            Role::Applicant => vec![
                link("/my/cases", "nav.my_cases"),
                link("/my/certificates", "nav.my_certificates"),
            ],
            Role::Clerk => vec![link("/work/window", "nav.window")],
            Role::Reviewer => vec![link("/work/queue", "nav.queue")],
            Role::Supervisor | Role::Admin => vec![link("/work/overview", "nav.overview")],
            Role::System => Vec::new(),
        }
    }
}

/// The key of a role's name in the translation files.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Applicant => "role.applicant",
        Role::Clerk => "role.clerk",
        Role::Reviewer => "role.reviewer",
        Role::Supervisor => "role.supervisor",
        Role::Admin => "role.admin",
        Role::System => "role.system",
    }
}

fn chrome_of(parts: &Parts) -> Chrome {
    let lang = request_lang(parts);
    let other = lang.other().code();
    let path = parts.uri.path();
    let kept: Vec<String> = parts
        .uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .map(str::to_owned)
        .collect();
    let mut switch_href = format!("{path}?lang={other}");
    for p in &kept {
        switch_href.push('&');
        switch_href.push_str(p);
    }
    let here = if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    Chrome {
        lang,
        t: lang.words(),
        switch_href,
        query: String::new(),
        query_error: None,
        path: here,
        user: None,
    }
}

/// Without the application state (the fallback page): nobody is signed in.
impl FromRequestParts<()> for Chrome {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &()) -> Result<Self, Self::Rejection> {
        Ok(chrome_of(parts))
    }
}

/// With the state: the session cookie names the signed-in user.
impl FromRequestParts<AppState> for Chrome {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let mut c = chrome_of(parts);
        c.user = session::signed(parts, state).await;
        Ok(c)
    }
}

fn query_lang(query: &str) -> Option<Lang> {
    query
        .split('&')
        .find_map(|p| p.strip_prefix("lang="))
        .map(Lang::from_code)
}

fn request_lang(parts: &Parts) -> Lang {
    if let Some(lang) = parts.uri.query().and_then(query_lang) {
        return lang;
    }
    let cookie = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang="));
    if let Some(code) = cookie {
        return Lang::from_code(code);
    }
    parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Zh, Lang::from_code)
}

/// Keeps the language chosen with `?lang=` in a cookie, so that the links
/// of the page need not carry it.
async fn remember_lang(request: Request, next: Next) -> Response {
    let chosen = request.uri().query().and_then(query_lang);
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Renders a template, logging a failure and answering a plain 500.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// Renders a template with another status than 200.
pub fn render_status(status: StatusCode, template: &impl Template) -> Response {
    let mut response = render(template);
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

#[derive(Template)]
#[template(path = "message.html")]
struct Message {
    c: Chrome,
    title: String,
    text: String,
    detail: String,
    back: Option<String>,
}

/// A page that says what went wrong, with `status`.
pub fn message(
    c: Chrome,
    status: StatusCode,
    title_key: &str,
    text_key: &str,
    detail: String,
    back: Option<String>,
) -> Response {
    let page = Message {
        title: c.t.get(title_key).to_owned(),
        text: c.t.get(text_key).to_owned(),
        detail,
        back,
        c,
    };
    render_status(status, &page)
}

/// The page for an error of the domain or the store that no form can
/// show beside a field. `back` is where "try again" leads.
pub fn error_page(c: Chrome, e: ApiError, back: Option<String>) -> Response {
    match e {
        ApiError::Unauthorized => session::to_login(&c.path),
        ApiError::NotFound { .. } => not_found(c),
        ApiError::Forbidden(detail) => message(
            c,
            StatusCode::FORBIDDEN,
            "forbidden.title",
            "forbidden.text",
            detail,
            back,
        ),
        ApiError::VersionConflict { actual } => {
            let detail = c.with_n("conflict.version_detail", actual);
            message(
                c,
                StatusCode::CONFLICT,
                "conflict.version_title",
                "conflict.version_text",
                detail,
                back,
            )
        }
        ApiError::StateConflict(detail) => message(
            c,
            StatusCode::CONFLICT,
            "conflict.state_title",
            "conflict.state_text",
            detail,
            back,
        ),
        ApiError::Fields(fields) => {
            let detail = fields
                .iter()
                .map(|f| input::field_message(&c, f))
                .collect::<Vec<_>>()
                .join("; ");
            message(
                c,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid.title",
                "invalid.text",
                detail,
                back,
            )
        }
        ApiError::VersionRequired | ApiError::TooLarge(_) => message(
            c,
            StatusCode::BAD_REQUEST,
            "invalid.title",
            "invalid.text",
            String::new(),
            back,
        ),
        ApiError::Internal(cause) => {
            tracing::error!(%cause, "page failed");
            message(
                c,
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal.title",
                "internal.text",
                String::new(),
                back,
            )
        }
    }
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFound {
    c: Chrome,
}

/// The page for a code that names nothing.
pub fn not_found(c: Chrome) -> Response {
    let mut response = render(&NotFound { c });
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../templates/style.css"),
    )
}
