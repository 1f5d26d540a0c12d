//! `/api/v1/windows` and `/api/v1/bookings`: the window areas that take
//! bookings and their open slots (public), and an applicant's bookings:
//! book, read with history, move, cancel.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use yici_service::hall::{Booking, BookingChange, BookingRequest, SlotView};

use super::body::Body;
use crate::auth::SignedIn;
use crate::params::{Page, Params};
use crate::problem::ApiError;
use crate::state::AppState;

/// A window area that takes bookings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WindowView {
    /// Code.
    pub code: String,
    /// Name, zh.
    pub name_zh: String,
    /// Name, en.
    pub name_en: String,
    /// Where it is, zh.
    pub address_zh: String,
    /// Minutes a slot lasts.
    pub slot_minutes: u16,
    /// Bookings one slot takes.
    pub capacity: u32,
    /// Opening spans, `09:00-12:00`.
    pub hours: Vec<String>,
}

/// A slot and the places left in it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SlotOut {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`.
    pub start: String,
    /// Starts at (ms since the Unix epoch).
    pub starts_ms: i64,
    /// Places in all.
    pub capacity: u32,
    /// Places left.
    pub left: u32,
}

impl From<SlotView> for SlotOut {
    fn from(s: SlotView) -> Self {
        SlotOut {
            day: s.day.to_string(),
            start: s.start,
            starts_ms: s.starts_ms,
            capacity: s.capacity,
            left: s.left,
        }
    }
}

/// A booking.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BookingView {
    /// Id.
    pub id: String,
    /// Window area code.
    pub window: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`.
    pub slot: String,
    /// Slot starts (ms).
    pub starts_ms: i64,
    /// Slot ends (ms).
    pub ends_ms: i64,
    /// The case it is for.
    pub case_id: Option<String>,
    /// The matter it is for.
    pub matter: Option<String>,
    /// The check-in code (its QR code carries it).
    pub code: String,
    /// booked, cancelled, checked_in or no_show.
    pub state: String,
    /// Booked at (ms).
    pub created_ms: i64,
    /// Its history, oldest first (in a single booking's answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<ChangeView>>,
}

/// One line of a booking's history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangeView {
    /// When (ms).
    pub at_ms: i64,
    /// Who (user id or `system`).
    pub actor: String,
    /// booked, moved, cancelled, checked_in or no_show.
    pub kind: String,
    /// What changed.
    pub detail: String,
}

impl BookingView {
    pub(crate) fn new(b: Booking, history: Option<Vec<BookingChange>>) -> Self {
        BookingView {
            id: b.id,
            window: b.window,
            day: b.day,
            slot: b.slot,
            starts_ms: b.starts_ms,
            ends_ms: b.ends_ms,
            case_id: b.case_id,
            matter: b.matter,
            code: b.code,
            state: b.state.as_str().to_owned(),
            created_ms: b.created_ms,
            history: history.map(|h| {
                h.into_iter()
                    .map(|c| ChangeView {
                        at_ms: c.at_ms,
                        actor: c.actor,
                        kind: c.kind,
                        detail: c.detail,
                    })
                    .collect()
            }),
        }
    }
}

/// A booking asked for.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingInput {
    /// Window area code.
    pub window: String,
    /// `YYYY-MM-DD`, a working day.
    pub day: String,
    /// `HH:MM`, a slot's start.
    pub slot: String,
    /// One of your cases the visit is for…
    pub case_id: Option<String>,
    /// …or the matter it is for.
    pub matter: Option<String>,
}

/// Where to move a booking.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`.
    pub slot: String,
}

/// A page of bookings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BookingPage {
    /// Bookings, latest slot first.
    pub items: Vec<BookingView>,
    /// 1-based page.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// Bookings in all.
    pub total: u64,
}

/// The window areas that take bookings.
#[utoipa::path(get, path = "/api/v1/windows", tag = "hall", responses((status = 200, body = Vec<WindowView>)))]
pub async fn windows(State(state): State<AppState>) -> Json<Vec<WindowView>> {
    let list = state
        .service()
        .bookable_windows()
        .filter_map(|w| {
            let a = w.appointments.as_ref()?;
            Some(WindowView {
                code: w.code.to_string(),
                name_zh: w.name.zh.to_string(),
                name_en: w.name.en.to_string(),
                address_zh: w.address.zh.to_string(),
                slot_minutes: a.slot_minutes,
                capacity: a.capacity,
                hours: a
                    .hours
                    .iter()
                    .map(|h| {
                        use yici_core::catalog::appointments::clock_text;
                        format!("{}-{}", clock_text(h.opens), clock_text(h.closes))
                    })
                    .collect(),
            })
        })
        .collect();
    Json(list)
}

/// The slots of a day that can still be booked, with the places left.
#[utoipa::path(get, path = "/api/v1/windows/{code}/slots", tag = "hall",
    params(("code" = String, Path), ("day" = String, Query, description = "YYYY-MM-DD")),
    responses((status = 200, body = Vec<SlotOut>), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn slots(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Params(params): Params,
) -> Result<Json<Vec<SlotOut>>, ApiError> {
    let day = params.get("day").map(String::as_str).unwrap_or_default();
    let day = yici_service::hall::parse_day("day", day)?;
    let slots = state.service().open_slots(&code, day).await?;
    Ok(Json(slots.into_iter().map(SlotOut::from).collect()))
}

/// Books a slot (applicants). 422 names the rule: `not_a_working_day`,
/// `outside_opening_hours`, `slot_full`, `already_booked`, `booking_suspended`, ….
#[utoipa::path(post, path = "/api/v1/bookings", tag = "hall", request_body = BookingInput,
    responses((status = 201, body = BookingView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    body: Body<BookingInput>,
) -> Result<(StatusCode, Json<BookingView>), ApiError> {
    let desk = state.service().applicant(&caller)?;
    let b = body.value;
    let req = BookingRequest {
        window: b.window,
        day: b.day,
        slot: b.slot,
        case_id: b.case_id,
        matter: b.matter,
    };
    let booked = desk.book(&req).await?;
    Ok((StatusCode::CREATED, Json(BookingView::new(booked, None))))
}

/// The caller's bookings, latest slot first.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "hall",
    params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)),
    responses((status = 200, body = BookingPage)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<BookingPage>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let page = Page::from_params(&params)?;
    let (items, total) = desk.my_bookings(page.per_page, page.offset()).await?;
    Ok(Json(BookingPage {
        items: items
            .into_iter()
            .map(|b| BookingView::new(b, None))
            .collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}

/// One of the caller's bookings, with its history.
#[utoipa::path(get, path = "/api/v1/bookings/{id}", tag = "hall", params(("id" = String, Path)),
    responses((status = 200, body = BookingView), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<BookingView>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let (b, history) = desk.my_booking(&id).await?;
    Ok(Json(BookingView::new(b, Some(history))))
}

/// Moves a booking to another slot of its window area, until the cut-off.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/move", tag = "hall", params(("id" = String, Path)), request_body = MoveInput,
    responses((status = 200, body = BookingView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn move_to(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<MoveInput>,
) -> Result<Json<BookingView>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let moved = desk
        .move_booking(&id, &body.value.day, &body.value.slot)
        .await?;
    Ok(Json(BookingView::new(moved, None)))
}

/// Cancels a booking, until the cut-off; its place is free again.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/cancel", tag = "hall", params(("id" = String, Path)),
    responses((status = 200, body = BookingView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn cancel(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<BookingView>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let cancelled = desk.cancel_booking(&id).await?;
    Ok(Json(BookingView::new(cancelled, None)))
}
