//! The applicant's bookings: the list, one booking with its check-in QR
//! code and history, cancelling it, and moving it (the slot page of
//! `booking.rs` with its form sent here).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use yici_service::ServiceError;
use yici_service::hall::BookingState;

use super::booking::{BookingLine, SlotForm, line, slot_page};
use super::chrome::Chrome;
use super::input::FormData;
use super::pager::Pager;
use super::progress::minute;
use super::render::{error_page, render};
use super::session::{at_desk, need_signed, signed_form};
use crate::params::{Page, Params};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "my_bookings.html")]
struct MyBookings {
    c: Chrome,
    rows: Vec<BookingLine>,
    pager: Pager,
}

/// A line of a booking's history.
struct ChangeLine {
    at: String,
    kind: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "my_booking.html")]
struct MyBooking {
    c: Chrome,
    line: BookingLine,
    code: String,
    qr_svg: String,
    address: String,
    active: bool,
    move_href: String,
    history: Vec<ChangeLine>,
}

/// GET /my/bookings: the applicant's bookings, latest slot first.
pub async fn mine(State(state): State<AppState>, c: Chrome, Params(params): Params) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let page = Page::from_params(&params).unwrap_or(Page {
        page: 1,
        per_page: 20,
    });
    let (list, total) = match desk.my_bookings(page.per_page, page.offset()).await {
        Ok(found) => found,
        Err(e) => return error_page(c, e, None),
    };
    render(&MyBookings {
        rows: list.iter().map(|b| line(&state, &c, b)).collect(),
        pager: Pager::new(page, total, "/my/bookings"),
        c,
    })
}

/// GET /my/bookings/{id}: one booking, its QR code and history.
pub async fn one(State(state): State<AppState>, c: Chrome, Path(id): Path<String>) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let (b, history) = match desk.my_booking(&id).await {
        Ok(found) => found,
        Err(e) => return error_page(c, e, None),
    };
    let qr_svg = match yici_exchange::certificate::qr_svg(&b.code) {
        Ok(svg) => svg,
        Err(e) => return error_page(c, ServiceError::internal(e), None),
    };
    let address = state
        .service()
        .window_area(&b.window)
        .map_or_else(|_| String::new(), |w| w.address.get(c.code()).to_owned());
    render(&MyBooking {
        line: line(&state, &c, &b),
        code: b.code.clone(),
        qr_svg,
        address,
        active: b.state == BookingState::Booked,
        move_href: format!("/book/{}?move={}&day={}", b.window, b.id, b.day),
        history: history
            .into_iter()
            .map(|h| ChangeLine {
                at: minute(h.at_ms),
                kind: c.t.get(&format!("booking.change.{}", h.kind)).to_owned(),
                detail: h.detail,
            })
            .collect(),
        c,
    })
}

/// POST /my/bookings/{id}/cancel.
pub async fn cancel(
    State(state): State<AppState>,
    c: Chrome,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let me = match signed_form(&c, &form) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let back = format!("/my/bookings/{id}");
    match desk.cancel_booking(&id).await {
        Ok(_) => Redirect::to(&back).into_response(),
        Err(e) => error_page(c, e, Some(back)),
    }
}

/// POST /my/bookings/{id}/move: moves to the chosen slot.
pub async fn move_to(
    State(state): State<AppState>,
    c: Chrome,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let me = match signed_form(&c, &form) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let (day, slot) = (form.text("day"), form.text("slot"));
    match desk.move_booking(&id, &day, &slot).await {
        Ok(_) => Redirect::to(&format!("/my/bookings/{id}")).into_response(),
        Err(ServiceError::Invalid(errors)) => {
            let window = match desk.my_booking(&id).await {
                Ok((b, _)) => b.window,
                Err(e) => return error_page(c, e, None),
            };
            let form = SlotForm {
                day: Some(day),
                slot,
                matter: String::new(),
                case_id: String::new(),
                moving: Some(id),
                errors,
            };
            slot_page(&state, c, &window, form).await
        }
        Err(e) => error_page(c, e, Some(format!("/my/bookings/{id}"))),
    }
}
