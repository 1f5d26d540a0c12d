//! `/api/v1/tasks`: the reviewer's queue and decisions.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use yici_service::cases::{TaskFilter, TaskRow};

use super::body::Body;
use crate::auth::SignedIn;
use crate::params::{Page, Params};
use crate::problem::ApiError;
use crate::state::AppState;

/// A task in a queue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TaskView {
    /// Task id.
    pub id: String,
    /// Case id.
    pub case_id: String,
    /// Matter code.
    pub matter: String,
    /// Matter name (Chinese).
    pub matter_name: String,
    /// Department.
    pub department: String,
    /// Competent region.
    pub region: String,
    /// waiting, open, supplement_requested, approved, denied, blocked, cancelled.
    pub state: String,
    /// Stage.
    pub stage: i64,
    /// none, warning (yellow), overdue (red).
    pub flag: String,
    /// Opened on.
    pub opened_on: Option<String>,
    /// Due on.
    pub deadline: Option<String>,
    /// Decided on.
    pub decided_on: Option<String>,
}

/// A page of tasks.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TaskPage {
    /// Tasks, most urgent first.
    pub items: Vec<TaskView>,
    /// 1-based page.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// Tasks matching in all.
    pub total: u64,
}

fn task_view(state: &AppState, t: TaskRow) -> TaskView {
    let matter_name = yici_core::catalog::MatterCode::parse(&t.matter)
        .ok()
        .and_then(|c| state.catalog().matters.get(&c))
        .map(|m| m.name.zh.to_string())
        .unwrap_or_default();
    TaskView {
        id: t.id,
        case_id: t.case_id,
        matter: t.matter,
        matter_name,
        department: t.department,
        region: t.region,
        state: t.state,
        stage: t.stage,
        flag: t.flag,
        opened_on: t.opened_on,
        deadline: t.deadline,
        decided_on: t.decided_on,
    }
}

/// The task queue. A reviewer sees only their department's tasks in their
/// region, whatever they ask for; supervisors may filter freely.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks",
    params(
        ("department" = Option<String>, Query), ("state" = Option<String>, Query),
        ("region" = Option<String>, Query), ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query),
    ),
    responses((status = 200, body = TaskPage), (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<TaskPage>, ApiError> {
    let desk = state.service().task_queues(&caller)?;
    let page = Page::from_params(&params)?;
    let get = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let filter = TaskFilter {
        department: get("department"),
        region_prefix: get("region"),
        state: get("state"),
        limit: page.per_page,
        offset: page.offset(),
    };
    let (rows, total) = desk.tasks(filter).await?;
    Ok(Json(TaskPage {
        items: rows.into_iter().map(|t| task_view(&state, t)).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}

/// A reviewer's decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// `approve`, `deny` or `supplement`.
    pub outcome: String,
    /// Remark; required for a denial.
    pub comment: Option<String>,
    /// Materials to supplement (outcome `supplement`).
    pub materials: Option<Vec<String>>,
    /// The case version read (optional: a concurrent decision is refused anyway).
    pub version: Option<u64>,
}

/// Decides a task. Of two reviewers deciding at once, one wins; the other
/// gets 409.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/decision", tag = "tasks", request_body = DecisionBody,
    params(("id" = String, Path, description = "task id")),
    responses(
        (status = 200, body = serde_json::Value),
        (status = 409, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn decide(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body<DecisionBody>,
) -> Result<Response, ApiError> {
    let desk = state.service().review(&caller)?;
    let b = body.value;
    let version = match headers.get(header::IF_MATCH) {
        Some(_) => Some(super::case_actions::expected_version(&headers, None)?),
        None => b.version,
    };
    let materials = b.materials.unwrap_or_default();
    let acted = desk
        .decide(&id, version, &b.outcome, &materials, b.comment)
        .await?;
    Ok(super::cases::acted_response(acted))
}
