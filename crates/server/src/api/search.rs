//! `/api/v1/search`: find matters and one-things by what people call them.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use yici_catalog::{Hit, MAX_QUERY_LEN};

use crate::params::{Params, number, required_text};
use crate::problem::ApiError;
use crate::state::AppState;

/// Search results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// The query as understood.
    pub query: String,
    /// Hits, best first.
    #[schema(value_type = Vec<Object>)]
    pub hits: Vec<Hit>,
}

/// Searches matters and one-things (Chinese word segmentation, synonyms).
#[utoipa::path(get, path = "/api/v1/search", tag = "catalog",
    params(
        ("q" = String, Query, description = "what the applicant wants to do, e.g. 开饭店"),
        ("limit" = Option<u32>, Query, description = "1 to 50, default 10"),
    ),
    responses(
        (status = 200, body = SearchResults),
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn search(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<Json<SearchResults>, ApiError> {
    let q = required_text(&params, "q", MAX_QUERY_LEN)?;
    let limit = number(&params, "limit", 10, 1, 50)?;
    let hits = state
        .service()
        .search()
        .search(q, limit as usize)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(Json(SearchResults {
        query: q.to_owned(),
        hits,
    }))
}
