//! Server-rendered pages, in Chinese and English, usable without JavaScript.
//! Every page module takes what it shares from the module that owns it
//! (`chrome`, `render`, `signed`, `input`), never from this one, which only
//! routes.

mod apply;
mod booking;
mod case_action;
mod case_page;
mod certificate_print;
mod certificates;
mod chrome;
mod counter;
mod department;
mod documents;
mod follow_ups;
mod form_fields;
mod guide;
mod hall_queue;
mod input;
mod matter;
mod messages;
mod my;
mod my_bookings;
mod my_reads;
mod one_thing;
mod overview;
mod pager;
mod parcel_actions;
mod parcels;
mod payments;
mod progress;
mod ratings;
mod render;
mod review;
mod session;
mod signed;
mod upload;
mod verify;
mod window;

pub use chrome::Chrome;
pub use render::{not_found, render};
pub use signed::{Signed, csrf_token};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::state::AppState;

/// Routes of the pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(guide::home))
        .route("/search", get(guide::search))
        .route("/matters/{code}", get(matter::page))
        .route("/one-things/{code}", get(one_thing::page))
        .route("/departments", get(department::list))
        .route("/departments/{code}", get(department::page))
        .route("/negative-list", get(department::negative_list))
        .route("/login", get(session::form).post(session::sign_in))
        .route("/logout", post(session::sign_out))
        .route("/my/cases", get(my::cases))
        .route("/my/reads", get(my_reads::page))
        .route("/my/certificates", get(certificates::list))
        .route(
            "/my/certificates/{id}/present",
            post(certificates::present_form),
        )
        .route("/my/certificates/{id}/print", get(certificate_print::print))
        .route(
            "/my/certificates/{id}/print.pdf",
            get(certificate_print::print_pdf),
        )
        .route("/verify", get(verify::show).post(verify::submit))
        .route("/cases/{id}", get(case_page::page))
        .route("/cases/{id}/consent", post(case_action::consent))
        .route(
            "/cases/{id}/materials/{material}",
            // The file streams through; the file limit bounds it.
            post(case_action::give).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/cases/{id}/materials/{material}/reuse",
            post(case_action::reuse),
        )
        .route(
            "/cases/{id}/files/{file}/original-seen",
            post(case_action::original_seen),
        )
        .route("/cases/{id}/{action}", post(case_action::act))
        .route(
            "/one-things/{code}/apply",
            // Files stream through; the service's limits bound them, and
            // a form without files is read within the usual limit.
            get(apply::one_thing_form)
                .post(apply::one_thing_submit)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/matters/{code}/apply",
            get(apply::matter_form)
                .post(apply::matter_submit)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/work/window", get(window::workbench))
        .route(
            "/work/window/new",
            get(window::fields_form).post(window::submit),
        )
        .route("/work/queue", get(review::queue))
        .route("/work/tasks/{id}", get(review::task).post(review::decide))
        .route("/work/overview", get(overview::page))
        .route("/book", get(booking::windows))
        .route("/book/{window}", get(booking::slots).post(booking::book))
        .route("/cases/{id}/pay", post(payments::pay))
        .route("/cases/{id}/payments/counter", post(counter::record))
        .route("/payments/{id}/refund/counter", post(counter::hand_back))
        .route("/my/messages", get(messages::mine))
        .route("/my/messages/{id}/read", post(messages::read))
        .route("/my/payments", get(payments::mine))
        .route("/my/payments/{id}", get(payments::one))
        .route("/my/payments/{id}/receipt", get(payments::receipt))
        .route("/work/payments", get(payments::window))
        .route("/cases/{id}/express/{action}", post(parcel_actions::act))
        .route("/parcels/{id}/{action}", post(parcels::window_action))
        .route("/work/parcels", get(parcels::window))
        .route(
            "/my/addresses",
            get(parcels::addresses).post(parcels::change_address),
        )
        .route(
            "/sandbox/pay/{transaction}",
            get(payments::checkout).post(payments::confirm),
        )
        .route("/my/bookings", get(my_bookings::mine))
        .route("/my/bookings/{id}", get(my_bookings::one))
        .route("/my/bookings/{id}/cancel", post(my_bookings::cancel))
        .route("/my/bookings/{id}/move", post(my_bookings::move_to))
        .route("/ratings", get(ratings::register))
        .route("/my/ratings", get(ratings::mine))
        .route("/my/ratings/{id}/second", post(ratings::second))
        .route("/work/follow-ups", get(follow_ups::follow_ups))
        .route("/work/follow-ups/{id}/{step}", post(follow_ups::step))
        .route(
            "/work/hall/rate/{ticket}",
            get(follow_ups::rate_visit_form).post(follow_ups::rate_visit),
        )
        .route("/work/hall", get(hall_queue::queue))
        .route("/work/hall/tickets/{id}/finish", post(hall_queue::finish))
        .route("/work/hall/{action}", post(hall_queue::act))
        .route("/static/style.css", get(style))
        .layer(axum::middleware::from_fn(remember_lang))
}

/// Keeps the language chosen with `?lang=` in a cookie, so that the links
/// of the page need not carry it.
async fn remember_lang(request: Request, next: Next) -> Response {
    let chosen = request.uri().query().and_then(chrome::query_lang);
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../templates/style.css"),
    )
}
