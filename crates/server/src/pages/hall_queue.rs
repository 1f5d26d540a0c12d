//! The clerk's queue page (`/work/hall`): check in a booked visitor by
//! their code, give a walk-in a number, call the next to a counter, mark
//! the called number served or absent; today's bookings beside it. The
//! same use cases as `/api/v1/queue`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yici_hall::queue::{Arrival, label, waited_minutes};
use yici_service::ServiceError;
use yici_service::hall::{QueueTicket, TicketState};

use super::chrome::Chrome;
use super::input::{Errors, FormData};
use super::progress::minute;
use super::render::{error_page, render_status};
use super::session::{at_desk, need_signed, signed_form};
use super::signed::encode;
use crate::params::Params;
use crate::state::AppState;

/// A number on the page.
struct TicketLine {
    id: String,
    label: String,
    issued: String,
    counter: String,
    waited: String,
    state: String,
    state_code: &'static str,
}

/// A booking of today.
struct BookedLine {
    slot: String,
    code: String,
    state: String,
    state_code: &'static str,
}

#[derive(Template)]
#[template(path = "hall_queue.html")]
struct HallQueue {
    c: Chrome,
    window: String,
    day: String,
    counter: String,
    /// The number just issued, to hand over.
    issued: String,
    serving: Vec<TicketLine>,
    waiting: Vec<TicketLine>,
    served: Vec<TicketLine>,
    bookings: Vec<BookedLine>,
    code: String,
    errors: Errors,
}

fn ticket_line(c: &Chrome, t: &QueueTicket) -> TicketLine {
    let arrival = Arrival::parse(&t.arrival).unwrap_or(Arrival::WalkIn);
    TicketLine {
        id: t.id.clone(),
        label: label(arrival, t.number),
        issued: minute(t.issued_ms),
        counter: t.counter.clone().unwrap_or_default(),
        waited: waited_minutes(t.issued_ms, t.called_ms)
            .map_or_else(String::new, |m| c.with_n("hall.minutes", m)),
        state: c
            .t
            .get(&format!("hall.state.{}", t.state.as_str()))
            .to_owned(),
        state_code: t.state.as_str(),
    }
}

/// What the page shows besides the queue: the counter, the number just
/// issued, the code typed and its error.
#[derive(Default)]
struct Shown {
    counter: String,
    issued: String,
    code: String,
    errors: Vec<yici_service::FieldProblem>,
}

async fn page(state: &AppState, c: Chrome, shown: Shown) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().window(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let day = match desk.queue_today().await {
        Ok(d) => d,
        Err(e) => return error_page(c, e, None),
    };
    let pick = |s: TicketState| {
        day.tickets
            .iter()
            .filter(|t| t.state == s)
            .map(|t| ticket_line(&c, t))
            .collect::<Vec<_>>()
    };
    let (serving, waiting) = (pick(TicketState::Called), pick(TicketState::Waiting));
    let mut served = pick(TicketState::Done);
    served.extend(pick(TicketState::Skipped));
    let status = if shown.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let window = state.service().window_area(desk.window()).map_or_else(
        |_| desk.window().to_owned(),
        |w| w.name.get(c.code()).to_owned(),
    );
    let bookings = day
        .bookings
        .iter()
        .map(|b| BookedLine {
            slot: b.slot.clone(),
            code: b.code.clone(),
            state: c
                .t
                .get(&format!("booking.state.{}", b.state.as_str()))
                .to_owned(),
            state_code: b.state.as_str(),
        })
        .collect();
    let errors = Errors::new(&c, shown.errors);
    render_status(
        status,
        &HallQueue {
            window,
            day: day.day.clone(),
            counter: shown.counter,
            issued: shown.issued,
            serving,
            waiting,
            served,
            bookings,
            code: shown.code,
            errors,
            c,
        },
    )
}

/// GET /work/hall: the queue of the clerk's window area today.
pub async fn queue(State(state): State<AppState>, c: Chrome, Params(params): Params) -> Response {
    let get = |k: &str| params.get(k).cloned().unwrap_or_default();
    let shown = Shown {
        counter: get("counter"),
        issued: get("issued"),
        ..Shown::default()
    };
    page(&state, c, shown).await
}

fn back(counter: &str, issued: Option<&str>) -> Response {
    let mut q = format!("/work/hall?counter={}", encode(counter));
    if let Some(i) = issued {
        q.push_str(&format!("&issued={}", encode(i)));
    }
    Redirect::to(&q).into_response()
}

/// POST /work/hall/{action}: `check-in` (a code), `walk-in`, `call` (a counter).
pub async fn act(
    State(state): State<AppState>,
    c: Chrome,
    Path(action): Path<String>,
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
    let counter = form.text("counter");
    let issued = |t: QueueTicket| {
        let arrival = Arrival::parse(&t.arrival).unwrap_or(Arrival::WalkIn);
        label(arrival, t.number)
    };
    let done = match action.as_str() {
        "check-in" => desk
            .check_in(&form.text("code"))
            .await
            .map(|t| Some(issued(t))),
        "walk-in" => desk.walk_in().await.map(|t| Some(issued(t))),
        "call" => desk.call_next(&counter).await.map(|_| None),
        _ => return super::render::not_found(c),
    };
    match done {
        Ok(label) => back(&counter, label.as_deref()),
        Err(ServiceError::Invalid(errors)) => {
            let shown = Shown {
                counter,
                code: form.text("code"),
                errors,
                ..Shown::default()
            };
            page(&state, c, shown).await
        }
        Err(e) => error_page(c, e, Some("/work/hall".into())),
    }
}

/// POST /work/hall/tickets/{id}/finish: served (or `absent=1`).
pub async fn finish(
    State(state): State<AppState>,
    c: Chrome,
    Path(id): Path<String>,
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
    match desk.finish_ticket(&id, form.text("absent") == "1").await {
        Ok(_) => back(&form.text("counter"), None),
        Err(e) => error_page(c, e, Some("/work/hall".into())),
    }
}
