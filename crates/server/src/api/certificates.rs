//! E-certificates: departments' keys (JWKS) and status lists, the holder's
//! library and presentations, revocation, and verification by anyone.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use yici_core::case::{EventKind, Role};
use yici_core::catalog::DepartmentCode;
use yici_exchange::certificate::{IssuerMetadata, SdJwt, Status, StatusList};
use yici_store::exchange::SideEvent;

use super::body::Body;
use crate::auth::Caller;
use crate::problem::ApiError;
use crate::seal;
use crate::state::AppState;
pub use crate::verification::check;
use crate::verification::metadata;

fn department(state: &AppState, code: &str) -> Result<DepartmentCode, ApiError> {
    DepartmentCode::parse(code)
        .ok()
        .filter(|c| state.catalog().departments.contains_key(c))
        .ok_or_else(|| ApiError::NotFound {
            what: "department",
            id: code.to_owned(),
        })
}

/// A department's issuer metadata (SD-JWT VC issuer metadata: `issuer` and `jwks`).
#[utoipa::path(get, path = "/.well-known/jwt-vc-issuer/departments/{code}", tag = "certificates",
    params(("code" = String, Path)), responses((status = 200, body = serde_json::Value)))]
pub async fn issuer_metadata(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<IssuerMetadata>, ApiError> {
    let code = department(&state, &code)?;
    Ok(Json(metadata(&state, &code).await?))
}

/// Rotates a department's sealing key (administrators).
#[utoipa::path(post, path = "/api/v1/departments/{code}/keys/rotate", tag = "certificates",
    params(("code" = String, Path)), responses((status = 200, body = serde_json::Value)))]
pub async fn rotate(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(&[Role::Admin])?;
    let code = department(&state, &code)?;
    seal::issuer(&state, &code).await?;
    let kid = seal::rotate(&state, &code).await?;
    Ok(Json(serde_json::json!({"department": code, "kid": kid})))
}

async fn status_token(state: &AppState, code: &DepartmentCode) -> Result<String, ApiError> {
    let values = state.store().status_values(code.as_str()).await?;
    let size = values.last().map_or(0, |(i, _)| i + 1).max(1024);
    let mut list = StatusList::new(size).map_err(|e| ApiError::Internal(e.to_string()))?;
    for (idx, value) in values {
        let status = Status::from_value(value).map_err(|e| ApiError::Internal(e.to_string()))?;
        list.set(idx, status)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let issuer = seal::issuer(state, code).await?;
    let now = state.clock().now_ms() / 1000;
    Ok(list.to_jwt(
        &issuer,
        &seal::status_uri(state, code.as_str()),
        now,
        Some(now + 24 * 3600),
    ))
}

/// A department's token status list (draft-ietf-oauth-status-list).
#[utoipa::path(get, path = "/api/v1/status-lists/{code}", tag = "certificates",
    params(("code" = String, Path)), responses((status = 200, description = "a status list token", content_type = "application/statuslist+jwt")))]
pub async fn status_list(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let code = department(&state, &code)?;
    let token = status_token(&state, &code).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/statuslist+jwt")],
        token,
    ))
}

/// A certificate in the holder's library.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CertificateView {
    /// Id.
    pub id: String,
    /// Credential type.
    pub vct: String,
    /// Issuing department.
    pub department: String,
    /// Matter.
    pub matter: String,
    /// valid, revoked or suspended.
    pub status: String,
    /// Claims the holder can choose to disclose.
    pub claims: Vec<String>,
    /// Issued (ms).
    pub issued_ms: i64,
    /// Expires (ms).
    pub expires_ms: i64,
}

fn status_name(v: u8) -> &'static str {
    match v {
        0 => "valid",
        1 => "revoked",
        2 => "suspended",
        _ => "unknown",
    }
}

/// The signed-in holder's certificates.
#[utoipa::path(get, path = "/api/v1/me/certificates", tag = "certificates", responses((status = 200, body = Vec<CertificateView>)))]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<CertificateView>>, ApiError> {
    caller.require(&[Role::Applicant])?;
    let holder = caller.user.subject.clone().unwrap_or_default();
    let rows = state.store().certificates_of(&holder).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| CertificateView {
                claims: SdJwt::parse(&r.sd_jwt)
                    .map(|s| s.claim_names().map(str::to_owned).collect())
                    .unwrap_or_default(),
                id: r.id,
                vct: r.vct,
                department: r.department,
                matter: r.matter,
                status: status_name(r.status_value).to_owned(),
                issued_ms: r.issued_ms,
                expires_ms: r.expires_ms,
            })
            .collect(),
    ))
}

/// What to disclose.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresentBody {
    /// Names of the claims to disclose; all others stay hidden.
    pub disclose: Vec<String>,
}

/// A presentation.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PresentationView {
    /// The SD-JWT presentation.
    pub presentation: String,
    /// The public verify URL it opens (also in the QR code).
    pub verify_url: String,
    /// The QR code, SVG.
    pub qr_svg: String,
}

async fn own_certificate(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<yici_store::certificates::CertificateRow, ApiError> {
    let cert = state.store().certificate(id).await?;
    cert.filter(|c| {
        caller.role == Role::Applicant && caller.user.subject.as_deref() == Some(c.holder.as_str())
    })
    .ok_or_else(|| ApiError::NotFound {
        what: "certificate",
        id: id.to_owned(),
    })
}

/// Makes a presentation disclosing only the chosen claims (the holder).
#[utoipa::path(post, path = "/api/v1/certificates/{id}/presentations", tag = "certificates", request_body = PresentBody,
    params(("id" = String, Path)), responses((status = 200, body = PresentationView)))]
pub async fn presentation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body<PresentBody>,
) -> Result<Json<PresentationView>, ApiError> {
    let cert = own_certificate(&state, &caller, &id).await?;
    let names: Vec<&str> = body.value.disclose.iter().map(String::as_str).collect();
    let (presentation, verify_url, qr_svg) = seal::make_presentation(&state, &cert.sd_jwt, &names)
        .map_err(|e| ApiError::invalid("disclose", e.rule(), e.to_string()))?;
    Ok(Json(PresentationView {
        presentation,
        verify_url,
        qr_svg,
    }))
}

/// A status change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// `revoked`, `suspended` or `valid` (lifting a suspension).
    pub status: String,
    /// Why (a penalty decision, ...).
    pub reason: String,
}

/// Revokes, suspends or reinstates a certificate (the issuing department).
#[utoipa::path(post, path = "/api/v1/certificates/{id}/status", tag = "certificates", request_body = StatusBody,
    params(("id" = String, Path)), responses((status = 200, body = serde_json::Value)))]
pub async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body<StatusBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(&[Role::Reviewer, Role::Admin])?;
    let cert = state
        .store()
        .certificate(&id)
        .await?
        .ok_or_else(|| ApiError::NotFound {
            what: "certificate",
            id: id.clone(),
        })?;
    if caller.role == Role::Reviewer
        && caller.user.department.as_deref() != Some(cert.department.as_str())
    {
        return Err(ApiError::Forbidden(format!(
            "certificate {id} was issued by department {}",
            cert.department
        )));
    }
    let value = match body.value.status.as_str() {
        "valid" => 0,
        "revoked" => 1,
        "suspended" => 2,
        other => {
            return Err(ApiError::invalid(
                "status",
                "one_of",
                format!("{other:?} is not valid, revoked or suspended"),
            ));
        }
    };
    if body.value.reason.trim().is_empty() {
        return Err(ApiError::invalid("reason", "required", "say why"));
    }
    if cert.status_value == 1 {
        return Err(ApiError::StateConflict(
            "a revoked certificate stays revoked".into(),
        ));
    }
    let event = SideEvent {
        kind: EventKind::CertificateStatus,
        actor: caller.user.id.clone(),
        role: caller.role,
        on: state.clock().today(),
        data: serde_json::json!({"certificate": id, "status": body.value.status, "reason": body.value.reason}),
    };
    state
        .store()
        .set_certificate_status(&id, value, event, state.clock().now_ms())
        .await?;
    Ok(Json(
        serde_json::json!({"id": id, "status": status_name(value)}),
    ))
}

/// What to verify.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    /// An SD-JWT VC presentation.
    pub presentation: String,
}

/// Verifies a presentation (anyone).
#[utoipa::path(post, path = "/api/v1/verify", tag = "certificates", request_body = VerifyBody,
    responses((status = 200, body = serde_json::Value), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn verify_presentation(
    State(state): State<AppState>,
    body: Body<VerifyBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let v = check(&state, &body.value.presentation)
        .await
        .map_err(|e| ApiError::invalid("presentation", e.rule(), e.to_string()))?;
    Ok(Json(serde_json::json!({
        "valid": true,
        "issuer": v.issuer,
        "kid": v.kid,
        "vct": v.vct,
        "holder": v.holder.as_str(),
        "disclosed": v.disclosed,
        "iat": v.iat,
        "exp": v.exp,
        "status": "valid",
    })))
}
