//! The public data exchange: departments fill their data sets, applicants
//! grant or refuse consent for a case, departments read only what their
//! matter may read for a case with consent, and applicants see every read.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use yici_core::catalog::DatasetField;
use yici_service::exchange::ScopeItem;

use super::body::Body;
use super::cases::case_id;
use crate::auth::SignedIn;
use crate::params::{Page, Params};
use crate::problem::ApiError;
use crate::state::AppState;

/// A case's consent: what it covers and its status.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConsentView {
    /// Exactly which fields of which data sets, for which matters, read by which departments.
    #[schema(value_type = Vec<Object>)]
    pub scope: Vec<ScopeItem>,
    /// `none` (not asked yet), `granted`, `refused` or `withdrawn`; `expired` when lapsed.
    pub status: String,
    /// When it lapses (ms), when granted.
    pub expires_ms: Option<i64>,
}

impl From<yici_service::exchange::ConsentView> for ConsentView {
    fn from(v: yici_service::exchange::ConsentView) -> Self {
        ConsentView {
            scope: v.scope,
            status: v.status,
            expires_ms: v.expires_ms,
        }
    }
}

/// What the consent of a case covers, and its status.
#[utoipa::path(get, path = "/api/v1/cases/{id}/consent", tag = "exchange", params(("id" = String, Path)),
    responses((status = 200, body = ConsentView)))]
pub async fn get_consent(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ConsentView>, ApiError> {
    let id = case_id(&id)?;
    let view = state.service().cases(&caller)?.consent(&id).await?;
    Ok(Json(view.into()))
}

/// The applicant's decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    /// true grants, false refuses (the materials are then brought instead).
    pub grant: bool,
}

/// Grants or refuses the reads of a case (the applicant).
#[utoipa::path(post, path = "/api/v1/cases/{id}/consent", tag = "exchange", params(("id" = String, Path)), request_body = ConsentBody,
    responses((status = 200, body = ConsentView)))]
pub async fn post_consent(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<ConsentBody>,
) -> Result<Json<ConsentView>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let id = case_id(&id)?;
    Ok(Json(
        desk.decide_consent(&id, body.value.grant).await?.into(),
    ))
}

/// Withdraws a consent before any read used it.
#[utoipa::path(delete, path = "/api/v1/cases/{id}/consent", tag = "exchange", params(("id" = String, Path)),
    responses((status = 200, body = ConsentView), (status = 409, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn delete_consent(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ConsentView>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let id = case_id(&id)?;
    Ok(Json(desk.withdraw_consent(&id).await?.into()))
}

/// What a department read.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TaskData {
    /// Values by data set, then field; a missing record is null.
    #[schema(value_type = Object)]
    pub datasets: serde_json::Map<String, serde_json::Value>,
}

/// The fields a department asked for with `?fields=dataset.field,…`, by
/// data set; `None` when it asked for everything its matter may read.
fn asked_fields(params: &crate::params::RawParams) -> Result<Option<Vec<DatasetField>>, ApiError> {
    let Some(list) = params.get("fields") else {
        return Ok(None);
    };
    list.split(',')
        .map(|item| {
            DatasetField::parse(item.trim()).map_err(|_| {
                ApiError::invalid(
                    "fields",
                    "dataset_field",
                    format!("{item:?} is not dataset.field; list them comma-separated, e.g. household.resident_id"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Reads, for a task, the shared data its matter may read, under the
/// case's consent: every field it may read, or only those asked for with
/// `?fields=dataset.field,…` (asking for one it may not read is refused
/// whole). Every read is recorded and shown to the data subject.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/data", tag = "exchange",
    params(("id" = String, Path), ("fields" = Option<String>, Query, description = "comma-separated dataset.field")),
    responses((status = 200, body = TaskData), (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn task_data(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    Params(params): Params,
) -> Result<Json<TaskData>, ApiError> {
    let desk = state.service().review(&caller)?;
    let asked = asked_fields(&params)?;
    let datasets = desk.read_task_data(&id, asked.as_deref()).await?;
    Ok(Json(TaskData { datasets }))
}

/// Every read of the caller's data ("who read my data").
#[utoipa::path(get, path = "/api/v1/me/data-reads", tag = "exchange",
    params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)),
    responses((status = 200, body = serde_json::Value)))]
pub async fn my_reads(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<serde_json::Value>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let page = Page::from_params(&params)?;
    let (reads, total) = desk.my_reads(page.per_page, page.offset()).await?;
    Ok(Json(
        serde_json::json!({"items": reads, "page": page.page, "per_page": page.per_page, "total": total}),
    ))
}

fn target_of(state: &AppState, code: &str) -> Result<yici_core::case::Target, ApiError> {
    state.service().target_of(code).ok_or_else(|| {
        ApiError(yici_service::ServiceError::NotFound {
            what: "one-thing or matter",
            id: code.to_owned(),
        })
    })
}

/// The plan of a one-thing or matter for the signed-in applicant: a
/// material the exchange holds no data for is brought instead (`not_held`).
#[utoipa::path(get, path = "/api/v1/me/plan/{code}", tag = "exchange", params(("code" = String, Path)),
    responses((status = 200, body = serde_json::Value)))]
pub async fn my_plan(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
) -> Result<Json<yici_catalog::Plan>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    Ok(Json(
        desk.personal_form(&target_of(&state, &code)?).await?.plan,
    ))
}

/// The form values the exchange pre-fills for the signed-in applicant.
#[utoipa::path(get, path = "/api/v1/me/prefill/{code}", tag = "exchange", params(("code" = String, Path)),
    responses((status = 200, body = serde_json::Value)))]
pub async fn my_prefill(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let form = desk.personal_form(&target_of(&state, &code)?).await?;
    Ok(Json(serde_json::Value::Object(form.prefilled)))
}
