//! The public data exchange: departments fill their data sets, applicants
//! grant or refuse consent for a case, departments read only what their
//! matter may read for a case with consent, and applicants see every read.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use yici_core::case::{EventKind, Role, TaskId};
use yici_store::exchange::{Consent, DataRead, SideEvent};

use super::body::Body;
use super::cases::case_id;
use super::params::{Page, Params};
use crate::auth::Caller;
use crate::authz;
use crate::consent::{ScopeItem, readable, scope};
use crate::problem::ApiError;
use crate::state::AppState;

/// How long a consent lasts: a case is decided well within it.
pub const CONSENT_MS: i64 = 30 * 24 * 60 * 60 * 1000;

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

async fn viewable(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<yici_store::StoredCase, ApiError> {
    let id = case_id(id)?;
    let stored = state.store().case(&id).await?;
    stored
        .filter(|s| authz::may_view(caller, s))
        .ok_or_else(|| ApiError::NotFound {
            what: "case",
            id: id.to_string(),
        })
}

fn status_of(c: Option<&Consent>, now: i64) -> String {
    match c {
        None => "none".into(),
        Some(c) if c.status == "granted" && c.expires_ms <= now => "expired".into(),
        Some(c) => c.status.clone(),
    }
}

/// What the consent of a case covers, and its status.
#[utoipa::path(get, path = "/api/v1/cases/{id}/consent", tag = "exchange", params(("id" = String, Path)),
    responses((status = 200, body = ConsentView)))]
pub async fn get_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ConsentView>, ApiError> {
    Ok(Json(consent_of(&state, &caller, &id).await?))
}

/// What the consent of case `id` covers and its status, for a caller who
/// may view the case (the API's GET and the case page).
pub async fn consent_of(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<ConsentView, ApiError> {
    let stored = viewable(state, caller, id).await?;
    let current = state.store().consent(&stored.case.id).await?;
    Ok(ConsentView {
        scope: scope(state, &stored.case, &stored.owner).await?,
        status: status_of(current.as_ref(), state.clock().now_ms()),
        expires_ms: current
            .filter(|c| c.status == "granted")
            .map(|c| c.expires_ms),
    })
}

/// The applicant grants (`true`) or refuses the reads of case `id` (the
/// API's POST and the case page's buttons).
pub async fn grant_or_refuse(
    state: &AppState,
    caller: &Caller,
    id: &str,
    grant: bool,
) -> Result<ConsentView, ApiError> {
    let (status, kind) = if grant {
        ("granted", EventKind::ConsentGranted)
    } else {
        ("refused", EventKind::ConsentRefused)
    };
    decide(state, caller, id, status, kind).await
}

/// The applicant's decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    /// true grants, false refuses (the materials are then brought instead).
    pub grant: bool,
}

async fn decide(
    state: &AppState,
    caller: &Caller,
    id: &str,
    status: &str,
    kind: EventKind,
) -> Result<ConsentView, ApiError> {
    caller.require(&[Role::Applicant])?;
    let stored = viewable(state, caller, id).await?;
    let items = scope(state, &stored.case, &stored.owner).await?;
    let now = state.clock().now_ms();
    let consent = Consent {
        id: Uuid::now_v7().to_string(),
        case_id: stored.case.id.to_string(),
        subject: stored.owner.clone(),
        scope: serde_json::to_string(&items).map_err(|e| ApiError::Internal(e.to_string()))?,
        status: status.to_owned(),
        decided_ms: now,
        expires_ms: now + CONSENT_MS,
    };
    let event = SideEvent {
        kind,
        actor: caller.user.id.clone(),
        role: Role::Applicant,
        on: state.clock().today(),
        data: serde_json::json!({"consent": consent.id, "scope": items}),
    };
    state.store().record_consent(&consent, event).await?;
    Ok(ConsentView {
        status: consent.status.clone(),
        expires_ms: (status == "granted").then_some(consent.expires_ms),
        scope: items,
    })
}

/// Grants or refuses the reads of a case (the applicant).
#[utoipa::path(post, path = "/api/v1/cases/{id}/consent", tag = "exchange", params(("id" = String, Path)), request_body = ConsentBody,
    responses((status = 200, body = ConsentView)))]
pub async fn post_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body<ConsentBody>,
) -> Result<Json<ConsentView>, ApiError> {
    Ok(Json(
        grant_or_refuse(&state, &caller, &id, body.value.grant).await?,
    ))
}

/// Withdraws a consent before any read used it.
#[utoipa::path(delete, path = "/api/v1/cases/{id}/consent", tag = "exchange", params(("id" = String, Path)),
    responses((status = 200, body = ConsentView), (status = 409, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn delete_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ConsentView>, ApiError> {
    caller.require(&[Role::Applicant])?;
    let stored = viewable(&state, &caller, &id).await?;
    let current = state.store().consent(&stored.case.id).await?;
    let Some(current) = current.filter(|c| c.status == "granted") else {
        return Err(ApiError::StateConflict(
            "there is no granted consent to withdraw".into(),
        ));
    };
    let (reads, _) = state.store().reads_of(&stored.owner, 1000, 0).await?;
    if reads.iter().any(|r| r.consent_id == current.id) {
        return Err(ApiError::StateConflict(
            "the consent was already used for a read and can no longer be withdrawn".into(),
        ));
    }
    Ok(Json(
        decide(
            &state,
            &caller,
            &id,
            "withdrawn",
            EventKind::ConsentWithdrawn,
        )
        .await?,
    ))
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
fn asked_fields(
    params: &super::params::RawParams,
) -> Result<Option<Vec<(String, String)>>, ApiError> {
    let Some(list) = params.get("fields") else {
        return Ok(None);
    };
    list.split(',')
        .map(|item| match item.trim().split_once('.') {
            Some((d, f)) if !d.is_empty() && !f.is_empty() => Ok((d.to_owned(), f.to_owned())),
            _ => Err(ApiError::invalid(
                "fields",
                "dataset_field",
                format!("{item:?} is not dataset.field; list them comma-separated, e.g. household.resident_id"),
            )),
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
    caller: Caller,
    Path(id): Path<String>,
    Params(params): Params,
) -> Result<Json<TaskData>, ApiError> {
    caller.require(&[Role::Reviewer])?;
    let asked = asked_fields(&params)?;
    let not_found = || ApiError::NotFound {
        what: "task",
        id: id.clone(),
    };
    let task_id = TaskId::parse(&id).map_err(|_| not_found())?;
    let stored = state
        .store()
        .case_of_task(&id)
        .await?
        .ok_or_else(not_found)?;
    let task = stored.case.task(task_id).ok_or_else(not_found)?.clone();
    if caller.user.department.as_deref() != Some(task.department.as_str())
        || !caller
            .user
            .region
            .as_deref()
            .is_some_and(|r| authz::within(&task.region.to_string(), r))
    {
        return Err(ApiError::Forbidden(
            "this task is outside your department's queue".into(),
        ));
    }
    let now = state.clock().now_ms();
    let consent = state.store().consent(&stored.case.id).await?;
    let Some(consent) = consent.filter(|c| c.status == "granted" && c.expires_ms > now) else {
        return Err(ApiError::Forbidden(
            "the applicant has not granted consent for this case (or it lapsed or was withdrawn)"
                .into(),
        ));
    };
    let items: Vec<ScopeItem> =
        serde_json::from_str(&consent.scope).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(asked) = &asked {
        for (dataset, field) in asked {
            if !readable(&state, &items, dataset, task.matter.as_str()).contains(field) {
                return Err(ApiError::Forbidden(format!(
                    "matter {} may not read {dataset}.{field} under this case's consent",
                    task.matter
                )));
            }
        }
    }
    let mut out = serde_json::Map::new();
    let mut reads = Vec::new();
    for item in &items {
        let mut fields = readable(&state, &items, &item.dataset, task.matter.as_str());
        if let Some(asked) = &asked {
            fields.retain(|f| asked.iter().any(|(d, a)| *d == item.dataset && a == f));
        }
        if fields.is_empty() {
            continue;
        }
        let record = state.store().record(&item.dataset, &stored.owner).await?;
        let values: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .map(|f| {
                (
                    f.clone(),
                    record
                        .as_ref()
                        .and_then(|r| r.get(f))
                        .cloned()
                        .unwrap_or(serde_json::Value::Null),
                )
            })
            .collect();
        let read = DataRead {
            id: Uuid::now_v7().to_string(),
            case_id: stored.case.id.to_string(),
            subject: stored.owner.clone(),
            dataset: item.dataset.clone(),
            fields: serde_json::to_string(&fields)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            matter: task.matter.to_string(),
            department: task.department.to_string(),
            consent_id: consent.id.clone(),
            actor: caller.user.id.clone(),
            at_ms: now,
        };
        let event = SideEvent {
            kind: EventKind::DataRead,
            actor: caller.user.id.clone(),
            role: Role::Reviewer,
            on: state.clock().today(),
            data: serde_json::json!({"dataset": item.dataset, "fields": fields, "matter": task.matter, "department": task.department, "consent": consent.id}),
        };
        reads.push((read, event));
        out.insert(item.dataset.clone(), serde_json::Value::Object(values));
    }
    if out.is_empty() {
        return Err(ApiError::Forbidden(format!(
            "matter {} may read no shared data of this case",
            task.matter
        )));
    }
    state.store().record_reads(reads).await?;
    Ok(Json(TaskData { datasets: out }))
}

/// One read, as the data subject sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReadView {
    /// When (ms).
    pub at_ms: i64,
    /// Which department.
    pub department: String,
    /// Which data set.
    pub dataset: String,
    /// Which fields.
    pub fields: Vec<String>,
    /// For which case.
    pub case_id: String,
    /// For which matter.
    pub matter: String,
}

/// Every read of the caller's data ("who read my data").
#[utoipa::path(get, path = "/api/v1/me/data-reads", tag = "exchange",
    params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)),
    responses((status = 200, body = serde_json::Value)))]
pub async fn my_reads(
    State(state): State<AppState>,
    caller: Caller,
    Params(params): Params,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(&[Role::Applicant])?;
    let page = Page::from_params(&params)?;
    let subject = caller.user.subject.clone().unwrap_or_default();
    let offset = u64::from(page.page - 1) * u64::from(page.per_page);
    let (reads, total) = state
        .store()
        .reads_of(&subject, page.per_page, offset)
        .await?;
    let items: Vec<ReadView> = reads
        .into_iter()
        .map(|r| ReadView {
            at_ms: r.at_ms,
            department: r.department,
            dataset: r.dataset,
            fields: serde_json::from_str(&r.fields).unwrap_or_default(),
            case_id: r.case_id,
            matter: r.matter,
        })
        .collect();
    Ok(Json(
        serde_json::json!({"items": items, "page": page.page, "per_page": page.per_page, "total": total}),
    ))
}

fn own_subject(caller: &Caller) -> Result<String, ApiError> {
    caller.require(&[Role::Applicant])?;
    caller
        .user
        .subject
        .clone()
        .ok_or_else(|| ApiError::Forbidden("this account has no resident ID or USCC".into()))
}

fn target_of(state: &AppState, code: &str) -> Result<yici_core::case::Target, ApiError> {
    if let Ok(c) = yici_core::catalog::OneThingCode::parse(code)
        && state.catalog().one_things.contains_key(&c)
    {
        return Ok(yici_core::case::Target::OneThing(c));
    }
    yici_core::catalog::MatterCode::parse(code)
        .map(yici_core::case::Target::Matter)
        .map_err(|_| ApiError::NotFound {
            what: "one-thing or matter",
            id: code.to_owned(),
        })
}

/// The plan of a one-thing or matter for the signed-in applicant: a
/// material the exchange holds no data for is brought instead (`not_held`).
#[utoipa::path(get, path = "/api/v1/me/plan/{code}", tag = "exchange", params(("code" = String, Path)),
    responses((status = 200, body = serde_json::Value)))]
pub async fn my_plan(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<yici_catalog::Plan>, ApiError> {
    let subject = own_subject(&caller)?;
    let plan = crate::casework::plan_for(&state, &target_of(&state, &code)?).map_err(|_| {
        ApiError::NotFound {
            what: "one-thing or matter",
            id: code.clone(),
        }
    })?;
    let records = crate::prefill::records_for(&state, &plan, &subject).await?;
    Ok(Json(crate::prefill::personal_plan(plan, &records)))
}

/// The form values the exchange pre-fills for the signed-in applicant.
#[utoipa::path(get, path = "/api/v1/me/prefill/{code}", tag = "exchange", params(("code" = String, Path)),
    responses((status = 200, body = serde_json::Value)))]
pub async fn my_prefill(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let subject = own_subject(&caller)?;
    let plan = crate::casework::plan_for(&state, &target_of(&state, &code)?).map_err(|_| {
        ApiError::NotFound {
            what: "one-thing or matter",
            id: code.clone(),
        }
    })?;
    let records = crate::prefill::records_for(&state, &plan, &subject).await?;
    Ok(Json(serde_json::Value::Object(crate::prefill::prefill(
        &plan, &records,
    ))))
}
