//! `GET /api/v1/stats`: what the supervisor watches.

use axum::Json;
use axum::extract::State;
use yici_service::supervision::{Stats, StatsQuery};

use crate::auth::SignedIn;
use crate::params::{Params, RawParams};
use crate::problem::ApiError;
use crate::state::AppState;

/// The figures' period and place from the query.
fn query_of(params: &RawParams) -> StatsQuery {
    StatsQuery {
        from: params.get("from").cloned(),
        to: params.get("to").cloned(),
        department: params.get("department").cloned(),
        region: params.get("region").cloned(),
    }
}

/// Figures for supervisors, filtered by period (submission date),
/// department and region.
#[utoipa::path(get, path = "/api/v1/stats", tag = "supervision",
    params(
        ("from" = Option<String>, Query, description = "YYYY-MM-DD"), ("to" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("department" = Option<String>, Query), ("region" = Option<String>, Query),
    ),
    responses((status = 200, body = Stats), (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn stats(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<Stats>, ApiError> {
    let desk = state.service().supervision(&caller)?;
    Ok(Json(desk.stats(&query_of(&params)).await?))
}
