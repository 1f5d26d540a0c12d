//! `/api/v1/outbox`: the delivery record of messages to departments' own
//! systems, and sending a dead letter again once its receiver is fixed.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use yici_service::supervision::{OutboxEntry, OutboxFilter, OutboxState};

use crate::auth::SignedIn;
use crate::params::{Page, Params};
use crate::problem::ApiError;
use crate::state::AppState;

/// A message's delivery record (its payload, which carries the applicant's
/// form, is not shown).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxView {
    /// Id, also the CloudEvents `id` the receiver saw.
    pub id: String,
    /// Kind of message, e.g. `task.opened`.
    pub topic: String,
    /// Department whose webhook receives it.
    pub destination: String,
    /// pending, delivered or dead.
    pub state: String,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// Written at (ms since the Unix epoch).
    pub created_ms: i64,
    /// Next attempt due at (pending messages).
    pub next_attempt_ms: Option<i64>,
    /// Accepted by the webhook at.
    pub delivered_ms: Option<i64>,
    /// Set aside at.
    pub dead_ms: Option<i64>,
    /// What went wrong the last time.
    pub last_error: Option<String>,
    /// The admin who last sent it again by hand.
    pub retried_by: Option<String>,
    /// When they did.
    pub retried_ms: Option<i64>,
}

impl From<OutboxEntry> for OutboxView {
    fn from(e: OutboxEntry) -> Self {
        let (retried_by, retried_ms) = e.retried.unzip();
        OutboxView {
            next_attempt_ms: (e.state == OutboxState::Pending).then_some(e.next_attempt_ms),
            id: e.id,
            topic: e.topic,
            destination: e.destination,
            state: e.state.as_str().to_owned(),
            attempts: e.attempts,
            created_ms: e.created_ms,
            delivered_ms: e.delivered_ms,
            dead_ms: e.dead_ms,
            last_error: e.last_error,
            retried_by,
            retried_ms,
        }
    }
}

/// A page of messages.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxPage {
    /// Messages, newest first.
    pub items: Vec<OutboxView>,
    /// 1-based page.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// Messages matching in all.
    pub total: u64,
}

/// Messages to departments' webhooks, newest first. Supervisors and admins
/// only; `state=dead` lists the ones that need somebody.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "supervision",
    params(
        ("state" = Option<String>, Query, description = "pending, delivered or dead"),
        ("department" = Option<String>, Query, description = "destination department code"),
        ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query),
    ),
    responses((status = 200, body = OutboxPage), (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<OutboxPage>, ApiError> {
    let desk = state.service().supervision(&caller)?;
    let page = Page::from_params(&params)?;
    let get = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let outbox_state = get("state")
        .map(|s| {
            OutboxState::parse(s).ok_or_else(|| {
                ApiError::invalid(
                    "state",
                    "one_of",
                    format!("{s:?} is not one of pending, delivered, dead"),
                )
            })
        })
        .transpose()?;
    let destination = get("department")
        .map(|d| {
            yici_core::catalog::DepartmentCode::parse(d)
                .map(|c| c.to_string())
                .map_err(|e| ApiError::invalid("department", e.rule(), e.to_string()))
        })
        .transpose()?;
    let filter = OutboxFilter {
        state: outbox_state,
        destination,
        limit: page.per_page,
        offset: page.offset(),
    };
    let (rows, total) = desk.outbox(&filter).await?;
    Ok(Json(OutboxPage {
        items: rows.into_iter().map(OutboxView::from).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}

/// Sends a dead letter again: it becomes pending, due at once, and the
/// next delivery pass tries it. Admins only. A message that is not dead
/// (still pending, or delivered) is a 409: it needs no retry.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "supervision",
    params(("id" = String, Path, description = "message id")),
    responses(
        (status = 200, body = OutboxView),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn retry(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<OutboxView>, ApiError> {
    let entry = state.service().admin(&caller)?.retry_message(&id).await?;
    Ok(Json(entry.into()))
}
