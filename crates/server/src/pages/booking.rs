//! The applicant's appointments: the window areas that take bookings, the
//! open slots of a day (one form: the slot, what the visit is for), their
//! bookings, and one booking with its check-in QR code, history, cancel
//! and move. The same use cases as `/api/v1/bookings`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::catalog::appointments::clock_text;
use yici_service::ServiceError;
use yici_service::hall::{Booking, BookingRequest, BookingState};

use super::chrome::Chrome;
use super::input::{Errors, FormData};
use super::progress::minute;
use super::render::{error_page, render, render_status};
use super::session::{at_desk, need_signed, signed_form};
use crate::params::{Page, Params};
use crate::state::AppState;

/// A window area in the list.
struct WindowLine {
    code: String,
    name: String,
    address: String,
    hours: String,
}

#[derive(Template)]
#[template(path = "book_windows.html")]
struct BookWindows {
    c: Chrome,
    windows: Vec<WindowLine>,
    /// `?matter=…&case=…` carried on.
    carry: String,
}

/// A day to pick.
struct DayLink {
    day: String,
    href: String,
    current: bool,
}

/// A slot to pick.
struct SlotChoice {
    start: String,
    left: u32,
    checked: bool,
}

/// A matter to pick.
struct MatterChoice {
    code: String,
    name: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "book_slots.html")]
struct BookSlots {
    c: Chrome,
    window: String,
    name: String,
    address: String,
    day: String,
    days: Vec<DayLink>,
    slots: Vec<SlotChoice>,
    matters: Vec<MatterChoice>,
    case_id: String,
    /// Moving this booking instead of making one.
    moving: Option<String>,
    action: String,
    errors: Errors,
    others: Vec<String>,
}

/// One booking as listed.
struct BookingLine {
    id: String,
    when: String,
    window: String,
    purpose: String,
    state: String,
    state_code: &'static str,
}

#[derive(Template)]
#[template(path = "my_bookings.html")]
struct MyBookings {
    c: Chrome,
    rows: Vec<BookingLine>,
    page: u32,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
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

fn window_name(state: &AppState, c: &Chrome, code: &str) -> String {
    state
        .service()
        .window_area(code)
        .map_or_else(|_| code.to_owned(), |w| w.name.get(c.code()).to_owned())
}

fn purpose(state: &AppState, c: &Chrome, b: &Booking) -> String {
    if let Some(m) = b.matter.as_deref() {
        let name = yici_core::catalog::MatterCode::parse(m)
            .ok()
            .and_then(|code| state.service().catalog().matters.get(&code))
            .map_or_else(|| m.to_owned(), |m| m.name.get(c.code()).to_owned());
        return name;
    }
    b.case_id.as_deref().map_or_else(String::new, |id| {
        format!("{} #{}", c.t.get("booking.case"), &id[..8.min(id.len())])
    })
}

fn line(state: &AppState, c: &Chrome, b: &Booking) -> BookingLine {
    BookingLine {
        id: b.id.clone(),
        when: format!("{} {}", b.day, b.slot),
        window: window_name(state, c, &b.window),
        purpose: purpose(state, c, b),
        state: c
            .t
            .get(&format!("booking.state.{}", b.state.as_str()))
            .to_owned(),
        state_code: b.state.as_str(),
    }
}

/// `matter=…&case=…` of the query, to carry on to the next page.
fn carry(params: &crate::params::RawParams) -> String {
    ["matter", "case", "move"]
        .iter()
        .filter_map(|k| {
            params
                .get(*k)
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", super::signed::encode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// GET /book: the window areas that take bookings.
pub async fn windows(State(state): State<AppState>, c: Chrome, Params(params): Params) -> Response {
    let windows = state
        .service()
        .bookable_windows()
        .map(|w| WindowLine {
            code: w.code.to_string(),
            name: w.name.get(c.code()).to_owned(),
            address: w.address.get(c.code()).to_owned(),
            hours: w.appointments.as_ref().map_or_else(String::new, |a| {
                a.hours
                    .iter()
                    .map(|h| format!("{}–{}", clock_text(h.opens), clock_text(h.closes)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        })
        .collect();
    render(&BookWindows {
        windows,
        carry: carry(&params),
        c,
    })
}

/// What the slot page is showing: the form's values and its errors.
struct SlotForm {
    day: Option<String>,
    slot: String,
    matter: String,
    case_id: String,
    moving: Option<String>,
    errors: Vec<yici_service::FieldProblem>,
}

async fn slot_page(state: &AppState, c: Chrome, window: &str, form: SlotForm) -> Response {
    let service = state.service();
    let Ok(area) = service.window_area(window) else {
        return super::render::not_found(c);
    };
    let days = service.booking_days();
    let day = form
        .day
        .clone()
        .filter(|d| days.iter().any(|x| x.to_string() == *d))
        .or_else(|| days.first().map(ToString::to_string))
        .unwrap_or_default();
    let mut base = vec![];
    for (k, v) in [("matter", &form.matter), ("case", &form.case_id)] {
        if !v.is_empty() {
            base.push(format!("{k}={}", super::signed::encode(v)));
        }
    }
    if let Some(m) = &form.moving {
        base.push(format!("move={}", super::signed::encode(m)));
    }
    let slots = match yici_service::hall::parse_day("day", &day) {
        Ok(d) => match service.open_slots(window, d).await {
            Ok(s) => s,
            Err(e) => return error_page(c, e, None),
        },
        Err(_) => Vec::new(),
    };
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let errors = Errors::new(&c, form.errors);
    let others = errors.others("", &["slot", "matter"]);
    let page = BookSlots {
        window: window.to_owned(),
        name: area.name.get(c.code()).to_owned(),
        address: area.address.get(c.code()).to_owned(),
        days: days
            .iter()
            .map(|d| {
                let mut q = base.clone();
                q.push(format!("day={d}"));
                DayLink {
                    day: d.to_string(),
                    href: format!("/book/{window}?{}", q.join("&")),
                    current: d.to_string() == day,
                }
            })
            .collect(),
        slots: slots
            .into_iter()
            .map(|s| SlotChoice {
                checked: s.start == form.slot,
                start: s.start,
                left: s.left,
            })
            .collect(),
        matters: service
            .catalog()
            .matters
            .values()
            .filter(|m| !m.department.to_string().is_empty())
            .map(|m| MatterChoice {
                code: m.code.to_string(),
                name: m.name.get(c.code()).to_owned(),
                selected: m.code.to_string() == form.matter,
            })
            .collect(),
        action: form.moving.as_ref().map_or_else(
            || format!("/book/{window}"),
            |id| format!("/my/bookings/{id}/move"),
        ),
        case_id: form.case_id,
        moving: form.moving,
        day,
        errors,
        others,
        c,
    };
    render_status(status, &page)
}

/// GET /book/{window}: the open slots of a day (`?day=`, default the first
/// bookable day), for `?matter=` or `?case=`, or to move `?move=`.
pub async fn slots(
    State(state): State<AppState>,
    c: Chrome,
    Path(window): Path<String>,
    Params(params): Params,
) -> Response {
    let get = |k: &str| params.get(k).cloned().unwrap_or_default();
    let form = SlotForm {
        day: params.get("day").cloned(),
        slot: String::new(),
        matter: get("matter"),
        case_id: get("case"),
        moving: params.get("move").cloned().filter(|m| !m.is_empty()),
        errors: Vec::new(),
    };
    slot_page(&state, c, &window, form).await
}

/// POST /book/{window}: books the chosen slot.
pub async fn book(
    State(state): State<AppState>,
    c: Chrome,
    Path(window): Path<String>,
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
    let text = |k: &str| Some(form.text(k)).filter(|v| !v.is_empty());
    let req = BookingRequest {
        window: window.clone(),
        day: form.text("day"),
        slot: form.text("slot"),
        case_id: text("case"),
        matter: text("matter"),
    };
    match desk.book(&req).await {
        Ok(b) => Redirect::to(&format!("/my/bookings/{}", b.id)).into_response(),
        Err(ServiceError::Invalid(errors)) => {
            let form = SlotForm {
                day: Some(req.day),
                slot: req.slot,
                matter: req.matter.unwrap_or_default(),
                case_id: req.case_id.unwrap_or_default(),
                moving: None,
                errors,
            };
            slot_page(&state, c, &window, form).await
        }
        Err(e) => error_page(c, e, Some(format!("/book/{window}"))),
    }
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
    let pages = total.div_ceil(u64::from(page.per_page)).max(1);
    let link = |p: u32| format!("/my/bookings?page={p}&per_page={}", page.per_page);
    render(&MyBookings {
        rows: list.iter().map(|b| line(&state, &c, b)).collect(),
        page: page.page,
        pages,
        prev: (page.page > 1).then(|| link(page.page - 1)),
        next: (u64::from(page.page) < pages).then(|| link(page.page + 1)),
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
