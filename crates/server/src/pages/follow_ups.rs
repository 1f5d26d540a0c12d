//! The units' side of 好差评: a department's or window area's follow-ups
//! of 差评 with the contact and reply forms, the supervisors' late ones
//! (`/work/follow-ups`), and the counter's tablet that rates a served
//! visit (`/work/hall/rate/{ticket}`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::case::Role;
use yici_hall::rating::Level;
use yici_service::ServiceError;

use super::chrome::Chrome;
use super::input::{Errors, FormData};
use super::ratings::{RatingLine, line};
use super::render::{error_page, render, render_status};
use super::session::{at_desk, need_signed, signed_form};
use crate::params::Params;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "follow_ups.html")]
struct FollowUps {
    c: Chrome,
    /// A supervisor's page: the late follow-ups of every unit.
    supervising: bool,
    rows: Vec<RatingLine>,
    /// The refusal of the form of `failed`, in the page's language.
    error: Option<String>,
    failed: String,
}

async fn follow_up_page(
    state: &AppState,
    c: Chrome,
    failed: String,
    errors: Vec<yici_service::FieldProblem>,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let service = state.service();
    let supervising = matches!(me.caller.role(), Role::Supervisor | Role::Admin);
    let list = if supervising {
        match at_desk(&c, service.supervision(&me.caller)) {
            Ok(d) => d.late_follow_ups().await,
            Err(r) => return *r,
        }
    } else {
        match at_desk(&c, service.follow_up_desk(&me.caller)) {
            Ok(d) => d.list(false).await,
            Err(r) => return *r,
        }
    };
    let list = match list {
        Ok(l) => l,
        Err(e) => return error_page(c, e, None),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FollowUps {
        rows: list.iter().map(|r| line(state, &c, r, false)).collect(),
        supervising,
        error: errors.first().map(|e| super::input::field_message(&c, e)),
        failed,
        c,
    };
    render_status(status, &page)
}

/// GET /work/follow-ups: my unit's follow-ups, or (supervisors) the late ones.
pub async fn follow_ups(State(state): State<AppState>, c: Chrome) -> Response {
    follow_up_page(&state, c, String::new(), Vec::new()).await
}

/// POST /work/follow-ups/{id}/{step}: `contact` (note) or `reply` (text).
pub async fn step(
    State(state): State<AppState>,
    c: Chrome,
    Path((id, step)): Path<(String, String)>,
    form: FormData,
) -> Response {
    let me = match signed_form(&c, &form) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().follow_up_desk(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let done = match step.as_str() {
        "contact" => desk.contact(&id, &form.text("text")).await,
        "reply" => desk.reply(&id, &form.text("text")).await,
        _ => return super::render::not_found(c),
    };
    match done {
        Ok(_) => Redirect::to("/work/follow-ups").into_response(),
        // One text box per form: its error sits beside it.
        Err(ServiceError::Invalid(errors)) => follow_up_page(&state, c, id, errors).await,
        Err(e) => error_page(c, e, Some("/work/follow-ups".into())),
    }
}

#[derive(Template)]
#[template(path = "rate_visit.html")]
struct RateVisit {
    c: Chrome,
    ticket: String,
    levels: Vec<(u8, &'static str)>,
    error: Option<String>,
    thanks: bool,
}

fn levels(c: &Chrome) -> Vec<(u8, &'static str)> {
    (1..=5)
        .rev()
        .filter_map(|s| Some((s, Level::of(s)?.name(c.code()))))
        .collect()
}

/// GET /work/hall/rate/{ticket}: the counter's tablet, for the visitor.
pub async fn rate_visit_form(
    c: Chrome,
    Path(ticket): Path<String>,
    Params(params): Params,
) -> Response {
    if let Err(r) = need_signed(&c) {
        return *r;
    }
    render(&RateVisit {
        levels: levels(&c),
        thanks: params.contains_key("thanks"),
        ticket,
        error: None,
        c,
    })
}

/// POST /work/hall/rate/{ticket}: the visitor's rating of the visit.
pub async fn rate_visit(
    State(state): State<AppState>,
    c: Chrome,
    Path(ticket): Path<String>,
    form: FormData,
) -> Response {
    let me = match signed_form(&c, &form) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().window(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let score = form.text("score").parse::<u8>().unwrap_or(0);
    match desk.rate_visit(&ticket, score, &form.text("comment")).await {
        Ok(_) => Redirect::to(&format!("/work/hall/rate/{ticket}?thanks=1")).into_response(),
        Err(ServiceError::Invalid(errors)) => {
            let error = Errors::new(&c, errors).get("score").map(str::to_owned);
            let page = RateVisit {
                levels: levels(&c),
                thanks: false,
                ticket,
                error: error.or_else(|| Some(c.t.get("rule.one_of").to_owned())),
                c,
            };
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => error_page(c, e, Some("/work/hall".into())),
    }
}
