//! The applicant's and the window's actions on a case's two-way delivery
//! from its page: where the result goes, booking a courier for an
//! original, sending the result. Back to the case, or the case page again
//! with the refusal beside the form's fields.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::case::CaseId;
use yici_service::ServiceError;

use super::case_page::render_case;
use super::chrome::Chrome;
use super::input::{Errors, FormData};
use super::render::{error_page, not_found};
use super::session::{at_desk, signed_form};
use crate::state::AppState;

/// POST /cases/{id}/express/{action}: `delivery` (the applicant's choice
/// of address for the result, `address` empty: the window), `originals`
/// (the applicant books a courier for the original of `material` at
/// `address`) or `ship` (the window sends the issued result).
pub async fn act(
    State(state): State<AppState>,
    c: Chrome,
    Path((id, action)): Path<(String, String)>,
    form: FormData,
) -> Response {
    let me = match signed_form(&c, &form) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let Ok(case_id) = CaseId::parse(&id) else {
        return not_found(c);
    };
    let service = state.service();
    let result = match action.as_str() {
        "delivery" | "originals" => {
            let desk = match at_desk(&c, service.applicant(&me.caller)) {
                Ok(d) => d,
                Err(r) => return *r,
            };
            let address = form.text("address");
            if action == "delivery" {
                let to = Some(address.as_str()).filter(|a| !a.is_empty());
                desk.choose_delivery(&id, to).await.map(|_| ())
            } else {
                let material = form.text("material");
                desk.post_original(&id, &material, &address)
                    .await
                    .map(|_| ())
            }
        }
        "ship" => match at_desk(&c, service.window(&me.caller)) {
            Ok(desk) => desk.ship_result(&id).await.map(|_| ()),
            Err(r) => return *r,
        },
        _ => return not_found(c),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/cases/{id}#parcels")).into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::of(&c, &action, fields);
            render_case(&state, c, &me, &case_id, errors, FormData::default()).await
        }
        Err(e) => error_page(c, e, Some(format!("/cases/{id}"))),
    }
}
