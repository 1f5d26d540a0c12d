//! Rendering: a template as a page, and the pages that say what went
//! wrong — with the status the API answers for the same error
//! ([`Kind::of`]), so that pages and API never disagree.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use yici_service::ServiceError;

use super::chrome::Chrome;
use super::input;
use super::signed::to_login;
use crate::problem::{Kind, detail};

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

/// The page for an error of a use case that no form can show beside a
/// field, with the status the API answers for the same error
/// ([`Kind::of`]). `back` is where "try again" leads.
pub fn error_page(c: Chrome, e: ServiceError, back: Option<String>) -> Response {
    let status = Kind::of(&e).status;
    let (title, text, detail) = match e {
        ServiceError::Unauthorized => return to_login(&c.path),
        ServiceError::NotFound { .. } => return not_found(c),
        ServiceError::Forbidden(detail) => ("forbidden.title", "forbidden.text", detail),
        ServiceError::VersionConflict { actual } => (
            "conflict.version_title",
            "conflict.version_text",
            c.with_n("conflict.version_detail", actual),
        ),
        ServiceError::StateConflict(detail) => {
            ("conflict.state_title", "conflict.state_text", detail)
        }
        ServiceError::Invalid(fields) => {
            let detail = fields
                .iter()
                .map(|f| input::field_message(&c, f))
                .collect::<Vec<_>>()
                .join("; ");
            ("invalid.title", "invalid.text", detail)
        }
        e @ (ServiceError::VersionRequired | ServiceError::TooLarge(_)) => {
            ("invalid.title", "invalid.text", e.to_string())
        }
        e @ ServiceError::Internal(_) => {
            // Logs the cause; the page says only that it was logged.
            let _ = detail(&e);
            ("internal.title", "internal.text", String::new())
        }
    };
    message(c, status, title, text, detail, back)
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
