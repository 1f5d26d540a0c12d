//! 窗口收费 in the pages: a clerk records on the case page that what the
//! case owes was paid at the counter, and on a counter payment's page that
//! its refund was handed back.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::chrome::Chrome;
use super::input::FormData;
use super::render::error_page;
use super::session::{at_desk, signed_form};
use crate::state::AppState;

/// POST /cases/{id}/payments/counter: records a counter payment; back to
/// the case's fees.
pub async fn record(
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
    let method = form.get("method").unwrap_or_default();
    let reference = form.get("reference");
    match desk.record_counter_payment(&id, method, reference).await {
        Ok(_) => Redirect::to(&format!("/cases/{id}#fees")).into_response(),
        Err(e) => error_page(c, e, Some(format!("/cases/{id}#fees"))),
    }
}

/// POST /payments/{id}/refund/counter: records that the refund was handed
/// back; back to the payment.
pub async fn hand_back(
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
    match desk.hand_back_refund(&id).await {
        Ok(_) => Redirect::to(&format!("/my/payments/{id}")).into_response(),
        Err(e) => error_page(c, e, Some(format!("/my/payments/{id}"))),
    }
}
