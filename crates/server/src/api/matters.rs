//! `/api/v1/matters`: the catalog's matters and their service guides.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use yici_catalog::Plan;
use yici_core::catalog::{Matter, MatterCode};

use crate::params::{Page, Paged, Params};
use crate::problem::ApiError;
use crate::state::AppState;

/// A matter in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MatterSummary {
    /// Code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Handling department.
    pub department: String,
    /// Promised working days.
    pub promised_limit: u32,
    /// Statutory working days.
    pub statutory_limit: u32,
    /// Trips needed.
    pub trips: u8,
    /// Can be applied for online.
    pub online: bool,
}

impl From<&Matter> for MatterSummary {
    fn from(m: &Matter) -> Self {
        MatterSummary {
            code: m.code.to_string(),
            name_zh: m.name.zh.to_string(),
            name_en: m.name.en.to_string(),
            department: m.department.to_string(),
            promised_limit: m.promised_limit.get(),
            statutory_limit: m.statutory_limit.get(),
            trips: m.trips.count(),
            online: m.online,
        }
    }
}

/// A page of matters.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatterPage {
    /// The matters of this page.
    pub items: Vec<MatterSummary>,
    /// 1-based page number.
    pub page: u32,
    /// Items per page.
    pub per_page: u32,
    /// Matters matching in all.
    pub total: usize,
}

/// Lists matters, optionally of one department.
#[utoipa::path(get, path = "/api/v1/matters", tag = "catalog",
    params(
        ("department" = Option<String>, Query, description = "only this department's matters"),
        ("page" = Option<u32>, Query, description = "1-based page, default 1"),
        ("per_page" = Option<u32>, Query, description = "1 to 100, default 20"),
    ),
    responses(
        (status = 200, body = MatterPage),
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<Json<MatterPage>, ApiError> {
    let page = Page::from_params(&params)?;
    let catalog = state.catalog();
    let department = params.get("department").map(|d| d.trim());
    if let Some(d) = department
        && !catalog.departments.keys().any(|k| k.as_str() == d)
    {
        return Err(ApiError::invalid(
            "department",
            "unknown_department",
            format!("department {d:?} does not exist"),
        ));
    }
    let all: Vec<MatterSummary> = catalog
        .matters
        .values()
        .filter(|m| department.is_none_or(|d| m.department.as_str() == d))
        .map(MatterSummary::from)
        .collect();
    let Paged {
        items,
        page,
        per_page,
        ..
    } = page.slice(&all);
    Ok(Json(MatterPage {
        items,
        page,
        per_page,
        total: all.len(),
    }))
}

fn find<'a>(state: &'a AppState, code: &str) -> Result<&'a Matter, ApiError> {
    MatterCode::parse(code)
        .ok()
        .and_then(|c| state.catalog().matters.get(&c))
        .ok_or_else(|| ApiError::not_found("matter", code.to_owned()))
}

/// One matter with everything its service guide shows.
#[utoipa::path(get, path = "/api/v1/matters/{code}", tag = "catalog",
    params(("code" = String, Path, description = "matter code")),
    responses(
        (status = 200, description = "the matter", body = serde_json::Value),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Matter>, ApiError> {
    find(&state, &code).cloned().map(Json)
}

/// The plan of a single matter (same shape as a one-thing's plan).
#[utoipa::path(get, path = "/api/v1/matters/{code}/plan", tag = "catalog",
    params(("code" = String, Path, description = "matter code")),
    responses(
        (status = 200, description = "the plan", body = serde_json::Value),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn plan(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Plan>, ApiError> {
    let matter = find(&state, &code)?;
    yici_catalog::plan(state.catalog(), matter.code.as_str())
        .map(Json)
        .map_err(|e| ApiError::internal(e.to_string()))
}
