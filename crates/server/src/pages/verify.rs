//! `/verify`: anyone checks an e-certificate presentation — opened from its
//! QR code (`?presentation=…`) or pasted — and sees, without JavaScript,
//! whether it is valid and exactly what the holder disclosed; or, beside
//! the field, why not. The check is the service's `verify_presentation`, the same as
//! `POST /api/v1/verify`.

use std::collections::HashMap;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::certificates::{
    claim_label, claim_rank, claim_value, date_s, rule_text, status_label, type_name,
};
use super::chrome::Chrome;
use super::input::FormData;
use super::progress;
use super::render::render_status;
use crate::state::AppState;

/// Largest presentation accepted, in bytes.
const MAX_INPUT: usize = 64 * 1024;

/// One disclosed claim.
pub struct Row {
    pub name: String,
    pub label: String,
    pub value: String,
}

/// A presentation that passed every check.
pub struct Outcome {
    pub type_name: String,
    pub vct: String,
    pub issuer: String,
    pub iss: String,
    pub kid: String,
    pub holder: String,
    pub issued: String,
    pub expires: String,
    pub status: String,
    pub rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct Page {
    c: Chrome,
    presentation: String,
    error: Option<String>,
    rule: String,
    outcome: Option<Outcome>,
}

/// The department named by an issuer identifier of this server.
fn issuer_name(state: &AppState, lang: &str, iss: &str) -> String {
    let code = iss.rsplit('/').next().unwrap_or_default();
    if iss == state.service().iss(code) {
        progress::department_name(state, lang, code)
    } else {
        iss.to_owned()
    }
}

async fn answer(state: &AppState, c: Chrome, presentation: String) -> Response {
    let given = presentation.trim().to_owned();
    if given.is_empty() {
        return render_status(
            StatusCode::OK,
            &Page {
                c,
                presentation,
                error: None,
                rule: String::new(),
                outcome: None,
            },
        );
    }
    let result = if given.len() > MAX_INPUT {
        Err((
            "too_long".to_owned(),
            c.t.get("cert_error.too_long").to_owned(),
        ))
    } else {
        state
            .service()
            .verify_presentation(&given)
            .await
            .map_err(|e| (e.rule().to_owned(), rule_text(&c, &e)))
    };
    let lang = c.code();
    let (outcome, error, rule) = match result {
        Ok(v) => {
            let mut rows: Vec<Row> = v
                .disclosed
                .iter()
                .map(|(name, value)| Row {
                    label: claim_label(&c, state, name),
                    value: claim_value(&c, state, name, value),
                    name: name.clone(),
                })
                .collect();
            rows.sort_by_cached_key(|r| claim_rank(&r.name));
            let outcome = Outcome {
                type_name: type_name(state, lang, &v.vct),
                issuer: issuer_name(state, lang, &v.issuer),
                iss: v.issuer,
                vct: v.vct,
                kid: v.kid,
                holder: v.holder.as_str().to_owned(),
                issued: date_s(v.iat),
                expires: date_s(v.exp),
                status: status_label(&c, "valid"),
                rows,
            };
            (Some(outcome), None, String::new())
        }
        Err((rule, text)) => (None, Some(text), rule),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let shown = if presentation.len() > MAX_INPUT {
        String::new()
    } else {
        presentation
    };
    render_status(
        status,
        &Page {
            c,
            presentation: shown,
            error,
            rule,
            outcome,
        },
    )
}

/// GET /verify, with `?presentation=` when opened from a QR code.
/// A query string that cannot be read is checked as an unreadable
/// presentation: the page answers with the error beside the field.
pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let presentation = match query {
        Ok(Query(params)) => params.get("presentation").cloned().unwrap_or_default(),
        Err(_) => "~".to_owned(),
    };
    answer(&state, c, presentation).await
}

/// POST /verify: a pasted presentation.
pub async fn submit(State(state): State<AppState>, c: Chrome, form: FormData) -> Response {
    let presentation = form.get("presentation").unwrap_or_default().to_owned();
    answer(&state, c, presentation).await
}
