//! Booking a visit: the window areas that take bookings and the open slots
//! of a day (one form: the slot, what the visit is for; also the form that
//! moves a booking). The applicant's bookings are `my_bookings.rs`. The
//! same use cases as `/api/v1/bookings`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::catalog::appointments::clock_text;
use yici_service::ServiceError;
use yici_service::hall::{Booking, BookingRequest};

use super::chrome::Chrome;
use super::input::{Errors, FormData};
use super::render::{error_page, render, render_status};
use super::session::{at_desk, signed_form};
use crate::params::Params;
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
pub(super) struct BookingLine {
    pub(super) id: String,
    pub(super) when: String,
    pub(super) window: String,
    pub(super) purpose: String,
    pub(super) state: String,
    pub(super) state_code: &'static str,
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

pub(super) fn line(state: &AppState, c: &Chrome, b: &Booking) -> BookingLine {
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
pub(super) struct SlotForm {
    pub(super) day: Option<String>,
    pub(super) slot: String,
    pub(super) matter: String,
    pub(super) case_id: String,
    pub(super) moving: Option<String>,
    pub(super) errors: Vec<yici_service::FieldProblem>,
}

pub(super) async fn slot_page(
    state: &AppState,
    c: Chrome,
    window: &str,
    form: SlotForm,
) -> Response {
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
