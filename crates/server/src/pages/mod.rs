//! Server-rendered pages, in Chinese and English, usable without JavaScript.
//!
//! The language comes from `?lang=` (remembered in a cookie), else the
//! `lang` cookie, else the browser's `Accept-Language`, else Chinese.

mod department;
mod guide;
mod matter;
mod one_thing;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::i18n::{Lang, Words};
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
        .route("/static/style.css", get(style))
        .layer(axum::middleware::from_fn(remember_lang))
}

/// What every page shows around its content: language, switch, search box.
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
}

impl<S: Send + Sync> FromRequestParts<S> for Chrome {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
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
        for p in kept {
            switch_href.push('&');
            switch_href.push_str(&p);
        }
        Ok(Chrome {
            lang,
            t: lang.words(),
            switch_href,
            query: String::new(),
            query_error: None,
        })
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
