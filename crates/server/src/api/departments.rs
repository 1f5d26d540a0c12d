//! `/api/v1/departments` and `/api/v1/negative-list`.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use yici_core::catalog::DepartmentCode;

use super::matters::MatterSummary;
use crate::problem::ApiError;
use crate::state::AppState;

/// A department.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DepartmentView {
    /// Code, as used in `reviewer-<code>` user names and `?department=`.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Region code of its government.
    pub region: String,
    /// Number of matters it handles.
    pub matters: usize,
}

/// Lists every department.
#[utoipa::path(get, path = "/api/v1/departments", tag = "catalog",
    responses((status = 200, body = Vec<DepartmentView>)))]
pub async fn list(State(state): State<AppState>) -> Json<Vec<DepartmentView>> {
    let catalog = state.catalog();
    Json(
        catalog
            .departments
            .values()
            .map(|d| DepartmentView {
                code: d.code.to_string(),
                name_zh: d.name.zh.to_string(),
                name_en: d.name.en.to_string(),
                region: d.region.to_string(),
                matters: catalog.matters_of(&d.code).count(),
            })
            .collect(),
    )
}

/// A department with its matters.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DepartmentDetail {
    /// The department.
    pub department: DepartmentView,
    /// Its matters.
    pub matters: Vec<MatterSummary>,
}

/// One department and its matters.
#[utoipa::path(get, path = "/api/v1/departments/{code}", tag = "catalog",
    params(("code" = String, Path, description = "department code")),
    responses(
        (status = 200, body = DepartmentDetail),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<DepartmentDetail>, ApiError> {
    let catalog = state.catalog();
    let d = DepartmentCode::parse(&code)
        .ok()
        .and_then(|c| catalog.departments.get(&c))
        .ok_or_else(|| ApiError::not_found("department", code.clone()))?;
    let matters: Vec<MatterSummary> = catalog
        .matters_of(&d.code)
        .map(MatterSummary::from)
        .collect();
    Ok(Json(DepartmentDetail {
        department: DepartmentView {
            code: d.code.to_string(),
            name_zh: d.name.zh.to_string(),
            name_en: d.name.en.to_string(),
            region: d.region.to_string(),
            matters: matters.len(),
        },
        matters,
    }))
}

/// A matter on the negative list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NegativeListItem {
    /// The matter.
    pub matter: MatterSummary,
    /// Why it needs more than one trip, in Chinese.
    pub reason_zh: String,
    /// Why, in English.
    pub reason_en: String,
}

/// The negative list (负面清单): matters that cannot be done in one trip.
#[utoipa::path(get, path = "/api/v1/negative-list", tag = "catalog",
    responses((status = 200, body = Vec<NegativeListItem>)))]
pub async fn negative_list(State(state): State<AppState>) -> Json<Vec<NegativeListItem>> {
    Json(
        state
            .catalog()
            .negative_list()
            .filter_map(|m| match &m.trips {
                yici_core::catalog::Trips::NegativeList { reason, .. } => Some(NegativeListItem {
                    matter: MatterSummary::from(m),
                    reason_zh: reason.zh.to_string(),
                    reason_en: reason.en.to_string(),
                }),
                _ => None,
            })
            .collect(),
    )
}
