//! The JSON API under `/api/v1`, one module per resource, and its OpenAPI
//! document at `/api/openapi.json`.

pub mod departments;
pub mod matters;
pub mod one_things;
pub mod params;
pub mod search;

use axum::routing::get;
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
    ),
    tags((name = "catalog", description = "The public catalog and service guide"))
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
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
