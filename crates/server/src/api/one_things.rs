//! `/api/v1/one-things`: life and business events and their plans.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use yici_catalog::Plan;
use yici_core::catalog::{OneThing, OneThingCode};

use crate::params::{Page, Paged, Params};
use crate::problem::ApiError;
use crate::state::AppState;

/// A one-thing in a list, with the headline of its plan.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OneThingSummary {
    /// Code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Matters bundled.
    pub matters: usize,
    /// Departments involved.
    pub departments: usize,
    /// Trips with the one-thing.
    pub trips: u32,
    /// Trips with two-way delivery: originals by post, results by express.
    pub trips_with_delivery: u32,
    /// Promised working days with the one-thing.
    pub promised_working_days: u32,
    /// Materials the applicant brings with the one-thing.
    pub materials_to_bring: usize,
}

/// A page of one-things.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OneThingPage {
    /// The one-things of this page.
    pub items: Vec<OneThingSummary>,
    /// 1-based page number.
    pub page: u32,
    /// Items per page.
    pub per_page: u32,
    /// One-things in all.
    pub total: usize,
}

fn summary(one_thing: &OneThing, plan: &Plan) -> OneThingSummary {
    OneThingSummary {
        code: one_thing.code.to_string(),
        name_zh: one_thing.name.zh.to_string(),
        name_en: one_thing.name.en.to_string(),
        matters: one_thing.matters.len(),
        departments: plan.departments.len(),
        trips: plan.trips,
        trips_with_delivery: plan.trips_with_delivery,
        promised_working_days: plan.promised_working_days,
        materials_to_bring: plan.materials.bring.len(),
    }
}

/// Lists one-things.
#[utoipa::path(get, path = "/api/v1/one-things", tag = "catalog",
    params(
        ("page" = Option<u32>, Query, description = "1-based page, default 1"),
        ("per_page" = Option<u32>, Query, description = "1 to 100, default 20"),
    ),
    responses(
        (status = 200, body = OneThingPage),
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<Json<OneThingPage>, ApiError> {
    let page = Page::from_params(&params)?;
    let all: Vec<OneThingSummary> = state
        .catalog()
        .one_things
        .values()
        .filter_map(|o| {
            state
                .service()
                .one_thing_plan(&o.code)
                .map(|p| summary(o, p))
        })
        .collect();
    let Paged {
        items,
        page,
        per_page,
        ..
    } = page.slice(&all);
    Ok(Json(OneThingPage {
        items,
        page,
        per_page,
        total: all.len(),
    }))
}

fn find<'a>(state: &'a AppState, code: &str) -> Result<&'a OneThing, ApiError> {
    OneThingCode::parse(code)
        .ok()
        .and_then(|c| state.catalog().one_things.get(&c))
        .ok_or_else(|| ApiError::not_found("one-thing", code.to_owned()))
}

/// One one-thing as written in the catalog.
#[utoipa::path(get, path = "/api/v1/one-things/{code}", tag = "catalog",
    params(("code" = String, Path, description = "one-thing code")),
    responses(
        (status = 200, description = "the one-thing", body = serde_json::Value),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<OneThing>, ApiError> {
    find(&state, &code).cloned().map(Json)
}

/// The plan of a one-thing: merged form, materials to bring, fetched and
/// internal, parallel stages, promised working days, trips, and the
/// comparison with doing each matter separately.
#[utoipa::path(get, path = "/api/v1/one-things/{code}/plan", tag = "catalog",
    params(("code" = String, Path, description = "one-thing code")),
    responses(
        (status = 200, description = "the plan", body = serde_json::Value),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn plan(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Plan>, ApiError> {
    let one_thing = find(&state, &code)?;
    state
        .service()
        .one_thing_plan(&one_thing.code)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::internal(format!("no plan for one-thing {code}")))
}
