//! E-certificates: departments' keys (JWKS) and status lists, the holder's
//! library and presentations, revocation, and verification by anyone.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use yici_exchange::certificate::IssuerMetadata;

use super::body::Body;
use crate::auth::SignedIn;
use crate::problem::ApiError;
use crate::state::AppState;

/// A department's issuer metadata (SD-JWT VC issuer metadata: `issuer` and `jwks`).
#[utoipa::path(get, path = "/.well-known/jwt-vc-issuer/departments/{code}", tag = "certificates",
    params(("code" = String, Path)), responses((status = 200, body = serde_json::Value)))]
pub async fn issuer_metadata(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<IssuerMetadata>, ApiError> {
    Ok(Json(state.service().issuer_metadata(&code).await?))
}

/// Rotates a department's sealing key (administrators).
#[utoipa::path(post, path = "/api/v1/departments/{code}/keys/rotate", tag = "certificates",
    params(("code" = String, Path)), responses((status = 200, body = serde_json::Value)))]
pub async fn rotate(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let kid = state.service().admin(&caller)?.rotate_seal(&code).await?;
    Ok(Json(serde_json::json!({"department": code, "kid": kid})))
}

/// A department's token status list (draft-ietf-oauth-status-list).
#[utoipa::path(get, path = "/api/v1/status-lists/{code}", tag = "certificates",
    params(("code" = String, Path)), responses((status = 200, description = "a status list token", content_type = "application/statuslist+jwt")))]
pub async fn status_list(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let token = state.service().status_list(&code).await?;
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

/// The signed-in holder's certificates.
#[utoipa::path(get, path = "/api/v1/me/certificates", tag = "certificates", responses((status = 200, body = Vec<CertificateView>)))]
pub async fn mine(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
) -> Result<Json<Vec<CertificateView>>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let mine = desk.my_certificates().await?;
    Ok(Json(
        mine.into_iter()
            .map(|c| CertificateView {
                claims: c.claims,
                status: c.status.to_owned(),
                id: c.row.id,
                vct: c.row.vct,
                department: c.row.department,
                matter: c.row.matter,
                issued_ms: c.row.issued_ms,
                expires_ms: c.row.expires_ms,
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

/// Makes a presentation disclosing only the chosen claims (the holder).
#[utoipa::path(post, path = "/api/v1/certificates/{id}/presentations", tag = "certificates", request_body = PresentBody,
    params(("id" = String, Path)), responses((status = 200, body = PresentationView)))]
pub async fn presentation(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<PresentBody>,
) -> Result<Json<PresentationView>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let names: Vec<&str> = body.value.disclose.iter().map(String::as_str).collect();
    let p = desk
        .present(&id, &names)
        .await?
        .map_err(|e| ApiError::invalid("disclose", e.rule(), e.to_string()))?;
    Ok(Json(PresentationView {
        presentation: p.presentation,
        verify_url: p.verify_url,
        qr_svg: p.qr_svg,
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
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<StatusBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let desk = state.service().department(&caller)?;
    let status = desk
        .set_certificate_status(&id, &body.value.status, &body.value.reason)
        .await?;
    Ok(Json(serde_json::json!({"id": id, "status": status})))
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
    let v = state
        .service()
        .verify_presentation(&body.value.presentation)
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
