//! `/api/v1/cases/{id}/payments/counter` and
//! `/api/v1/payments/{id}/refund/counter`: 窗口收费, a fee paid at the
//! window's counter recorded by the clerk, and the refund of such a
//! payment handed back there.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::body::Body;
use super::payments::{PaymentView, view};
use crate::auth::SignedIn;
use crate::problem::ApiError;
use crate::state::AppState;

/// A payment taken at the counter.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterInput {
    /// `cash`, `card` or `terminal` (the counter's own payment terminal).
    pub method: String,
    /// The card slip's or terminal's reference, at most 64 characters.
    #[serde(default)]
    pub reference: Option<String>,
}

/// Records that everything the case owes was paid at the counter (clerks
/// of the case's city): the payment is made at once, with its receipt; an
/// online case that waited only for the fee is accepted.
#[utoipa::path(post, path = "/api/v1/cases/{id}/payments/counter", tag = "payments", request_body = CounterInput, params(("id" = String, Path)),
    responses((status = 201, body = PaymentView), (status = 403, body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn record(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<CounterInput>,
) -> Result<(StatusCode, Json<PaymentView>), ApiError> {
    let (order, refund) = state
        .service()
        .window(&caller)?
        .record_counter_payment(&id, &body.value.method, body.value.reference.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(view(order, refund))))
}

/// Records that the refund of a counter payment was handed back at the
/// counter (clerks of the case's city): the payment is refunded and its
/// fees are owed again.
#[utoipa::path(post, path = "/api/v1/payments/{id}/refund/counter", tag = "payments", params(("id" = String, Path)),
    responses((status = 200, body = PaymentView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn hand_back(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<PaymentView>, ApiError> {
    let (order, refund) = state
        .service()
        .window(&caller)?
        .hand_back_refund(&id)
        .await?;
    Ok(Json(view(order, refund)))
}
