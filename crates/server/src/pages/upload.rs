//! Reading what a page's form sends when it may carry files: multipart
//! text parts with a bound on each, and a plain form within the usual body
//! limit on a route whose files lift it.

use axum::body::Body;
use axum::extract::multipart::Field;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::input::FormData;
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
