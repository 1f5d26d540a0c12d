//! Reading what a page's form sends when it may carry files: multipart
//! text parts with a bound on each, files checked and staged as they
//! stream in, and a plain form within the usual body limit on a route
//! whose files lift it.

use axum::body::Body;
use axum::extract::multipart::Field;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use yici_core::case::Target;
use yici_service::gate::ApplicantDesk;
use yici_service::materials::{GivenFile, Prepared};
use yici_service::{FieldProblem, Service, ServiceError};

use super::chrome::Chrome;
use super::input::FormData;
use super::render::error_page;
use super::session::check_csrf;
use super::signed::Signed;
use crate::MAX_BODY_BYTES;

/// The longest text part of a multipart form, in bytes.
const MAX_TEXT: usize = 64 * 1024;

/// Whether `req` is a multipart form.
pub fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// A text part of a multipart form, at most [`MAX_TEXT`] bytes of UTF-8.
pub async fn text(mut field: Field<'_>) -> Result<String, String> {
    let name = field.name().unwrap_or_default().to_owned();
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| e.body_text())? {
        if bytes.len() + chunk.len() > MAX_TEXT {
            return Err(format!("{name}: longer than {MAX_TEXT} bytes"));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8"))
}

/// A plain form, read within [`MAX_BODY_BYTES`] although the route lifts
/// the limit for files.
pub async fn small_form<S: Send + Sync>(req: Request, state: &S) -> Result<FormData, Response> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
    FormData::from_request(Request::from_parts(parts, Body::from(bytes)), state).await
}

/// What a submitted application page sends: its fields, and the files
/// prepared for its materials (or why some were refused).
pub struct Sent {
    /// The form's text fields.
    pub values: FormData,
    /// The files checked and staged.
    pub files: Vec<Prepared>,
    /// Why some were refused (then the rest were not read).
    pub refused: Vec<FieldProblem>,
}

/// Reads a multipart application: the form's fields (the `csrf` first, as
/// the page puts it) and a file part `file.KEY` per file given for
/// material KEY, each checked and staged as it streams in. Files stop at
/// the first refusal of the case's limits.
pub async fn read_multipart(
    service: &Service,
    c: &Chrome,
    me: &Signed,
    desk: &ApplicantDesk<'_>,
    target: &Target,
    mut form: Multipart,
) -> Result<Sent, Box<Response>> {
    let mut sent = Sent {
        values: FormData::default(),
        files: Vec::new(),
        refused: Vec::new(),
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(sent),
            Err(e) => {
                service.discard_prepared(sent.files).await;
                return Err(Box::new(bad_form(c, &e.to_string())));
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let Some(material) = name.strip_prefix("file.") else {
            match text(field).await {
                Ok(text) => sent.values.0.push((name, text)),
                Err(e) => {
                    service.discard_prepared(sent.files).await;
                    return Err(Box::new(bad_form(c, &e)));
                }
            }
            continue;
        };
        // Nothing is staged for a form that is not the applicant's own.
        if let Err(r) = check_csrf(c, me, &sent.values) {
            service.discard_prepared(sent.files).await;
            return Err(r);
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        if file_name.is_empty() || !sent.refused.is_empty() {
            continue; // an input left empty, or the form is refused anyway
        }
        let material = material.to_owned();
        let given = GivenFile {
            name: file_name,
            media_type: field.content_type().map(str::to_owned),
            body: field,
        };
        match desk.prepare_file(target, &material, given).await {
            Ok(p) => {
                sent.files.push(p);
                if let Err(ServiceError::Invalid(problems)) = desk.check_room(&sent.files) {
                    sent.refused.extend(problems);
                }
            }
            Err(ServiceError::Invalid(problems)) => sent.refused.extend(problems),
            Err(e) => {
                service.discard_prepared(sent.files).await;
                return Err(Box::new(error_page(c.clone(), e, None)));
            }
        }
    }
}

/// A form the server could not read.
pub fn bad_form(c: &Chrome, why: &str) -> Response {
    error_page(
        c.clone(),
        ServiceError::invalid("form", "unreadable", why.to_owned()),
        None,
    )
}
