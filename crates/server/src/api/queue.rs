//! `/api/v1/queue`: the queue of the clerk's window area today: check in a
//! booking by its code, give a walk-in a number, call the next, mark a
//! number served or absent.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use yici_hall::queue::{Arrival, label, waited_minutes};
use yici_service::hall::{QueueDay, QueueTicket};

use super::body::Body;
use super::bookings::BookingView;
use crate::auth::SignedIn;
use crate::problem::ApiError;
use crate::state::AppState;

/// A queue number.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TicketView {
    /// Id.
    pub id: String,
    /// As shown: `Y007` booked, `A007` walk-in.
    pub label: String,
    /// The number.
    pub number: i64,
    /// booked or walk_in.
    pub arrival: String,
    /// The booking checked in with.
    pub booking_id: Option<String>,
    /// waiting, called, done or skipped.
    pub state: String,
    /// Issued at (ms).
    pub issued_ms: i64,
    /// Called at (ms).
    pub called_ms: Option<i64>,
    /// To which counter.
    pub counter: Option<String>,
    /// Minutes waited until called.
    pub waited_minutes: Option<i64>,
}

impl From<QueueTicket> for TicketView {
    fn from(t: QueueTicket) -> Self {
        let arrival = Arrival::parse(&t.arrival).unwrap_or(Arrival::WalkIn);
        TicketView {
            label: label(arrival, t.number),
            waited_minutes: waited_minutes(t.issued_ms, t.called_ms),
            id: t.id,
            number: t.number,
            arrival: t.arrival,
            booking_id: t.booking_id,
            state: t.state.as_str().to_owned(),
            issued_ms: t.issued_ms,
            called_ms: t.called_ms,
            counter: t.counter,
        }
    }
}

/// Today at the clerk's window area.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueView {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Today's bookings, in slot order.
    pub bookings: Vec<BookingView>,
    /// Numbers, in the order they are called.
    pub tickets: Vec<TicketView>,
}

impl From<QueueDay> for QueueView {
    fn from(q: QueueDay) -> Self {
        QueueView {
            day: q.day,
            bookings: q
                .bookings
                .into_iter()
                .map(|b| BookingView::new(b, None))
                .collect(),
            tickets: q.tickets.into_iter().map(TicketView::from).collect(),
        }
    }
}

/// A booking's check-in code.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    /// The code of the booking's QR code.
    pub code: String,
}

/// The counter calling.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallInput {
    /// The counter's name, e.g. `12`.
    pub counter: String,
}

/// How a number ended.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinishInput {
    /// The visitor did not come when called.
    #[serde(default)]
    pub absent: bool,
}

/// What calling did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalledView {
    /// The number called; none when nobody waits.
    pub called: Option<TicketView>,
    /// The id of the counter's number before it, now served.
    pub finished: Option<String>,
}

/// Today's bookings and queue of the clerk's window area.
#[utoipa::path(get, path = "/api/v1/queue", tag = "hall", responses((status = 200, body = QueueView)))]
pub async fn today(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
) -> Result<Json<QueueView>, ApiError> {
    let desk = state.service().window(&caller)?;
    Ok(Json(desk.queue_today().await?.into()))
}

/// Checks in a booked visitor by their booking's code: a `Y` number.
#[utoipa::path(post, path = "/api/v1/queue/check-in", tag = "hall", request_body = CheckInInput,
    responses((status = 201, body = TicketView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn check_in(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    body: Body<CheckInInput>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let desk = state.service().window(&caller)?;
    let t = desk.check_in(&body.value.code).await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

/// Gives a visitor without a booking an `A` number.
#[utoipa::path(post, path = "/api/v1/queue/walk-in", tag = "hall", responses((status = 201, body = TicketView)))]
pub async fn walk_in(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let desk = state.service().window(&caller)?;
    Ok((StatusCode::CREATED, Json(desk.walk_in().await?.into())))
}

/// Calls the next number to a counter, booked visitors first.
#[utoipa::path(post, path = "/api/v1/queue/call", tag = "hall", request_body = CallInput, responses((status = 200, body = CalledView)))]
pub async fn call(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    body: Body<CallInput>,
) -> Result<Json<CalledView>, ApiError> {
    let desk = state.service().window(&caller)?;
    let called = desk.call_next(&body.value.counter).await?;
    Ok(Json(CalledView {
        called: called.ticket.map(TicketView::from),
        finished: called.finished,
    }))
}

/// Marks a called number served, or absent.
#[utoipa::path(post, path = "/api/v1/queue/tickets/{id}/finish", tag = "hall", params(("id" = String, Path)), request_body = FinishInput,
    responses((status = 200, body = TicketView), (status = 409, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn finish(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<FinishInput>,
) -> Result<Json<TicketView>, ApiError> {
    let desk = state.service().window(&caller)?;
    Ok(Json(
        desk.finish_ticket(&id, body.value.absent).await?.into(),
    ))
}
