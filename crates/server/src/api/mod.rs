//! The JSON API under `/api/v1`, one module per resource, and its OpenAPI
//! document at `/api/openapi.json`.

pub mod body;
pub mod bookings;
pub mod case_actions;
pub mod cases;
pub mod certificates;
pub mod counter;
pub mod departments;
pub mod exchange;
pub mod ledger;
pub mod materials;
pub mod matters;
pub mod messages;
pub mod one_things;
pub mod outbox;
pub mod parcels;
pub mod payments;
pub mod queue;
pub mod ratings;
pub mod records;
pub mod search;
pub mod sessions;
pub mod stats;
pub mod tasks;

use axum::routing::{get, post, put};
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::state::AppState;

/// The OpenAPI description of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "yici API",
        description = "最多跑一次: the catalog, one-thing plans and search of a government service platform. Errors are RFC 9457 application/problem+json."
    ),
    paths(
        matters::list,
        matters::get,
        matters::plan,
        one_things::list,
        one_things::get,
        one_things::plan,
        search::search,
        departments::list,
        departments::get,
        departments::negative_list,
        sessions::create,
        sessions::me,
        cases::create,
        cases::get,
        cases::list,
        case_actions::act,
        tasks::list,
        tasks::decide,
        stats::stats,
        outbox::list,
        outbox::retry,
        ledger::key,
        ledger::head,
        ledger::inclusion,
        ledger::consistency,
        ledger::receipts,
        records::put,
        records::import,
        exchange::get_consent,
        exchange::post_consent,
        exchange::delete_consent,
        exchange::task_data,
        exchange::my_reads,
        exchange::my_plan,
        exchange::my_prefill,
        materials::give,
        materials::list,
        materials::materials,
        materials::open,
        materials::my_views,
        materials::offers,
        materials::reuse,
        materials::original_seen,
        materials::archive,
        certificates::issuer_metadata,
        certificates::rotate,
        certificates::status_list,
        certificates::mine,
        certificates::presentation,
        certificates::set_status,
        certificates::verify_presentation,
        bookings::windows,
        bookings::slots,
        bookings::create,
        bookings::list,
        bookings::get,
        bookings::move_to,
        bookings::cancel,
        queue::today,
        queue::check_in,
        queue::walk_in,
        queue::call,
        queue::finish,
        ratings::register,
        ratings::figures,
        ratings::mine,
        ratings::second,
        ratings::follow_ups,
        ratings::contact,
        ratings::reply,
        ratings::late,
        ratings::rate_visit,
        messages::mine,
        messages::read,
        payments::fees,
        payments::pay,
        payments::mine,
        payments::window,
        payments::get,
        payments::receipt,
        payments::notify,
        payments::notices,
        payments::sandbox_query,
        counter::record,
        counter::hand_back,
        parcels::addresses,
        parcels::add_address,
        parcels::update_address,
        parcels::remove_address,
        parcels::choose,
        parcels::tracking,
        parcels::ship,
        parcels::post_original,
        parcels::receive,
        parcels::give_back,
        parcels::window,
        parcels::notify,
        parcels::callbacks,
    ),
    tags(
        (name = "catalog", description = "The public catalog and service guide"),
        (name = "auth", description = "Sessions: POST /sessions gives a bearer token"),
        (name = "express", description = "Two-way delivery: address book, results by express, originals by post, carrier callbacks"),
        (name = "cases", description = "Applications, from submission to delivery and rating"),
        (name = "tasks", description = "Departments' back-office queues and decisions"),
        (name = "supervision", description = "Time limits, trips and ratings"),
        (name = "exchange", description = "Shared data sets, consent, purpose-bound reads and who read my data"),
        (name = "certificates", description = "E-certificates as SD-JWT VCs: keys, status lists, presentations, verification"),
        (name = "payments", description = "统一支付: a case's fees, paying online through the provider, receipts (SD-JWT VC), the provider's signed notices and the sandbox provider's query"),
        (name = "hall", description = "The service hall: window areas, bookings (预约), the queue at the window (取号 / 叫号), ratings (好差评) and their follow-ups"),
        (name = "ledger", description = "The tamper-evident log: RFC 6962 proofs and Ed25519-signed tree heads"),
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// Routes of the API.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/matters", get(matters::list))
        .route("/api/v1/matters/{code}", get(matters::get))
        .route("/api/v1/matters/{code}/plan", get(matters::plan))
        .route("/api/v1/one-things", get(one_things::list))
        .route("/api/v1/one-things/{code}", get(one_things::get))
        .route("/api/v1/one-things/{code}/plan", get(one_things::plan))
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/departments", get(departments::list))
        .route("/api/v1/departments/{code}", get(departments::get))
        .route("/api/v1/negative-list", get(departments::negative_list))
        .route("/api/v1/sessions", post(sessions::create))
        .route("/api/v1/me", get(sessions::me))
        .route("/api/v1/cases", post(cases::create).get(cases::list))
        .route("/api/v1/cases/{id}", get(cases::get))
        .route("/api/v1/cases/{id}/{action}", post(case_actions::act))
        .route("/api/v1/tasks", get(tasks::list))
        .route("/api/v1/tasks/{id}/decision", post(tasks::decide))
        .route("/api/v1/stats", get(stats::stats))
        .route("/api/v1/outbox", get(outbox::list))
        .route("/api/v1/outbox/{id}/retry", post(outbox::retry))
        .route("/api/v1/ledger/key", get(ledger::key))
        .route("/.well-known/yici-ledger-key", get(ledger::key))
        .route("/api/v1/ledger/head", get(ledger::head))
        .route("/api/v1/ledger/proof/inclusion", get(ledger::inclusion))
        .route("/api/v1/ledger/proof/consistency", get(ledger::consistency))
        .route("/api/v1/cases/{id}/receipts", get(ledger::receipts))
        .route(
            "/api/v1/datasets/{code}/records/{subject}",
            put(records::put),
        )
        .route("/api/v1/datasets/{code}/import", post(records::import))
        .route(
            "/api/v1/cases/{id}/consent",
            get(exchange::get_consent)
                .post(exchange::post_consent)
                .delete(exchange::delete_consent),
        )
        .route("/api/v1/tasks/{id}/data", get(exchange::task_data))
        .route("/api/v1/me/data-reads", get(exchange::my_reads))
        .route("/api/v1/me/plan/{code}", get(exchange::my_plan))
        .route("/api/v1/me/prefill/{code}", get(exchange::my_prefill))
        .route(
            "/.well-known/jwt-vc-issuer/departments/{code}",
            get(certificates::issuer_metadata),
        )
        .route(
            "/api/v1/departments/{code}/keys/rotate",
            post(certificates::rotate),
        )
        .route(
            "/api/v1/status-lists/{code}",
            get(certificates::status_list),
        )
        .route("/api/v1/me/certificates", get(certificates::mine))
        .route(
            "/api/v1/certificates/{id}/presentations",
            post(certificates::presentation),
        )
        .route(
            "/api/v1/certificates/{id}/status",
            post(certificates::set_status),
        )
        .route("/api/v1/verify", post(certificates::verify_presentation))
        .route(
            "/api/v1/cases/{id}/materials/{material}/files",
            // The body is the file, streamed through and bounded by the
            // file limit as it is read, not by the JSON bodies' limit.
            post(materials::give).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/api/v1/cases/{id}/files", get(materials::list))
        .route("/api/v1/cases/{id}/materials", get(materials::materials))
        .route("/api/v1/cases/{id}/archive", get(materials::archive))
        .route("/api/v1/files/{id}", get(materials::open))
        .route(
            "/api/v1/cases/{id}/materials/{material}/offers",
            get(materials::offers),
        )
        .route(
            "/api/v1/cases/{id}/materials/{material}/reuse",
            post(materials::reuse),
        )
        .route(
            "/api/v1/files/{id}/original-seen",
            post(materials::original_seen),
        )
        .route("/api/v1/me/document-views", get(materials::my_views))
        .route("/api/v1/windows", get(bookings::windows))
        .route("/api/v1/windows/{code}/slots", get(bookings::slots))
        .route(
            "/api/v1/bookings",
            post(bookings::create).get(bookings::list),
        )
        .route("/api/v1/bookings/{id}", get(bookings::get))
        .route("/api/v1/bookings/{id}/move", post(bookings::move_to))
        .route("/api/v1/bookings/{id}/cancel", post(bookings::cancel))
        .route("/api/v1/queue", get(queue::today))
        .route("/api/v1/queue/check-in", post(queue::check_in))
        .route("/api/v1/queue/walk-in", post(queue::walk_in))
        .route("/api/v1/queue/call", post(queue::call))
        .route("/api/v1/queue/tickets/{id}/finish", post(queue::finish))
        .route(
            "/api/v1/queue/tickets/{id}/rating",
            post(ratings::rate_visit),
        )
        .route("/api/v1/ratings", get(ratings::register))
        .route("/api/v1/ratings/figures", get(ratings::figures))
        .route("/api/v1/ratings/{id}/second", post(ratings::second))
        .route("/api/v1/me/ratings", get(ratings::mine))
        .route("/api/v1/follow-ups", get(ratings::follow_ups))
        .route("/api/v1/follow-ups/late", get(ratings::late))
        .route("/api/v1/follow-ups/{id}/contact", post(ratings::contact))
        .route("/api/v1/follow-ups/{id}/reply", post(ratings::reply))
        .route("/api/v1/me/messages", get(messages::mine))
        .route("/api/v1/me/messages/{id}/read", post(messages::read))
        .route("/api/v1/cases/{id}/fees", get(payments::fees))
        .route("/api/v1/cases/{id}/payments", post(payments::pay))
        .route("/api/v1/me/payments", get(payments::mine))
        .route("/api/v1/payments", get(payments::window))
        .route("/api/v1/payments/notify", post(payments::notify))
        .route("/api/v1/payments/notices", get(payments::notices))
        .route("/api/v1/payments/{id}", get(payments::get))
        .route("/api/v1/payments/{id}/receipt", get(payments::receipt))
        .route("/api/v1/cases/{id}/payments/counter", post(counter::record))
        .route(
            "/api/v1/payments/{id}/refund/counter",
            post(counter::hand_back),
        )
        .route(
            "/sandbox/pay/api/orders/{order}",
            get(payments::sandbox_query),
        )
        .route(
            "/api/v1/me/addresses",
            get(parcels::addresses).post(parcels::add_address),
        )
        .route(
            "/api/v1/me/addresses/{id}",
            put(parcels::update_address).delete(parcels::remove_address),
        )
        .route("/api/v1/cases/{id}/delivery", put(parcels::choose))
        .route(
            "/api/v1/cases/{id}/parcels",
            get(parcels::tracking).post(parcels::ship),
        )
        .route("/api/v1/cases/{id}/originals", post(parcels::post_original))
        .route("/api/v1/parcels", get(parcels::window))
        .route("/api/v1/parcels/notify", post(parcels::notify))
        .route("/api/v1/parcels/callbacks", get(parcels::callbacks))
        .route("/api/v1/parcels/{id}/receive", post(parcels::receive))
        .route("/api/v1/parcels/{id}/return", post(parcels::give_back))
}

/// Declares the bearer-token scheme of the API.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
